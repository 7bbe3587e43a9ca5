"""`tsunagu staff …`: create and manage console accounts.

    tsunagu staff add EMAIL --role admin|consultant [--agency ID] [--name 表示名]

The password is asked for on a terminal (twice), or read from stdin when piped.
"""

from __future__ import annotations

import sys

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.passwords import PasswordError, hash_password, normalize_email, staff_by_email
from tsunagu.models.staff import ROLES, Staff


def _factory():  # type: ignore[no-untyped-def]
    from tsunagu import db

    return db.session_factory()


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _new_password_hash(prompt: str) -> str:
    """Ask for a password and hash it, or stop with the reason it is not acceptable."""
    try:
        return hash_password(_read_password(prompt))
    except PasswordError as exc:
        raise click.ClickException(str(exc)) from None


def _account(session: Session, email: str) -> Staff:
    row = staff_by_email(session, email)
    if row is None:
        raise click.ClickException(f"no account {email}")
    return row


def _known_agencies() -> set[str] | None:
    """Agency ids in the municipality directory; None when it cannot be read."""
    try:
        import routing
        from tsunagu.config import get_settings

        directory = routing.load_directory(get_settings().municipality)
    except Exception:  # noqa: BLE001 - no directory: accept any id, as the console does
        return None
    ids = {a.id for a in getattr(directory, "agencies", [])}
    return ids or None


@click.group()
def staff() -> None:
    """Staff console accounts."""


@staff.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--agency", "agency_id", help="The agency id in the directory (consultants).")
@click.option("--name", "display_name", default="", help="Shown to residents at takeover.")
def add(email: str, role: str, agency_id: str | None, display_name: str) -> None:
    """Create an account. Consultants belong to an agency."""
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise click.UsageError(f"not an e-mail address: {email!r}")
    if role == "consultant" and not agency_id:
        raise click.UsageError("a consultant needs --agency ID (the agency whose "
                               "conversations they see)")
    known = _known_agencies()
    if agency_id and known is not None and agency_id not in known:
        raise click.UsageError(f"agency {agency_id!r} is not in the directory; known: "
                               + ", ".join(sorted(known)))
    if len(display_name) > 20:
        raise click.UsageError("--name: at most 20 characters")
    factory = _factory()
    with factory() as session:
        if staff_by_email(session, email) is not None:
            raise click.ClickException(f"{email} already has an account")
    hashed = _new_password_hash("パスワード")
    with factory.begin() as session:
        session.add(Staff(email=email, password_hash=hashed, role=role, agency_id=agency_id,
                          display_name=display_name, active=True))
    click.echo(f"created {role} {email}" + (f" ({agency_id})" if agency_id else ""))


@staff.command("passwd")
@click.argument("email")
def passwd(email: str) -> None:
    """Set a new password (asked for, or read from stdin)."""
    hashed = _new_password_hash("新しいパスワード")
    with _factory().begin() as session:
        _account(session, email).password_hash = hashed
    click.echo(f"password changed for {email}")


@staff.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Stop an account from logging in (its audit entries stay)."""
    with _factory().begin() as session:
        _account(session, email).active = False
    click.echo(f"disabled {email}")


@staff.command("list")
def list_staff() -> None:
    """Accounts: e-mail, role, agency, active."""
    with _factory()() as session:
        for row in session.scalars(select(Staff).order_by(Staff.email)):
            click.echo(f"{row.email}\t{row.role}\t{row.agency_id or '-'}\t"
                       f"{'active' if row.active else 'disabled'}")
