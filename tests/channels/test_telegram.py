"""Telegram: webhook secret, updates, callback answers, block/unblock, pacing, 429, setup."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from bots import telegram_loop
from bots.telegram_send import RateLimiter, TelegramChannel
from tests.channels.conftest import TG_SECRET, TG_TOKEN, count
from tests.fakes.telegram_api import (
    callback_update,
    error,
    media_update,
    member_update,
    retry_after,
    text_update,
)
from tsunagu import clock
from tsunagu.models import InboundEvent, Message, OutboundMessage, Resident
from tsunagu.pipeline import Delivery

CHAT = 5012345678


def _post(web, update, secret: str | None = TG_SECRET):  # type: ignore[no-untyped-def]
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return web.post("/webhooks/telegram", data=json.dumps(update), headers=headers,
                    content_type="application/json")


def test_wrong_or_missing_secret_is_forbidden_and_nothing_stored(web, factory, fake_tg):
    update = text_update(CHAT, "こんにちは")
    assert _post(web, update, secret=None).status_code == 403
    assert _post(web, update, secret="tg-webhook-secret_0123456788").status_code == 403
    assert _post(web, update, secret="").status_code == 403
    assert count(factory, InboundEvent) == 0 and count(factory, Resident) == 0
    assert fake_tg.requests == []


def test_malformed_body_is_refused(web, factory):
    assert web.post("/webhooks/telegram", data=b"{not json",
                    headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}).status_code == 400
    assert _post(web, {"message": {}}).status_code == 400
    assert count(factory, InboundEvent) == 0


def test_text_is_answered_once_with_buttons_even_when_redelivered(web, factory, drain, fake_tg):
    update = media_update(CHAT, "sticker")
    assert _post(web, update).status_code == 200
    assert _post(web, update).status_code == 200
    drain()
    assert _post(web, update).status_code == 200
    drain()
    assert count(factory, InboundEvent) == 1
    texts = fake_tg.texts()
    assert any("文字だけ" in t for t in texts)
    with factory() as session:
        rows = session.scalars(select(OutboundMessage)).all()
        lines = session.scalars(select(Message.text).where(Message.direction == "in")).all()
    assert len(texts) == len(rows)  # each outbox row once
    assert "（スタンプが送られました）" in lines
    last = fake_tg.sent()[-1].data
    assert str(last["chat_id"]) == str(CHAT)
    buttons = [b for row in last["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons and all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    assert fake_tg.wait_for("/sendChatAction")[0].data["action"] == "typing"


def test_button_press_is_answered_and_shown_with_its_label(web, factory, drain, fake_tg):
    _post(web, media_update(CHAT, "photo"))
    drain()
    button = fake_tg.sent()[-1].data["reply_markup"]["inline_keyboard"][0][0]
    update = callback_update(CHAT, button["callback_data"], label=button["text"])
    assert _post(web, update).status_code == 200
    answered = fake_tg.wait_for("/answerCallbackQuery")
    assert answered[0].data["callback_query_id"] == update["callback_query"]["id"]
    drain()
    with factory() as session:
        event = session.scalars(select(InboundEvent)
                                .where(InboundEvent.kind == "postback")).one()
        lines = session.scalars(select(Message.text).where(Message.direction == "in")).all()
    assert event.postback == button["callback_data"]
    assert lines[-1] == button["text"]
    stored = json.dumps(event.payload)
    assert str(CHAT) not in stored and update["callback_query"]["id"] not in stored


def test_start_command_welcomes(web, drain, fake_tg):
    _post(web, text_update(CHAT, "/start"))
    drain()
    assert fake_tg.texts() and "つなぐ相談チャット" in fake_tg.texts()[0]


def test_block_and_unblock_switch_the_resident(web, factory, drain, fake_tg):
    _post(web, text_update(CHAT, "/start"))
    drain()
    _post(web, member_update(CHAT, "kicked"))
    drain()
    with factory() as session:
        assert session.scalars(select(Resident)).one().active is False
    sent = len(fake_tg.sent())
    _post(web, member_update(CHAT, "member"))
    drain()
    with factory() as session:
        assert session.scalars(select(Resident)).one().active is True
    assert len(fake_tg.sent()) > sent  # unblocking is like a new follow: welcomed again


def test_429_is_retried_after_the_time_telegram_asks(web, factory, drain, fake_tg):
    clock.set_now(clock.now())
    fake_tg.script("/sendMessage", [retry_after(30)])
    _post(web, text_update(CHAT, "/start"))
    drain()
    with factory() as session:
        first = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).first()
    assert first.status == "pending" and "429" in first.last_error
    assert first.next_attempt_at.replace(tzinfo=None) >= (
        clock.now() + timedelta(seconds=29)).replace(tzinfo=None)
    clock.advance(timedelta(seconds=31))
    drain()
    with factory() as session:
        assert all(r.status == "sent" for r in session.scalars(select(OutboundMessage)))


def test_blocked_by_resident_fails_and_is_recorded(web, factory, drain, fake_tg):
    fake_tg.script("/sendMessage", [error(403, "Forbidden: bot was blocked by the user")])
    _post(web, text_update(CHAT, "/start"))
    drain()
    with factory() as session:
        first = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).first()
    assert first.status == "failed" and "blocked" in first.last_error


def test_rate_limiter_paces_each_chat_and_the_whole_bot():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    assert [round(limiter.wait("a"), 3) for _ in range(3)] == [0, 1.0, 1.0]
    now[0] += 10
    delays = [limiter.wait(f"chat{i}") for i in range(31)]
    assert delays[:30] == [0] * 30 and delays[30] > 0.99  # the 31st waits for the next second


def test_sends_from_many_threads_share_one_event_loop(env, fake_tg):
    channel = TelegramChannel(env, limiter=RateLimiter(per_chat=0, per_second=1000))
    results = []

    def send(i: int) -> None:
        results.append(channel.send([Delivery(i, str(1000 + i), f"m{i}", [], "k", None, None, 1)]))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in results] == ["sent"] * 8
    loop = telegram_loop.loop()
    assert loop.is_running() and telegram_loop.loop() is loop
    assert sorted(fake_tg.texts()) == sorted(f"m{i}" for i in range(8))


def test_set_webhook_registers_url_and_secret(env, fake_tg):
    from tsunagu.cli import cli

    fake_tg.webhook_url = "https://city.example.jp/webhooks/telegram"
    result = CliRunner().invoke(cli, ["telegram", "set-webhook", fake_tg.webhook_url])
    assert result.exit_code == 0, result.output
    call = fake_tg.calls("/setWebhook")[0]
    assert call.path == f"/bot{TG_TOKEN}/setWebhook"
    assert call.data["url"] == fake_tg.webhook_url and call.data["secret_token"] == TG_SECRET
    assert "Webhook set" in result.output


def test_unconfigured_telegram_answers_404(env):
    from tsunagu.web import create_app

    app = create_app(env.model_copy(update={"telegram_webhook_secret": ""}),
                     test_config={"TESTING": True})
    response = _post(app.test_client(), text_update(CHAT, "x"))
    assert response.status_code == 404 and "Telegram" in response.get_json()["error"]
