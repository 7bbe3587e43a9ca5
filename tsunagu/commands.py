"""`tsunagu serve`, `tsunagu worker`, `tsunagu db upgrade`."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time

import click

from tsunagu import db
from tsunagu.config import ConfigError, Settings, get_settings

log = logging.getLogger("tsunagu")


def _settings() -> Settings:
    try:
        settings = get_settings()
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    try:
        import routing

        routing.load_directory(settings.municipality)
    except Exception as exc:  # noqa: BLE001 - a broken or unknown directory stops start-up
        click.echo(f"TSUNAGU_MUNICIPALITY={settings.municipality!r}: {exc}", err=True)
        sys.exit(2)
    return settings


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Web only; run `tsunagu worker` elsewhere.")
@click.option("--threads", default=8, show_default=True, help="Web server threads.")
def serve(host: str, port: int, no_worker: bool, threads: int) -> None:
    """Start the web app (web chat, webhooks, console) and, by default, the worker."""
    _logging()
    settings = _settings()
    if settings.is_sqlite:
        db.upgrade(settings.sqlalchemy_url)
    from waitress import create_server

    from tsunagu import workers
    from tsunagu.web import create_app

    app = create_app(settings)
    stop = threading.Event()
    if not no_worker:
        workers.start(db.session_factory(settings.sqlalchemy_url), settings, stop)
    if settings.demo:
        _print_demo(settings, host, port)
    server = create_server(app, host=host, port=port, threads=threads)
    click.echo(f"Tsunagu is running: http://{host}:{port}/simulator (web chat)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()


def _print_demo(settings: Settings, host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    from console.demo import ensure_demo_admin

    email, password = ensure_demo_admin(db.session_factory(settings.sqlalchemy_url))
    lines = ["", "=" * 60, " つなぐ Tsunagu demo",
             f"  web chat : {base}/simulator",
             f"  console  : {base}/console/",
             f"  login    : {email} / {password}  (demo only)",
             f"  municipality: {settings.municipality}", "=" * 60, ""]
    click.echo("\n".join(lines))


@click.command()
@click.option("--threads", default=1, show_default=True, help="Event worker threads.")
def worker(threads: int) -> None:
    """Process inbound events and deliver the outbox until stopped (SIGTERM/Ctrl-C)."""
    _logging()
    settings = _settings()
    from tsunagu import workers

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    workers.start(db.session_factory(settings.sqlalchemy_url), settings, stop, threads=threads)
    log.info("worker started")
    try:
        while not stop.is_set():
            time.sleep(0.5)
    except KeyboardInterrupt:
        stop.set()
    log.info("worker stopping")


@click.group(name="db")
def db_group() -> None:
    """Database schema."""


@db_group.command()
def upgrade() -> None:
    """Apply every migration (safe to run again)."""
    settings = _settings()
    db.upgrade(settings.sqlalchemy_url)
    click.echo("database is up to date")

