"""One database session per request, shared by Flask-Login's user loader and the view.
Views that write call `db().commit()` themselves (one `do_*` write per request)."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from tsunagu.web import session_factory


def db() -> Session:
    if "console_db" not in g:
        g.console_db = session_factory(current_app)()
    return g.console_db  # type: ignore[no-any-return]


def close(_exc: BaseException | None = None) -> None:
    session = g.pop("console_db", None)
    if session is not None:
        session.close()
