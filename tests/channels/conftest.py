"""Channel tests: the real SDK clients talk HTTP to fake LINE and Telegram servers on
127.0.0.1; storage runs on SQLite and PostgreSQL (the `db_url` fixture in tests/conftest.py).
The worker loops run in-process, step by step (`drain`), so each test decides when."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.fakes.line_api import signed

LINE_SECRET = "line-test-channel-secret-0123456789"
LINE_TOKEN = "line-test-access-token"
TG_TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
TG_SECRET = "tg-webhook-secret_0123456789"


@pytest.fixture
def env(db_url, fake_line, fake_tg, monkeypatch, request):  # type: ignore[no-untyped-def]
    """Settings with both channels pointed at the fakes (set in the environment, so a
    subprocess worker inherits them)."""
    monkeypatch.setenv("LINE_CHANNEL_SECRET", LINE_SECRET)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", LINE_TOKEN)
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TG_TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", TG_SECRET)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_tg.url)
    return request.getfixturevalue("settings")


@pytest.fixture
def web(env):  # type: ignore[no-untyped-def]
    from tsunagu.web import create_app

    return create_app(env, test_config={"TESTING": True}).test_client()


@pytest.fixture
def channels(env):  # type: ignore[no-untyped-def]
    from bots.channels import Channels

    return Channels(env)


@pytest.fixture
def drain(env, factory, channels):  # type: ignore[no-untyped-def]
    """Run the engine until no event is pending, then the sender until nothing is due."""
    from bots.engine import handle_event
    from tsunagu import pipeline

    def run() -> None:
        for _ in range(200):
            if not pipeline.process_next(factory, handle_event):
                break
        for _ in range(200):
            if not pipeline.deliver_next(factory, channels.send, channels.max_batch):
                break

    return run


def count(factory, model) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def post_line(web, body: dict | bytes, signature: str | None = "sign"):  # type: ignore[no-untyped-def,type-arg]
    """POST a LINE webhook body, signed with the channel secret ("sign"), unsigned (None),
    or with the given signature."""
    raw, good = signed(body, LINE_SECRET)
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = good if signature == "sign" else signature
    return web.post("/webhooks/line", data=raw, headers=headers)
