"""POST /webhooks/line: signature, storage, dedupe, event kinds, anonymity."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from tests.channels.conftest import LINE_SECRET, count, post_line
from tests.fakes.line_api import (
    follow_event,
    message_event,
    payload,
    postback_event,
    signed,
    text_event,
    unfollow_event,
    user_id,
)
from tsunagu.models import InboundEvent, Message, OutboundMessage, Resident

SAMPLE_USER = "U206d25c2ea6bd87c17655609a1c37cb8"


def _sdk_sample() -> dict:
    """The event shapes of line-bot-sdk-python's tests/v3/text/webhook.json (the SDK's own
    webhook fixture), each with its own webhookEventId as LINE sends them."""
    def ev(kind: str, source: dict, reply: bool = True, **fields) -> dict:  # type: ignore[type-arg]
        event = {"type": kind, "mode": "active", "timestamp": 1462629479859, "source": source,
                 "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
                 "deliveryContext": {"isRedelivery": False}, **fields}
        if reply:
            event["replyToken"] = "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"
        return event

    user = {"type": "user", "userId": SAMPLE_USER}
    group = {"type": "group", "groupId": "Ca56f94637cc4347f90a25382909b24b9",
             "userId": SAMPLE_USER}
    room = {"type": "room", "roomId": "Ra8dbf4673c4c812cd491258042226c99"}
    external = {"type": "external", "originalContentUrl": "https://example.com",
                "previewImageUrl": "https://example.com"}
    return payload(
        ev("message", user, message={"id": "325708", "type": "text", "text": "Hello, world",
                                     "quoteToken": "quoteToken"}),
        ev("message", room, message={"id": "325708", "type": "image",
                                     "contentProvider": external, "quoteToken": "q"}),
        ev("message", user, message={"id": "325708", "type": "video", "duration": 60000,
                                     "contentProvider": external, "quoteToken": "q"}),
        ev("message", user, message={"id": "325708", "type": "audio", "duration": 60000,
                                     "contentProvider": {"type": "external",
                                                         "originalContentUrl": "https://example.com"},
                                     "quoteToken": "q"}),
        ev("message", user, message={"id": "325708", "type": "location", "title": "my location",
                                     "address": "Tokyo", "latitude": 35.659,
                                     "longitude": 139.703}),
        ev("message", user, message={"id": "325708", "type": "sticker", "packageId": "1",
                                     "stickerId": "1", "stickerResourceType": "STATIC",
                                     "keywords": ["Love You", "Love"], "text": "Just sticker",
                                     "quoteToken": "q"}),
        ev("follow", user, follow={"isUnblocked": True}),
        ev("unfollow", user, reply=False),
        ev("join", {"type": "group", "groupId": "Ca56f94637cc4347f90a25382909b24b9"}),
        ev("postback", user, postback={"data": "action=buyItem&itemId=123123&color=red",
                                       "params": {"datetime": "2017-12-25T01:00"}}),
        ev("beacon", user, beacon={"hwid": "d41d8cd98f", "type": "enter"}),
        ev("message", group, message={"id": "325708", "type": "text", "text": "Hello, world",
                                      "quoteToken": "q"}),
        ev("message", user, message={"id": "325708", "type": "file", "fileName": "file.txt",
                                     "fileSize": 2138}),
        ev("unsend", group, reply=False, unsend={"messageId": "325708"}),
        ev("undefined", user, reply=False, undefinedField={"1": 1}),
    )


def test_sdk_sample_payload_is_stored_by_kind_without_platform_ids(web, factory):
    response = post_line(web, _sdk_sample())
    assert response.status_code == 200
    with factory() as session:
        events = session.scalars(select(InboundEvent).order_by(InboundEvent.id)).all()
        residents = session.scalars(select(Resident)).all()
    kinds = [e.kind for e in events]
    assert kinds == ["text", "other", "media", "media", "media", "media", "follow", "unfollow",
                     "other", "postback", "other", "other", "media", "other", "other"]
    assert [e.payload.get("type") for e in events if e.kind == "media"] == [
        "video", "audio", "location", "sticker", "file"]
    # Groups and rooms are stored for the record but belong to no resident.
    assert events[1].resident_id is None and events[11].resident_id is None
    assert len(residents) == 1 and residents[0].label
    stored = json.dumps([[e.payload, e.text, e.postback] for e in events], ensure_ascii=False)
    for secret in (SAMPLE_USER, "Ca56f94637cc4347f90a25382909b24b9", "Ra8dbf46"):
        assert secret not in stored
    assert SAMPLE_USER not in (residents[0].platform_id_enc or "")


def test_missing_or_wrong_signature_is_refused_and_nothing_stored(web, factory):
    body = payload(text_event(user_id(), "こんにちは"))
    assert post_line(web, body, signature=None).status_code == 400
    assert post_line(web, body, signature="bm90IHRoZSBzaWduYXR1cmU=").status_code == 400
    raw, good = signed(body, LINE_SECRET)
    tampered = raw.replace("こんにちは".encode(), "さようなら".encode())
    response = web.post("/webhooks/line", data=tampered, headers={"X-Line-Signature": good})
    assert response.status_code == 400
    wrong_key = signed(body, "another-channel-secret")[1]
    assert post_line(web, body, signature=wrong_key).status_code == 400
    assert count(factory, InboundEvent) == 0 and count(factory, Resident) == 0


def test_malformed_json_with_valid_signature_is_refused(web, factory):
    assert post_line(web, b'{"destination": "U1", "events": [').status_code == 400
    assert post_line(web, b'{"destination": "U1"}').status_code == 400
    assert post_line(web, b'{"events": "nope"}').status_code == 400
    assert count(factory, InboundEvent) == 0


def test_connectivity_check_with_no_events_answers_200(web, factory):
    assert post_line(web, {"destination": "U0123", "events": []}).status_code == 200
    assert count(factory, InboundEvent) == 0


def test_unconfigured_line_answers_404(web, env):
    env_copy = env.model_copy(update={"line_channel_secret": ""})
    from tsunagu.web import create_app

    client = create_app(env_copy, test_config={"TESTING": True}).test_client()
    response = post_line(client, payload(text_event(user_id(), "x")))
    assert response.status_code == 404
    assert "LINE" in response.get_json()["error"]


def test_redelivered_event_is_answered_once(web, factory, drain, fake_line):
    user = user_id()
    first = text_event(user, "こんにちは")
    assert post_line(web, payload(first)).status_code == 200
    again = dict(first, deliveryContext={"isRedelivery": True})
    assert post_line(web, payload(again)).status_code == 200
    drain()
    post_line(web, payload(again))
    drain()
    assert count(factory, InboundEvent) == 1
    sends = fake_line.sends()
    assert len(sends) == 1, [r.path for r in sends]
    assert sends[0].path == "/v2/bot/message/reply"
    assert sends[0].data["replyToken"] == first["replyToken"]
    assert 1 <= len(sends[0].data["messages"]) <= 5


def test_one_webhook_with_several_residents_answers_each(web, factory, drain, fake_line):
    alice, bob = user_id(), user_id()
    a, b = follow_event(alice), text_event(bob, "家賃が払えなくて困っています")
    assert post_line(web, payload(a, b)).status_code == 200
    drain()
    with factory() as session:
        assert len(session.scalars(select(Resident)).all()) == 2
    tokens = {r.data["replyToken"] for r in fake_line.sends()}
    assert tokens == {a["replyToken"], b["replyToken"]}
    loading = {r.data["chatId"] for r in fake_line.wait_for("/chat/loading/start", 1)}
    assert loading == {bob}  # a message is being worked on; a follow is answered at once


def test_sticker_gets_a_kind_reply_and_staff_see_it(web, factory, drain, fake_line):
    user = user_id()
    post_line(web, payload(message_event(user, {"type": "sticker", "packageId": "1",
                                            "stickerId": "2", "stickerResourceType": "STATIC"})))
    drain()
    assert any("文字だけ" in text for text in fake_line.texts())
    with factory() as session:
        lines = session.scalars(select(Message.text).where(Message.direction == "in")).all()
    assert "（スタンプが送られました）" in lines


def test_quick_reply_press_comes_back_with_its_label(web, factory, drain, fake_line):
    user = user_id()
    post_line(web, payload(message_event(user, {"type": "image", "contentProvider": {"type": "line"}})))
    drain()
    items = [i for r in fake_line.sends() for m in r.data["messages"]
             for i in (m.get("quickReply") or {}).get("items", [])]
    assert items, "the answer offers buttons"
    action = items[0]["action"]
    assert action["type"] == "postback" and action["displayText"] == action["label"]
    post_line(web, payload(postback_event(user, action["data"])))
    drain()
    with factory() as session:
        pressed = session.scalars(select(InboundEvent).where(InboundEvent.kind == "postback")).one()
        lines = session.scalars(select(Message.text).where(Message.direction == "in")).all()
    assert "\n" not in pressed.postback and len(pressed.postback.encode()) <= 64
    assert lines[-1] == action["label"]


def test_unfollow_marks_resident_inactive_and_stops_outreach(web, factory, drain, fake_line):
    user = user_id()
    post_line(web, payload(follow_event(user)))
    drain()
    sent_before = len(fake_line.sends())
    post_line(web, payload(unfollow_event(user)))
    drain()
    with factory() as session:
        resident = session.scalars(select(Resident)).one()
        pending = session.scalars(select(OutboundMessage)
                                  .where(OutboundMessage.status == "pending")).all()
    assert resident.active is False and pending == []
    assert len(fake_line.sends()) == sent_before
