"""`tsunagu route` and `tsunagu directory check|sessions`."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta

import click

import intents
from routing import hours as H
from routing.directory import check_file, load_directory
from routing.model import Directory, DirectoryError
from routing.rules import route as do_route
from routing.sessions import upcoming
from tsunagu import clock
from tsunagu.jsonlines import answer_lines
from tsunagu.jtext import jdate


def _parse_at(value: str | None) -> datetime:
    if not value:
        return clock.now_jst()
    try:
        return H.to_jst(datetime.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO-8601 date-time "
                                 "(e.g. 2025-01-15T19:30+09:00)", param_hint="--at") from None


def _load(municipality: str) -> Directory:
    """The directory, or its problems on stderr and exit 1."""
    try:
        return load_directory(municipality)
    except DirectoryError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


def _dump(obj: dict) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


@click.command("route")
@click.option("--municipality", "-m", required=True, help="Directory id (nomi) or path.")
@click.option("--at", "at_text", default=None,
              help="ISO-8601 date-time to judge opening hours at (default: now, Asia/Tokyo).")
def route(municipality: str, at_text: str | None) -> None:
    """Route JSON Lines {"id", "text"} from stdin; one JSON answer per line on stdout."""
    at = _parse_at(at_text)
    directory = _load(municipality)
    spellings = directory.district_spellings()

    def answer(text: str) -> dict:
        return do_route(intents.classify(text, spellings), directory, at).to_json()

    sys.exit(1 if answer_lines(sys.stdin, sys.stdout, answer, allow_empty=False) else 0)


@click.group("directory")
def directory() -> None:
    """Municipality directories (dictionaries/municipalities/*.yaml)."""


@directory.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check(files: tuple[str, ...]) -> None:
    """Validate directory files; print every problem (file:line: field: message)."""
    failed = False
    for path in files:
        errors, summary = check_file(path)
        if errors:
            failed = True
            for e in errors:
                click.echo(e)
        else:
            click.echo(summary)
    sys.exit(1 if failed else 0)


@directory.command("sessions")
@click.argument("municipality")
@click.option("--from", "start_text", default=None, help="ISO date-time (default: now).")
@click.option("--days", default=62, show_default=True)
def sessions(municipality: str, start_text: str | None, days: int) -> None:
    """List upcoming consultation sessions and their slots as JSON Lines."""
    start = _parse_at(start_text)
    d = _load(municipality)
    for s in upcoming(d, start, start + timedelta(days=days)):
        _dump({"id": s.id, "title": s.title, "agency": s.agency, "date": jdate(s.date),
               "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(),
               "place": s.place, "family_only_ok": s.family_only_ok,
               "slots": [{"id": sl.id, "starts_at": sl.starts_at.isoformat(),
                          "capacity": sl.capacity} for sl in s.slots]})
