"""Booking over LINE: signed webhooks in, the real SDK client pushing/replying to the fake
LINE API, quick-reply items as the resident sees them; then the reminder as a push."""

from __future__ import annotations

from datetime import datetime

from tests.channels.conftest import LINE_SECRET
from tests.fakes.line_api import payload, postback_event, signed, text_event, user_id
from tsunagu import booking as B
from tsunagu import clock
from tsunagu.clock import JST


def _send(web, event):  # type: ignore[no-untyped-def]
    raw, signature = signed(payload(event), LINE_SECRET)
    response = web.post("/webhooks/line", data=raw, headers={
        "X-Line-Signature": signature, "Content-Type": "application/json"})
    assert response.status_code == 200


def _last(fake_line) -> tuple[str, dict[str, dict]]:  # type: ignore[no-untyped-def,type-arg]
    """The texts of the newest send call, and its quick-reply actions by label."""
    messages = fake_line.sends()[-1].data["messages"]
    items = [i for m in messages for i in (m.get("quickReply") or {}).get("items", [])]
    return "\n".join(m["text"] for m in messages), {i["action"]["label"]: i["action"]
                                                    for i in items}


def test_family_member_books_on_line_and_gets_a_reminder(web, drain, fake_line, directory,
                                                        frozen, factory):
    user = user_id()

    def press(label: str) -> str:
        _, actions = _last(fake_line)
        action = actions[label]
        assert action["type"] == "postback" and len(action["data"].encode()) <= 300
        _send(web, postback_event(user, action["data"]))
        drain()
        return _last(fake_line)[0]

    _send(web, text_event(user, "相談会を予約"))
    drain()
    text, actions = _last(fake_line)
    assert "ご都合のよい日を選んでください" in text
    assert "1月15日(水)" in actions and all(len(a["label"]) <= 20 for a in actions.values())
    assert "時間を選んでください" in press("1月15日(水)")
    press("19:00〜20:15")
    assert "お呼びする名前" in press("本人と家族")
    _send(web, text_event(user, "あおぞら"))
    drain()
    assert "この内容で予約しますか" in _last(fake_line)[0]
    text = press("予約する")
    assert "予約を受け付けました" in text and "2025年1月15日(水) 19:00〜" in text
    assert "能美市生涯学習ハウス" in text
    assert {"予約の確認", "予約の変更", "予約のキャンセル"} <= set(_last(fake_line)[1])
    assert user not in text

    clock.set_now(datetime(2025, 1, 14, 10, 0, tzinfo=JST))
    assert B.send_due_reminders(factory) is True
    sends_before = len(fake_line.sends())
    drain()
    assert len(fake_line.sends()) == sends_before + 1
    push = fake_line.sends()[-1]
    assert push.path.startswith("/v2/bot/message/push") and push.data["to"] == user
    text, actions = _last(fake_line)
    assert "明日" in text and "予約をキャンセル" in actions
