"""LINE: the webhook (POST /webhooks/line) and the channel factory for the sender.

The webhook only verifies, stores and answers 200: no classification and no LINE API call
on the request thread (LINE waits at most 2 seconds). The worker answers from the outbox
(bots/line_send.py), by reply token when the answer is quick, else by push.

Events are read as plain JSON, not through the SDK's webhook models: those reject events
that lack a field added in a later API version (e.g. a text without quoteToken) and turn
them into UnknownEvent, which would silently drop a resident's message. The signature is
checked on the exact bytes received.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from bots.engine import will_answer
from tsunagu import pipeline, workers
from tsunagu.web import session_factory

log = logging.getLogger(__name__)
bp = Blueprint("line", __name__, url_prefix="/webhooks")

CHANNEL = "line"
MEDIA_TYPES = {"image", "video", "audio", "file", "location", "sticker"}
LABEL_SEP = "\n"  # postback data = "<short id>\n<button label>" (see postback_data)


def make_channel(settings):  # type: ignore[no-untyped-def]
    from bots.line_send import LineChannel

    return LineChannel(settings)


def check_signature(secret: str, body: bytes, signature: str | None) -> bool:
    """Base64 HMAC-SHA256 of the raw body, keyed with the channel secret."""
    if not signature:
        return False
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest), signature.strip().encode("ascii", "replace"))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _event_id(event: dict[str, Any]) -> str:
    event_id = _str(event.get("webhookEventId"))
    if event_id:
        return event_id[:128]
    # Very old payloads have no id: the event's own bytes identify a redelivery.
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def postback_data(postback: str, label: str) -> str:
    """Our quick replies carry the button label after the short id (for the transcript);
    LINE allows 300 characters of data."""
    data = f"{postback}{LABEL_SEP}{label}"
    return data if len(data) <= 300 else postback[:300]


def split_postback(data: str) -> tuple[str, str | None]:
    """The short id and the button label of `postback_data`."""
    postback, sep, label = data.partition(LABEL_SEP)
    return postback, (label[:40] if sep and label else None)


def to_incoming(event: dict[str, Any]) -> pipeline.Incoming:
    """One LINE webhook event → Incoming. Payload keeps no user, group or room ids."""
    etype = str(event.get("type") or "unknown")[:32]
    source = _dict(event.get("source"))
    user_id = _str(source.get("userId"))
    one_to_one = source.get("type") == "user" and user_id is not None
    payload: dict[str, Any] = {"type": etype, "source": str(source.get("type") or "")[:16]}
    if _dict(event.get("deliveryContext")).get("isRedelivery"):
        payload["redelivery"] = True
    reply_token = _str(event.get("replyToken"))
    base: dict[str, Any] = {
        "channel": CHANNEL, "platform_event_id": _event_id(event),
        "platform_user_id": user_id if one_to_one else None,
        "reply_token": reply_token[:256] if reply_token else None}

    # Groups and rooms are not a place for a consultation; standby mode means another
    # module holds the chat. Both are kept for the record and not answered.
    if not one_to_one or event.get("mode", "active") != "active":
        payload["mode"] = str(event.get("mode") or "")[:16]
        return pipeline.Incoming(kind="other", payload=payload, **base)
    if etype == "message":
        message = _dict(event.get("message"))
        mtype = str(message.get("type") or "unknown")[:32]
        if mtype == "text" and isinstance(message.get("text"), str):
            return pipeline.Incoming(kind="text", text=message["text"], payload=payload, **base)
        payload["type"] = mtype
        kind = "media" if mtype in MEDIA_TYPES else "other"
        return pipeline.Incoming(kind=kind, payload=payload, **base)
    if etype == "postback":
        data = _str(_dict(event.get("postback")).get("data"))
        if data:
            postback, label = split_postback(data)
            if label:
                payload["label"] = label
            return pipeline.Incoming(kind="postback", postback=postback[:300], payload=payload,
                                     **base)
    if etype in ("follow", "unfollow"):
        return pipeline.Incoming(kind=etype, payload=payload, **base)
    return pipeline.Incoming(kind="other", payload=payload, **base)


def _error(message: str, status: int):  # type: ignore[no-untyped-def]
    return jsonify({"error": message}), status


@bp.post("/line")
def webhook():  # type: ignore[no-untyped-def]
    settings = current_app.config["TSUNAGU"]
    if not settings.line_channel_secret:
        return _error("LINE is not configured on this server (LINE_CHANNEL_SECRET)", 404)
    body = request.get_data(cache=False)
    if not check_signature(settings.line_channel_secret, body,
                           request.headers.get("X-Line-Signature")):
        log.warning("LINE webhook: missing or invalid signature")
        return _error("invalid signature", 400)
    try:
        data = json.loads(body)
        events = data["events"]
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise ValueError("events is not a list of objects")
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("LINE webhook: malformed body (%s)", type(exc).__name__)
        return _error("malformed body", 400)

    incomings = [to_incoming(e) for e in events]
    loading: list[str] = []  # chats that will get a bot answer: show the loading animation
    stored = 0
    if incomings:
        with session_factory(current_app).begin() as session:
            for incoming in incomings:
                event = pipeline.ingest(session, incoming)
                if event is None:
                    continue  # a redelivery: stored and answered once
                stored += 1
                if will_answer(session, event):
                    loading.append(incoming.platform_user_id)
        workers.wake()
    if loading:
        from bots import line_send

        for chat_id in dict.fromkeys(loading):
            line_send.show_loading_soon(settings, chat_id)
    log.info("LINE webhook: %d events, %d new", len(incomings), stored)
    return jsonify({}), 200
