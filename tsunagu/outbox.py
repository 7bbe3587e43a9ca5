"""Writing to the outbox: every message to a resident, from the bot, a consultant or a
reminder, goes through `do_enqueue`. It records the transcript line and the delivery row
in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tsunagu import clock
from tsunagu.models import Conversation, Message, OutboundMessage, Resident


@dataclass(frozen=True)
class QuickReply:
    label: str      # what the button says (LINE: at most 20 characters)
    postback: str   # what comes back when pressed (Telegram: at most 64 bytes)

    def to_json(self) -> dict[str, str]:
        return {"label": self.label, "postback": self.postback}


@dataclass(frozen=True)
class Reply:
    text: str
    quick_replies: Sequence[QuickReply] = ()


def do_enqueue(
    session: Session,
    resident: Resident,
    conversation: Conversation | None,
    reply: Reply,
    *,
    source: str = "bot",
    staff_id: int | None = None,
    inbound_event_id: int | None = None,
    reply_token: str | None = None,
    not_before: datetime | None = None,
) -> OutboundMessage:
    message = None
    if conversation is not None:
        message = Message(
            conversation_id=conversation.id, direction="out",
            sender="staff" if source == "staff" else "bot",
            kind="text", text=reply.text, staff_id=staff_id,
        )
        session.add(message)
        session.flush()
    out = OutboundMessage(
        resident_id=resident.id,
        conversation_id=conversation.id if conversation else None,
        message_id=message.id if message else None,
        inbound_event_id=inbound_event_id,
        channel=resident.channel,
        recipient_enc=resident.platform_id_enc,
        source=source,
        text=reply.text,
        quick_replies=[q.to_json() for q in reply.quick_replies],
        reply_token=reply_token,
        retry_key=str(uuid.uuid4()),
        next_attempt_at=not_before or clock.now(),
    )
    session.add(out)
    session.flush()
    return out
