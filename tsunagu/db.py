"""Database engine and sessions. SQLite (embedded default) or PostgreSQL (production).

SQLite: WAL mode, and every transaction starts with BEGIN IMMEDIATE, so a worker that
claims an event holds the write lock until it commits. PostgreSQL: workers lock rows
with FOR UPDATE SKIP LOCKED (see pipeline.py).
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@functools.cache
def _factory(url: str) -> sessionmaker[Session]:
    _seen_urls.add(url)
    return sessionmaker(make_engine(url), expire_on_commit=False)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    if url is None:
        from tsunagu.config import get_settings

        url = get_settings().sqlalchemy_url
    return _factory(url)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def ping(url: str | None = None) -> bool:
    try:
        with session_factory(url)() as session:
            session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means: not reachable
        return False


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the schema to the newest revision (every branch head)."""
    command.upgrade(alembic_config(url), "heads")


def dispose_all() -> None:
    """Close every pooled connection (tests, and before a process forks)."""
    for url in list(_seen_urls):
        _factory(url).kw["bind"].dispose()
    _seen_urls.clear()
    _factory.cache_clear()


_seen_urls: set[str] = set()
