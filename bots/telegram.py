"""Telegram: the webhook (POST /webhooks/telegram) and the channel factory for the sender.

The webhook checks the secret token header in constant time, stores the update and
answers 200. No API call on the request thread: answering a button press
(answerCallbackQuery) and "typing…" are queued to the process's Telegram event loop after
the update is stored (bots/telegram_send.py). The worker answers from the outbox.
"""

from __future__ import annotations

import functools
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType

from bots.engine import will_answer
from tsunagu import pipeline, workers
from tsunagu.web import session_factory

log = logging.getLogger(__name__)
bp = Blueprint("telegram", __name__, url_prefix="/webhooks")

CHANNEL = "telegram"
# Telegram message field → the media type the engine names in the transcript.
MEDIA = [("sticker", "sticker"), ("photo", "image"), ("animation", "video"),
         ("video", "video"), ("video_note", "video"), ("voice", "audio"), ("audio", "audio"),
         ("document", "file"), ("venue", "location"), ("location", "location"),
         ("contact", "contact")]


def make_channel(settings):  # type: ignore[no-untyped-def]
    from bots.telegram_send import TelegramChannel

    return TelegramChannel(settings)


def check_secret(expected: str, given: str | None) -> bool:
    return bool(expected) and given is not None and hmac.compare_digest(
        given.encode("utf-8", "replace"), expected.encode("utf-8"))


def _event_id(update_id: int, update: Update | None) -> str:
    """update_id, plus something of the update itself: Telegram may restart the numbering
    after a quiet week, and a new update must not be taken for an old one."""
    extra = ""
    if update is not None:
        if update.callback_query is not None:
            extra = update.callback_query.id
        elif update.effective_message is not None:
            extra = f"{update.effective_message.message_id}@{int(update.effective_message.date.timestamp())}"
        elif update.my_chat_member is not None:
            extra = str(int(update.my_chat_member.date.timestamp()))
    return f"{update_id}:{extra}"[:128]


def _label(message: Message | None, data: str) -> str | None:
    """The pressed button's label, read from the keyboard of the message it was under."""
    markup = message.reply_markup if message is not None else None
    for row in (markup.inline_keyboard if markup else ()):
        for button in row:
            if button.callback_data == data:
                return button.text[:40]
    return None


def _private_chat(chat: Any) -> str | None:
    return str(chat.id) if chat is not None and chat.type == ChatType.PRIVATE else None


def to_incoming(update_id: int, update: Update | None) -> tuple[pipeline.Incoming, str | None]:
    """One update → (Incoming, callback query id to answer). Payload keeps no ids."""
    make = functools.partial(pipeline.Incoming, channel=CHANNEL, platform_user_id=None,
                             platform_event_id=_event_id(update_id, update))
    if update is None:
        return make(kind="other", payload={"type": "unreadable"}), None
    if update.message is not None:
        return _from_message(update.message, make), None
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message if isinstance(query.message, Message) else None
        if message is not None:
            user = _private_chat(message.chat)
        else:  # no message sent along: a private chat's id is the user's id
            user = str(query.from_user.id) if query.from_user is not None else None
        payload = {"type": "callback_query"}
        if not query.data or user is None:
            return make(kind="other", payload=payload), query.id
        label = _label(message, query.data)
        if label:
            payload["label"] = label
        return make(platform_user_id=user, kind="postback", postback=query.data[:300],
                    payload=payload), query.id
    if update.my_chat_member is not None:
        member = update.my_chat_member
        user = _private_chat(member.chat)
        status = member.new_chat_member.status
        payload = {"type": "my_chat_member", "status": str(status)}
        if user is not None and status in (ChatMemberStatus.BANNED, ChatMemberStatus.MEMBER):
            kind = "unfollow" if status == ChatMemberStatus.BANNED else "follow"
            return make(platform_user_id=user, kind=kind, payload=payload), None
        return make(kind="other", payload=payload), None
    kinds = [k for k in ("edited_message", "channel_post", "inline_query") if getattr(update, k)]
    return make(kind="other", payload={"type": kinds[0] if kinds else "other"}), None


def _from_message(message: Message, make: Callable[..., pipeline.Incoming]) -> pipeline.Incoming:
    user = _private_chat(message.chat)
    if user is None:
        return make(kind="other", payload={"type": "message", "chat": str(message.chat.type)})
    if message.text is not None:
        if message.text.split("@")[0].strip() == "/start":  # the Start button
            return make(platform_user_id=user, kind="follow", payload={"type": "message"})
        return make(platform_user_id=user, kind="text", text=message.text,
                    payload={"type": "message"})
    media = next((name for field, name in MEDIA if getattr(message, field, None)), None)
    if media is None:
        return make(platform_user_id=user, kind="other", payload={"type": "message"})
    if message.caption:  # a photo with words: read the words
        return make(platform_user_id=user, kind="text", text=message.caption,
                    payload={"type": "message", "media": media})
    return make(platform_user_id=user, kind="media", payload={"type": media})


def _error(message: str, status: int):  # type: ignore[no-untyped-def]
    return jsonify({"error": message}), status


@bp.post("/telegram")
def webhook():  # type: ignore[no-untyped-def]
    settings = current_app.config["TSUNAGU"]
    if not settings.telegram_bot_token or not settings.telegram_webhook_secret:
        return _error("Telegram is not configured on this server "
                      "(TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET)", 404)
    if not check_secret(settings.telegram_webhook_secret,
                        request.headers.get("X-Telegram-Bot-Api-Secret-Token")):
        log.warning("Telegram webhook: missing or wrong secret token")
        return _error("forbidden", 403)
    try:
        data = json.loads(request.get_data(cache=False))
        update_id = data["update_id"]
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise TypeError("update_id is not an integer")
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("Telegram webhook: malformed body (%s)", type(exc).__name__)
        return _error("malformed body", 400)
    try:
        update = Update.de_json(data, None)
    except Exception as exc:  # noqa: BLE001 - a shape PTB cannot read: keep it, say 200
        log.warning("Telegram webhook: unreadable update (%s)", type(exc).__name__)
        update = None
    incoming, callback_id = to_incoming(update_id, update)

    with session_factory(current_app).begin() as session:
        event = pipeline.ingest(session, incoming)
        typing = event is not None and will_answer(session, event)
    if event is None:
        return jsonify({}), 200  # a redelivery: stored and answered once
    workers.wake()
    from bots import telegram_send

    if callback_id:
        telegram_send.answer_callback_soon(settings, callback_id)
    if typing and incoming.platform_user_id:
        telegram_send.typing_soon(settings, incoming.platform_user_id)
    return jsonify({}), 200
