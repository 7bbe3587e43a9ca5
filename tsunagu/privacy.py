"""A resident's 「データを削除」: their messages and identifiers go; counts without content
stay for statistics. Features that store resident content register a scrubber."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tsunagu import clock
from tsunagu.models import Conversation, InboundEvent, Message, OutboundMessage, Resident

# Each takes (session, resident) and removes that feature's personal content.
SCRUBBERS: list[Callable[[Session, Resident], None]] = []


def do_delete_resident_data(session: Session, resident: Resident,
                            keep_outbound_id: int | None = None) -> None:
    conv_ids = list(session.scalars(
        select(Conversation.id).where(Conversation.resident_id == resident.id)))
    for scrub in SCRUBBERS:
        scrub(session, resident)
    if conv_ids:
        session.execute(delete(Message).where(Message.conversation_id.in_(conv_ids)))
        session.execute(
            update(Conversation).where(Conversation.id.in_(conv_ids)).values(
                analysis=None, routing=None, state="idle", state_data={}, status="closed",
                closed_at=clock.now(),
            )
        )
    session.execute(
        update(InboundEvent).where(InboundEvent.resident_id == resident.id)
        .values(text=None, postback=None, payload={}, reply_token=None)
    )
    # Every message to this resident but the goodbye: queued ones are not sent, all lose
    # their text and recipient.
    others = update(OutboundMessage).where(OutboundMessage.resident_id == resident.id)
    if keep_outbound_id is not None:
        others = others.where(OutboundMessage.id != keep_outbound_id)
    session.execute(others.where(OutboundMessage.status == "pending").values(status="cancelled"))
    session.execute(others.values(text="", quick_replies=[], recipient_enc=None))
    resident.platform_id_enc = None
    resident.pseudonym = f"deleted-{uuid.uuid4().hex}"
    resident.active = False
    resident.deleted_at = clock.now()
