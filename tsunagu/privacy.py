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
                outcome=Conversation.outcome, closed_at=clock.now(),
            )
        )
    session.execute(
        update(InboundEvent).where(InboundEvent.resident_id == resident.id)
        .values(text=None, postback=None, payload={}, reply_token=None)
    )
    scrub_out = update(OutboundMessage).where(OutboundMessage.resident_id == resident.id)
    if keep_outbound_id is not None:
        scrub_out = scrub_out.where(OutboundMessage.id != keep_outbound_id)
    session.execute(scrub_out.values(text="", quick_replies=[], recipient_enc=None))
    session.execute(
        update(OutboundMessage).where(OutboundMessage.resident_id == resident.id,
                                      OutboundMessage.status == "pending",
                                      OutboundMessage.text == "")
        .values(status="cancelled")
    )
    resident.platform_id_enc = None
    resident.pseudonym = f"deleted-{uuid.uuid4().hex}"
    resident.active = False
    resident.deleted_at = clock.now()
