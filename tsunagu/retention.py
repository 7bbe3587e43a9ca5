"""Keep consultation content only as long as the welcome message promises: a year after
the last exchange, a conversation's messages and event texts are deleted. Counts
(categories, outcome) stay for the yearly statistics."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from tsunagu import clock
from tsunagu.models import Conversation, InboundEvent, Message, OutboundMessage

RETENTION = timedelta(days=365)
EVERY_SECONDS = 3600


def do_purge_expired(session: Session) -> int:
    """Delete the content of conversations quiet for longer than RETENTION."""
    cutoff = clock.now() - RETENTION
    last = func.coalesce(Conversation.last_resident_at, Conversation.updated_at)
    expired = list(session.scalars(
        select(Conversation.id).where(last < cutoff, Conversation.analysis.is_not(None))
        .limit(500)))
    if not expired:
        return 0
    session.execute(delete(Message).where(Message.conversation_id.in_(expired)))
    session.execute(update(OutboundMessage).where(
        OutboundMessage.conversation_id.in_(expired), OutboundMessage.status != "pending"
    ).values(text="", quick_replies=[], recipient_enc=None))
    residents = select(Conversation.resident_id).where(Conversation.id.in_(expired))
    session.execute(update(InboundEvent).where(
        InboundEvent.resident_id.in_(residents), InboundEvent.received_at < cutoff
    ).values(text=None, postback=None, payload={}))
    session.execute(update(Conversation).where(Conversation.id.in_(expired)).values(
        analysis=None, routing=None, state_data={}))
    return len(expired)


def job(factory: sessionmaker[Session], settings: object) -> tuple[str, Callable[[], bool]]:
    next_run = [0.0]

    def step() -> bool:
        if time.monotonic() < next_run[0]:
            return False
        with factory.begin() as session:
            purged = do_purge_expired(session)
        if not purged:
            next_run[0] = time.monotonic() + EVERY_SECONDS
        return bool(purged)

    return "retention", step
