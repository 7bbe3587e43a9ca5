"""Sending to LINE: reply vs push, the retry key, 409/429/4xx/5xx, splitting, quick replies."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bots.line_send import MAX_TEXT, to_messages
from tests.channels.conftest import post_line
from tests.fakes.line_api import Answer, payload, text_event, user_id
from tsunagu import clock
from tsunagu.models import OutboundMessage
from tsunagu.pipeline import Delivery


def _rows(factory):  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()


def test_push_500_then_200_delivers_once_with_the_same_retry_key(web, factory, drain,
                                                                 fake_line):
    clock.set_now(clock.now())
    post_line(web, payload(text_event(user_id(), "借金の返済がつらいです")))
    clock.advance(timedelta(seconds=30))  # the answer was not ready in the reply window
    fake_line.script("/message/push", [Answer(500, {"message": "Internal error"})])
    drain()
    failed_try = fake_line.calls("/message/push")
    assert len(failed_try) == 1 and failed_try[0].status == 500
    assert all(r.status == "pending" and r.last_error for r in _rows(factory)[-1:])
    clock.advance(timedelta(minutes=10))  # past the backoff
    drain()
    pushes = fake_line.calls("/message/push")
    assert [p.status for p in pushes] == [500, 200]
    key = pushes[0].header("X-Line-Retry-Key")
    assert key and pushes[1].header("X-Line-Retry-Key") == key
    assert pushes[0].data == pushes[1].data
    assert _rows(factory)[-1].status == "sent"
    assert not fake_line.calls("/message/reply")


def test_409_means_already_delivered(web, factory, drain, fake_line):
    clock.set_now(clock.now())
    post_line(web, payload(text_event(user_id(), "介護のことで相談したい")))
    clock.advance(timedelta(seconds=30))
    fake_line.script("/message/push", [Answer(409, {"message": "already accepted"})] * 5)
    drain()
    rows = _rows(factory)
    assert rows and all(r.status == "sent" for r in rows)
    assert len(fake_line.calls("/message/push")) == len({r.inbound_event_id for r in rows})


def test_429_waits_for_retry_after(web, factory, drain, fake_line):
    clock.set_now(clock.now())
    post_line(web, payload(text_event(user_id(), "子育てがつらいです")))
    clock.advance(timedelta(seconds=30))
    fake_line.script("/message/push", [Answer(429, {"message": "rate limit"},
                                              {"Retry-After": "120"})])
    drain()
    first = _rows(factory)[0]
    assert first.status == "pending"
    assert first.next_attempt_at.replace(tzinfo=None) >= (
        clock.now() + timedelta(seconds=119)).replace(tzinfo=None)
    clock.advance(timedelta(seconds=60))
    drain()
    assert len(fake_line.calls("/message/push")) == 1  # still waiting
    clock.advance(timedelta(seconds=61))
    drain()
    assert all(r.status == "sent" for r in _rows(factory))


def test_other_4xx_fails_and_is_recorded_for_staff(web, factory, drain, fake_line):
    clock.set_now(clock.now())
    post_line(web, payload(text_event(user_id(), "仕事が見つからない")))
    clock.advance(timedelta(seconds=30))
    fake_line.script("/message/push", [Answer(400, {"message": "The request body has 1 error(s)"})])
    drain()
    first = _rows(factory)[0]
    assert first.status == "failed" and "400" in first.last_error
    assert first.recipient_enc is None


def test_rejected_reply_token_falls_back_to_push(web, factory, drain, fake_line):
    user = user_id()
    fake_line.script("/message/reply", [Answer(400, {"message": "Invalid reply token"})])
    post_line(web, payload(text_event(user, "こんにちは")))
    drain()
    assert len(fake_line.calls("/message/reply")) == 1
    pushes = fake_line.calls("/message/push")
    assert len(pushes) >= 1 and pushes[0].status == 200 and pushes[0].data["to"] == user
    assert all(r.status == "sent" for r in _rows(factory))


def test_timeouts_are_retried(web, factory, drain, fake_line, monkeypatch):
    from bots import line_send

    monkeypatch.setattr(line_send, "TIMEOUT", (1.0, 0.3))
    clock.set_now(clock.now())
    post_line(web, payload(text_event(user_id(), "眠れない日が続いています")))
    clock.advance(timedelta(seconds=30))
    fake_line.script("/message/push", [Answer(200, {"sentMessages": []}, delay=1.0)])
    drain()
    row = _rows(factory)[0]
    assert row.status == "pending" and "Timeout" in (row.last_error or "")


def _delivery(text: str, quick: list[dict[str, str]]) -> Delivery:
    return Delivery(1, "U0", text, quick, "123e4567-e89b-12d3-a456-426614174000", None, None, 1)


def test_long_texts_are_split_and_quick_replies_fit_line_limits():
    long = ("あ" * 3000 + "\n") * 3  # 9,003 characters: cut at the line breaks
    buttons = [{"label": f"とても長いボタンの名前です番号{i}です", "postback": f"cmd:{i}"}
               for i in range(15)]
    messages = to_messages([_delivery(long, buttons)])
    assert len(messages) == 3
    assert all(len(m.text) <= MAX_TEXT for m in messages)
    assert len(to_messages([_delivery("い" * 12000, [])])) == 3  # no line break: hard cut
    assert "".join(m.text for m in messages).replace("\n", "") == long.replace("\n", "")
    assert messages[0].quick_reply is None and messages[1].quick_reply is None
    items = messages[2].quick_reply.items
    assert len(items) == 13
    assert all(len(i.action.label) <= 20 and i.action.display_text == i.action.label
               for i in items)
    assert items[0].action.data.split("\n")[0] == "cmd:0"


def test_more_than_five_messages_go_in_several_pushes_with_distinct_keys(fake_line, env):
    from bots.line_send import LineChannel

    channel = LineChannel(env)
    rows = [_delivery("x" * 6000, []) for _ in range(3)]  # 6 messages
    assert channel.send(rows).status == "sent"
    pushes = fake_line.calls("/message/push")
    assert [len(p.data["messages"]) for p in pushes] == [5, 1]
    assert len({p.header("X-Line-Retry-Key") for p in pushes}) == 2
    assert channel.send(rows).status == "sent"  # a retry of the whole batch: LINE says 409
    assert [p.status for p in fake_line.calls("/message/push")][2:] == [409, 409]
