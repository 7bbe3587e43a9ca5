"""A fake LINE Messaging API on 127.0.0.1, and builders for signed webhook requests.

    with FakeLine() as line:                       # LINE_API_BASE_URL = line.url
        line.script("/message/push", [Answer(500)])   # then the default 200
        body, signature = signed(payload(text_event("Uaaa…", "こんにちは")), SECRET)
        client.post("/webhooks/line", data=body, headers={"X-Line-Signature": signature})
        line.texts()  → every text sent by reply or push, in order
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from typing import Any

from tests.fakes.server import Answer, FakeServer, Recorded

__all__ = [
    "Answer",
    "FakeLine",
    "follow_event",
    "message_event",
    "payload",
    "postback_event",
    "signed",
    "text_event",
    "unfollow_event",
    "user_id",
]

REPLY, PUSH = "/v2/bot/message/reply", "/v2/bot/message/push"


class FakeLine(FakeServer):
    """Like LINE, a push whose X-Line-Retry-Key was already accepted answers 409."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted_keys: set[str] = set()

    def _next(self, rec: Recorded) -> Answer:
        key = rec.header("X-Line-Retry-Key")
        if rec.route == PUSH and key:
            with self._lock:
                if key in self.accepted_keys:
                    return Answer(409, {"message": "The retry key is already accepted"},
                                  {"x-line-accepted-request-id": "fake"})
            answer = super()._next(rec)
            if 200 <= answer.status < 300:
                with self._lock:
                    self.accepted_keys.add(key)
            return answer
        return super()._next(rec)

    def default(self, rec: Recorded) -> Answer:
        if rec.route in (REPLY, PUSH):
            count = len((rec.data or {}).get("messages") or [1])
            return Answer(200, {"sentMessages": [
                {"id": str(uuid.uuid4().int)[:18], "quoteToken": "q"} for _ in range(count)]})
        if rec.route == "/v2/bot/chat/loading/start":
            return Answer(202, {})
        return Answer(404, {"message": "Not found"})

    def sends(self) -> list[Recorded]:
        """Reply and push calls that LINE accepted (2xx), in order."""
        return [r for r in self.answered() if r.route in (REPLY, PUSH)]

    def answered(self) -> list[Recorded]:
        """Requests LINE accepted, including one still being answered (status set first)."""
        return [r for r in list(self.requests) if 200 <= r.status < 300]

    def texts(self) -> list[str]:
        return [m["text"] for r in self.sends() for m in r.data["messages"]]


def user_id() -> str:
    return "U" + uuid.uuid4().hex


def signed(body: dict[str, Any] | bytes, secret: str) -> tuple[bytes, str]:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest())
    return raw, signature.decode()


def payload(*events: dict[str, Any], destination: str = "U0123456789abcdef") -> dict[str, Any]:
    return {"destination": destination, "events": list(events)}


def _event(kind: str, user: str, reply_token: bool = True, **fields: Any) -> dict[str, Any]:
    event = {
        "type": kind, "mode": "active", "timestamp": 1462629479859,
        "source": {"type": "user", "userId": user},
        "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
        "deliveryContext": {"isRedelivery": False},
        **fields,
    }
    if reply_token:
        event["replyToken"] = uuid.uuid4().hex
    return event


def text_event(user: str, text: str) -> dict[str, Any]:
    return _event("message", user, message={
        "id": str(uuid.uuid4().int)[:18], "type": "text", "text": text,
        "quoteToken": "q" + uuid.uuid4().hex})


def message_event(user: str, message: dict[str, Any]) -> dict[str, Any]:
    return _event("message", user, message={"id": "325708", **message})


def postback_event(user: str, data: str) -> dict[str, Any]:
    return _event("postback", user, postback={"data": data})


def follow_event(user: str) -> dict[str, Any]:
    return _event("follow", user, follow={"isUnblocked": False})


def unfollow_event(user: str) -> dict[str, Any]:
    return _event("unfollow", user, reply_token=False)
