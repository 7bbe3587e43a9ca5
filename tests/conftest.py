"""Shared fixtures. Storage tests run on SQLite and on PostgreSQL.

PostgreSQL: TSUNAGU_TEST_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test.
Each test session creates its own database next to it (so parallel runs don't collide),
migrates it once, and empties the tables before each test. Where no server is reachable,
the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tsunagu import clock, db

PG_ADMIN_URL = os.environ.get(
    "TSUNAGU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SECRET = "test-secret-" + "x" * 40


def _pg_problem() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means: not reachable
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    problem = _pg_problem()
    if problem:
        print(f"\nSKIP PostgreSQL tests: {problem}")
        pytest.skip(problem)
    name = f"tsunagu_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db.upgrade(url)
    yield url
    db.dispose_all()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "tsunagu.db"
    db.upgrade(f"sqlite:///{path}")
    db.dispose_all()
    return path


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' "
            "AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "tsunagu.db"
        shutil.copy(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database")
        _empty_postgres(url)
    yield url
    db.dispose_all()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    path = tmp_path / "tsunagu.db"
    shutil.copy(sqlite_template, path)
    yield f"sqlite:///{path}"
    db.dispose_all()


def _env(monkeypatch: pytest.MonkeyPatch, url: str, tmp_path: Path) -> None:
    from tsunagu import config

    monkeypatch.setenv("TSUNAGU_SECRET_KEY", SECRET)
    monkeypatch.setenv("TSUNAGU_DATABASE_URL", url)
    monkeypatch.setenv("TSUNAGU_MUNICIPALITY", os.environ.get("TSUNAGU_TEST_MUNICIPALITY", "nomi"))
    monkeypatch.setenv("TSUNAGU_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    config.get_settings.cache_clear()


@pytest.fixture
def settings(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Settings for a test on `db_url` (environment set, so subprocesses inherit it)."""
    from tsunagu.config import get_settings

    _env(monkeypatch, db_url, tmp_path)
    yield get_settings()
    get_settings.cache_clear()
    clock.set_now(None)


@pytest.fixture
def factory(settings):  # type: ignore[no-untyped-def]
    return db.session_factory(settings.sqlalchemy_url)


@pytest.fixture
def app(settings):  # type: ignore[no-untyped-def]
    from tsunagu.web import create_app

    return create_app(settings, test_config={"TESTING": True, "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def worker(settings):  # type: ignore[no-untyped-def]
    """The in-process worker loops (engine, sender, scheduled jobs), as `tsunagu serve` runs."""
    from tsunagu import workers

    stop = threading.Event()
    threads = workers.start(db.session_factory(settings.sqlalchemy_url), settings, stop)
    yield threads
    stop.set()
    workers.wake()
    for thread in threads:
        thread.join(timeout=5)


class Chat:
    """A resident on the web chat: `chat.say("…")` / `chat.press("cmd:staff")` return the
    bot's replies; `chat.last` is the newest reply list."""

    def __init__(self, client, user: str) -> None:  # type: ignore[no-untyped-def]
        self.client, self.user, self.last = client, user, []

    def _post(self, body: dict) -> list[dict]:  # type: ignore[type-arg]
        response = self.client.post("/simulator/api/messages", json={"user": self.user, **body})
        assert response.status_code == 200, response.get_json()
        self.last = response.get_json()["replies"]
        return self.last

    def say(self, text: str) -> list[dict]:  # type: ignore[type-arg]
        return self._post({"text": text})

    def press(self, postback: str, label: str | None = None) -> list[dict]:  # type: ignore[type-arg]
        return self._post({"postback": postback, **({"label": label} if label else {})})

    def buttons(self) -> dict[str, str]:
        """label -> postback of the newest reply's quick replies."""
        found: dict[str, str] = {}
        for reply in self.last:
            found.update({q["label"]: q["postback"] for q in reply["quick_replies"]})
        return found

    def text(self) -> str:
        return "\n".join(r["text"] for r in self.last)


@pytest.fixture
def chat(client, worker):  # type: ignore[no-untyped-def]
    """Factory: chat() starts a new anonymous resident on the web chat."""
    return lambda user=None: Chat(client, user or f"web-{secrets.token_hex(4)}")


@pytest.fixture
def fake_line():  # type: ignore[no-untyped-def]
    """A local fake LINE Messaging API that records every request (tests/fakes)."""
    from tests.fakes.line_api import FakeLine

    with FakeLine() as server:
        yield server


@pytest.fixture
def fake_tg():  # type: ignore[no-untyped-def]
    """A local fake Telegram Bot API that records every request (tests/fakes)."""
    from tests.fakes.telegram_api import FakeTelegram

    with FakeTelegram() as server:
        yield server
