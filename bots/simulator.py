"""The local web chat: the embedded default channel, like Rasa's REST channel.

POST /simulator/api/messages  {"user": "<any id>", "text": "…"} or {"user", "postback"}
    → stored as an inbound event, answered once the engine has processed it (≤ 5 s).
GET  /simulator/api/messages?user=…&after=<id>  → later messages (e.g. a consultant's).
GET  /simulator  → a phone-sized chat page.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request
from sqlalchemy import select

from tsunagu import pipeline, workers
from tsunagu.models import InboundEvent, OutboundMessage
from tsunagu.web import session_factory

bp = Blueprint("simulator", __name__, url_prefix="/simulator",
               template_folder="templates", static_folder="static")

MAX_TEXT = 5000
MAX_USER = 128
MAX_POSTBACK = 300
WAIT_SECONDS = 5.0


class BadRequest(Exception):
    pass


def _error(message: str, status: int = 400):  # type: ignore[no-untyped-def]
    return jsonify({"error": message}), status


@bp.get("")
def page():  # type: ignore[no-untyped-def]
    return render_template("simulator.html")


def _check_body(body: Any) -> tuple[str, str | None, str | None, str | None]:
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    user = body.get("user")
    if not isinstance(user, str) or not user.strip() or len(user) > MAX_USER:
        raise BadRequest(f"'user' must be a non-empty string of at most {MAX_USER} characters")
    text, postback, label = body.get("text"), body.get("postback"), body.get("label")
    if (text is None) == (postback is None):
        raise BadRequest("give exactly one of 'text' or 'postback'")
    if text is not None:
        if not isinstance(text, str) or not text.strip():
            raise BadRequest("'text' must be a non-empty string")
        if len(text) > MAX_TEXT:
            raise BadRequest(f"'text' is longer than {MAX_TEXT} characters")
    if postback is not None and (not isinstance(postback, str) or not postback
                                 or len(postback) > MAX_POSTBACK):
        raise BadRequest(f"'postback' must be a non-empty string of at most {MAX_POSTBACK}")
    if label is not None and not isinstance(label, str):
        raise BadRequest("'label' must be a string")
    return user, text, postback, label


@bp.post("/api/messages")
def post_message():  # type: ignore[no-untyped-def]
    body = request.get_json(silent=True)
    if body is None:
        return _error("the body is not valid JSON")
    try:
        user, text, postback, label = _check_body(body)
    except BadRequest as exc:
        return _error(str(exc))
    incoming = pipeline.Incoming(
        channel="web", platform_event_id=uuid.uuid4().hex, platform_user_id=user,
        kind="text" if text is not None else "postback", text=text, postback=postback,
        payload={"label": label[:40]} if label else {},
    )
    factory = session_factory(current_app)
    with factory.begin() as session:
        event = pipeline.ingest(session, incoming)
        assert event is not None  # a fresh id never collides
        event_id = event.id
    workers.wake()
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        with factory() as session:
            status = session.scalar(select(InboundEvent.status).where(InboundEvent.id == event_id))
            if status != "pending":
                rows = session.scalars(
                    select(OutboundMessage).where(OutboundMessage.inbound_event_id == event_id)
                    .order_by(OutboundMessage.id)).all()
                return jsonify({"replies": [_reply_json(r) for r in rows]})
        if time.monotonic() > deadline:
            return jsonify({"replies": [], "pending": True,
                            "error": "still processing; fetch with GET"}), 202
        time.sleep(0.05)


@bp.get("/api/messages")
def get_messages():  # type: ignore[no-untyped-def]
    user = request.args.get("user", "")
    after = request.args.get("after", "0")
    if not user or len(user) > MAX_USER:
        return _error("'user' is required")
    if not after.isdigit():
        return _error("'after' must be a message id")
    factory = session_factory(current_app)
    with factory() as session:
        resident = pipeline.find_resident(session, "web", user)
        if resident is None:
            return jsonify({"replies": []})
        rows = session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.resident_id == resident.id,
                OutboundMessage.id > int(after),
                OutboundMessage.status != "cancelled",
            ).order_by(OutboundMessage.id).limit(100)).all()
        return jsonify({"replies": [_reply_json(r) for r in rows]})


def _reply_json(row: OutboundMessage) -> dict[str, Any]:
    return {"id": row.id, "text": row.text, "from": row.source,
            "quick_replies": list(row.quick_replies or [])}  # stored as {label, postback}
