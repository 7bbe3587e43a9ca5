"""Console fixtures: staff accounts, an `auth` helper that logs in through the login
form, and conversations made by residents on the web chat (the real engine) or written
directly when a test needs a precise shape. App, client, settings and the worker come from
tests/conftest.py (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import time
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from console.passwords import hash_password
from tsunagu import clock, identity
from tsunagu.models import Conversation, Resident
from tsunagu.models.staff import Staff

PASSWORD = "sakura-tsubaki-2026"


@pytest.fixture
def make_staff(factory):  # type: ignore[no-untyped-def]
    def make(email: str, role: str = "consultant", agency: str | None = None,
             name: str = "") -> Staff:
        with factory.begin() as session:
            staff = Staff(email=email, password_hash=hash_password(PASSWORD), role=role,
                          agency_id=agency, display_name=name, active=True)
            session.add(staff)
        return staff
    return make


class Auth:
    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client

    def login(self, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        page = self.client.get("/console/login")
        return self.client.post("/console/login", data={
            "email": email, "password": password, "csrf_token": csrf_token(page.text)})

    def logout(self):  # type: ignore[no-untyped-def]
        page = self.client.get("/console/")
        return self.client.post("/console/logout", data={"csrf_token": csrf_token(page.text)})


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


@pytest.fixture
def auth(client) -> Auth:  # type: ignore[no-untyped-def]
    return Auth(client)


@pytest.fixture
def admin(make_staff):  # type: ignore[no-untyped-def]
    return make_staff("admin@city.example.jp", role="admin", name="管理")


@pytest.fixture
def make_conversation(factory):  # type: ignore[no-untyped-def]
    """A conversation written directly (channel web, so replies are delivered locally)."""
    counter = iter(range(1, 10_000))

    def make(*, agency: str | None = None, crisis: bool = False, wants_human: bool = False,
             last_resident_at: datetime | None = None, categories: list[str] | None = None,
             **fields: Any) -> int:
        n = next(counter)
        with factory.begin() as session:
            user = f"web-user-{n}-{time.time_ns()}"
            resident = Resident(channel="web", pseudonym=identity.pseudonym("web", user),
                                platform_id_enc=identity.encrypt(user), label=f"T{n:03d}",
                                active=True)
            session.add(resident)
            session.flush()
            at = last_resident_at or clock.now()
            fields.setdefault("status", "bot")
            conversation = Conversation(
                resident_id=resident.id, channel="web", state="idle",
                state_data={}, categories=categories or [], crisis=crisis,
                wants_human=wants_human, wants_human_at=at if wants_human else None,
                assigned_agency_id=agency, last_resident_at=at, **fields)
            session.add(conversation)
            session.flush()
            return conversation.id
    return make


def conversation_of(factory, user: str) -> Conversation:  # type: ignore[no-untyped-def]
    """The newest conversation of a web chat resident."""
    from tsunagu import pipeline

    with factory() as session:
        resident = pipeline.find_resident(session, "web", user)
        assert resident is not None
        return session.scalars(select(Conversation).where(
            Conversation.resident_id == resident.id).order_by(Conversation.id.desc())).first()


def wait_for(check, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)
