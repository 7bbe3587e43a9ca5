"""A fake Telegram Bot API on 127.0.0.1, and builders for webhook updates.

    with FakeTelegram() as tg:                     # TELEGRAM_API_BASE_URL = tg.url
        tg.script("/sendMessage", [retry_after(3), Answer(200, …)])
        client.post("/webhooks/telegram", json=text_update(42, "こんにちは"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        tg.texts()  → every text sendMessage accepted, in order

The update shapes follow the Bot API's Update object with the fields python-telegram-bot
requires (message_id, date, chat.id/type, from.id/is_bot/first_name, callback id, …).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.fakes.server import Answer, FakeServer, Recorded

__all__ = [
    "Answer",
    "FakeTelegram",
    "callback_update",
    "error",
    "media_update",
    "member_update",
    "retry_after",
    "text_update",
]

_ids = itertools.count(int(time.time()) % 100000 * 1000)
BOT = {"id": 7000001, "is_bot": True, "first_name": "つなぐ"}


def retry_after(seconds: int) -> Answer:
    return Answer(429, {"ok": False, "error_code": 429,
                        "description": f"Too Many Requests: retry after {seconds}",
                        "parameters": {"retry_after": seconds}})


def error(code: int, description: str) -> Answer:
    return Answer(code, {"ok": False, "error_code": code, "description": description})


class FakeTelegram(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self._message_ids = itertools.count(100)
        self.webhook_url = ""   # what getWebhookInfo reports

    @staticmethod
    def method(rec: Recorded) -> str:
        return rec.route.rsplit("/", 1)[-1]

    def default(self, rec: Recorded) -> Answer:
        method, data = self.method(rec), rec.data or {}
        if method == "getMe":
            return Answer(200, {"ok": True, "result": {**BOT, "username": "tsunagu_bot"}})
        if method == "sendMessage":
            result = {"message_id": next(self._message_ids), "date": int(time.time()),
                      "chat": {"id": int(data.get("chat_id", 0)), "type": "private"},
                      "text": data.get("text", "")}
            if data.get("reply_markup"):
                result["reply_markup"] = data["reply_markup"]
            return Answer(200, {"ok": True, "result": result})
        if method in ("answerCallbackQuery", "sendChatAction", "setWebhook", "deleteWebhook"):
            return Answer(200, {"ok": True, "result": True})
        if method == "getWebhookInfo":
            return Answer(200, {"ok": True, "result": {
                "url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": 0}})
        return error(404, "Not Found: method not found")

    def sent(self) -> list[Recorded]:
        """sendMessage calls Telegram accepted, in order."""
        return [r for r in list(self.requests)
                if self.method(r) == "sendMessage" and 200 <= r.status < 300]

    def texts(self) -> list[str]:
        return [r.data["text"] for r in self.sent()]


def _user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Taro", "language_code": "ja"}


def _private(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": "Taro"}


def _message(chat_id: int, **fields: Any) -> dict[str, Any]:
    return {"message_id": next(_ids), "date": int(time.time()), "chat": _private(chat_id),
            "from": _user(chat_id), **fields}


def text_update(chat_id: int, text: str) -> dict[str, Any]:
    return {"update_id": next(_ids), "message": _message(chat_id, text=text)}


def media_update(chat_id: int, kind: str = "sticker") -> dict[str, Any]:
    samples: dict[str, Any] = {
        "sticker": {"file_id": "CAACAgIAAxk", "file_unique_id": "AgADBAAD", "type": "regular",
                    "width": 512, "height": 512, "is_animated": False, "is_video": False},
        "photo": [{"file_id": "AgACAgIAAxk", "file_unique_id": "AQADAgAT", "width": 90,
                   "height": 90}],
        "voice": {"file_id": "AwACAgIAAxk", "file_unique_id": "AgADAwAD", "duration": 3},
        "location": {"latitude": 36.44, "longitude": 136.45},
    }
    return {"update_id": next(_ids), "message": _message(chat_id, **{kind: samples[kind]})}


def callback_update(chat_id: int, data: str, label: str | None = None) -> dict[str, Any]:
    message = _message(chat_id, text="…", **{"from": BOT})
    if label:
        message["reply_markup"] = {"inline_keyboard": [[{"text": label, "callback_data": data}]]}
    return {"update_id": next(_ids), "callback_query": {
        "id": str(next(_ids)) + "4242", "from": _user(chat_id), "message": message,
        "chat_instance": "-8123456789", "data": data}}


def member_update(chat_id: int, status: str) -> dict[str, Any]:
    """status: "kicked" (the resident blocked the bot) or "member" (unblocked)."""
    def member(state: str) -> dict[str, Any]:
        return {"user": BOT, "status": state, **({"until_date": 0} if state == "kicked" else {})}

    old = "member" if status == "kicked" else "kicked"
    return {"update_id": next(_ids), "my_chat_member": {
        "chat": _private(chat_id), "from": _user(chat_id), "date": int(time.time()),
        "old_chat_member": member(old), "new_chat_member": member(status)}}
