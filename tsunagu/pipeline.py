"""The durable pipeline: ingest → worker → outbox → sender.

1. `ingest` stores an inbound event (unique on channel + platform event id) and commits,
   before the webhook answers 200.
2. `process_next` takes the oldest pending event of a resident whose earlier events are
   all done, runs the conversation engine, writes the outbox and marks the event done —
   all in ONE transaction. A worker killed half-way leaves no trace; the event is still
   pending and is taken again. On PostgreSQL the resident row is locked with
   FOR UPDATE SKIP LOCKED, so any number of workers share the work and one resident's
   events stay in order. On SQLite the transaction holds the write lock (BEGIN IMMEDIATE).
3. `deliver_next` leases a batch of outbox rows of one resident, sends it through the
   channel outside any transaction, and records the result (retry with backoff, failed, sent).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, sessionmaker

from tsunagu import clock, identity
from tsunagu.db import is_postgres
from tsunagu.models import InboundEvent, OutboundMessage, Resident

log = logging.getLogger(__name__)

MAX_EVENT_ATTEMPTS = 5
MAX_SEND_ATTEMPTS = 8
SEND_LEASE = timedelta(seconds=60)


# --- 1. ingest ---------------------------------------------------------------------

def _insert(session: Session):  # type: ignore[no-untyped-def]
    """INSERT with ON CONFLICT DO NOTHING, spelled for this session's dialect."""
    return postgresql.insert if is_postgres(session) else sqlite.insert


def find_resident(session: Session, channel: str, platform_user_id: str) -> Resident | None:
    digest = identity.pseudonym(channel, platform_user_id)
    return session.scalar(select(Resident).where(Resident.pseudonym == digest))


def find_or_create_resident(session: Session, channel: str, platform_user_id: str) -> Resident:
    resident = find_resident(session, channel, platform_user_id)
    if resident is None:
        digest = identity.pseudonym(channel, platform_user_id)
        session.execute(
            _insert(session)(Resident)
            .values(
                channel=channel, pseudonym=digest, label=identity.label_for(digest),
                platform_id_enc=identity.encrypt(platform_user_id), active=True,
                created_at=clock.now(),
            )
            .on_conflict_do_nothing(index_elements=["pseudonym"])
        )
        resident = session.scalars(select(Resident).where(Resident.pseudonym == digest)).one()
    return resident


@dataclass(frozen=True)
class Incoming:
    """One platform event, as every channel hands it over."""

    channel: str
    platform_event_id: str
    platform_user_id: str | None
    kind: str                       # text | postback | follow | unfollow | media | other
    text: str | None = None
    postback: str | None = None
    payload: dict[str, Any] | None = None   # no platform user ids in here
    reply_token: str | None = None


def ingest(session: Session, incoming: Incoming) -> InboundEvent | None:
    """Store the event in the caller's transaction. Returns None for a redelivery."""
    resident_id = None
    if incoming.platform_user_id:
        resident_id = find_or_create_resident(
            session, incoming.channel, incoming.platform_user_id
        ).id
    row = session.execute(
        _insert(session)(InboundEvent)
        .values(
            channel=incoming.channel, platform_event_id=incoming.platform_event_id,
            resident_id=resident_id, kind=incoming.kind, text=incoming.text,
            postback=incoming.postback, payload=incoming.payload or {},
            reply_token=incoming.reply_token, status="pending", attempts=0,
            received_at=clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["channel", "platform_event_id"])
        .returning(InboundEvent.id)
    ).first()
    if row is None:
        return None
    return session.get(InboundEvent, row[0])


# --- 2. worker ---------------------------------------------------------------------

Handler = Callable[[Session, InboundEvent], None]


def _claim(session: Session) -> InboundEvent | None:
    """Lock and return the next event that may be processed now, or None."""
    earlier = aliased(InboundEvent)
    blocked = exists().where(
        and_(earlier.resident_id == InboundEvent.resident_id, earlier.id < InboundEvent.id,
             earlier.status == "pending")
    )
    candidates = select(InboundEvent.id, InboundEvent.resident_id).where(
        InboundEvent.status == "pending", ~blocked
    ).order_by(InboundEvent.id).limit(20)
    if not is_postgres(session):
        first = session.execute(candidates.limit(1)).first()
        return session.get(InboundEvent, first[0]) if first else None
    for event_id, resident_id in session.execute(candidates).all():
        if resident_id is not None:
            got = session.execute(
                select(Resident.id).where(Resident.id == resident_id)
                .with_for_update(skip_locked=True)
            ).first()
            if got is None:
                continue  # another worker holds this resident
        event = session.scalar(
            select(InboundEvent).where(InboundEvent.id == event_id,
                                       InboundEvent.status == "pending")
            .with_for_update(skip_locked=True)
        )
        if event is not None:
            return event
    return None


def process_next(factory: sessionmaker[Session], handle: Handler) -> bool:
    """Process one event. Returns False when there was nothing to do."""
    failed_id = None
    try:
        with factory.begin() as session:
            event = _claim(session)
            if event is None:
                return False
            failed_id = event.id
            handle(session, event)
            event.status = "done"
            event.processed_at = clock.now()
        return True
    except Exception as exc:  # the engine's work is rolled back; record why, no content
        if failed_id is None:
            raise
        log.exception("event %s failed", failed_id)
        with factory.begin() as session:
            event = session.get(InboundEvent, failed_id)
            if event is not None and event.status == "pending":
                event.attempts += 1
                event.error = f"{type(exc).__name__}: {exc}"[:2000]
                if event.attempts >= MAX_EVENT_ATTEMPTS:
                    event.status = "failed"
        return True


# --- 3. sender ---------------------------------------------------------------------

@dataclass(frozen=True)
class Delivery:
    """What a channel needs to send one outbox row."""

    outbound_id: int
    recipient: str          # decrypted platform user id; never log it
    text: str
    quick_replies: list[dict[str, str]]
    retry_key: str
    reply_token: str | None
    received_at: Any        # when the inbound event arrived (reply-token freshness)
    attempts: int


@dataclass(frozen=True)
class SendResult:
    status: str                      # sent | retry | failed
    error: str | None = None
    retry_after: float | None = None  # seconds (429 Retry-After)


def _lease(session: Session, max_batch: Callable[[str], int]) -> list[OutboundMessage]:
    now = clock.now()
    earlier = aliased(OutboundMessage)
    blocked = exists().where(
        and_(earlier.resident_id == OutboundMessage.resident_id,
             earlier.id < OutboundMessage.id,
             earlier.status.in_(("pending", "sending")))
    )
    ready = (
        (OutboundMessage.status == "pending") & (OutboundMessage.next_attempt_at <= now)
    ) | ((OutboundMessage.status == "sending") & (OutboundMessage.lease_until < now))
    query = select(OutboundMessage).where(ready, ~blocked).order_by(OutboundMessage.id).limit(1)
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    first = session.scalar(query)
    if first is None:
        return []
    batch = [first]
    limit = max_batch(first.channel)
    # A retried batch (due again, or its lease expired) must be the same rows as before:
    # the retry key is the first row's, and LINE drops a repeat of that key as delivered.
    if limit > 1 and first.inbound_event_id is not None:
        more = select(OutboundMessage).where(
            OutboundMessage.resident_id == first.resident_id,
            OutboundMessage.inbound_event_id == first.inbound_event_id,
            ready, OutboundMessage.id > first.id,
        ).order_by(OutboundMessage.id).limit(limit - 1)
        if is_postgres(session):
            more = more.with_for_update(skip_locked=True)
        batch += list(session.scalars(more))
    for row in batch:
        row.status = "sending"
        row.lease_until = now + SEND_LEASE
        row.attempts += 1
    return batch


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300.0, 2 ** attempts) * (0.5 + random.random() / 2))


Sender = Callable[[str, list[Delivery]], SendResult]


def deliver_next(
    factory: sessionmaker[Session], send: Sender, max_batch: Callable[[str], int]
) -> bool:
    """Send one batch from the outbox. Returns False when nothing was due."""
    with factory.begin() as session:
        batch = _lease(session, max_batch)
        if not batch:
            return False
        channel = batch[0].channel
        received = {}
        ids = {r.inbound_event_id for r in batch if r.inbound_event_id}
        if ids:
            received = dict(session.execute(
                select(InboundEvent.id, InboundEvent.received_at)
                .where(InboundEvent.id.in_(ids))).all())
        deliveries = [
            Delivery(
                outbound_id=r.id,
                recipient=identity.decrypt(r.recipient_enc) if r.recipient_enc else "",
                text=r.text, quick_replies=list(r.quick_replies), retry_key=batch[0].retry_key,
                reply_token=r.reply_token, received_at=received.get(r.inbound_event_id),
                attempts=r.attempts,
            )
            for r in batch
        ]
    if not deliveries[0].recipient:
        result = SendResult("failed", "no recipient (data deleted)")
    else:
        try:
            result = send(channel, deliveries)
        except Exception as exc:  # a channel bug must not lose the message
            log.exception("send failed on channel %s", channel)
            result = SendResult("retry", f"{type(exc).__name__}: {exc}")
    _record(factory, [d.outbound_id for d in deliveries], result)
    return True


def _record(factory: sessionmaker[Session], ids: list[int], result: SendResult) -> None:
    now = clock.now()
    # One wait for the whole batch, so it becomes due (and is leased) together again.
    wait = timedelta(seconds=result.retry_after) if result.retry_after else None
    with factory.begin() as session:
        rows = session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids))).all()
        wait = wait or _backoff(max((r.attempts for r in rows), default=1))
        for row in rows:
            if row.status != "sending":
                continue
            row.last_error = result.error
            row.lease_until = None
            if result.status == "sent":
                row.status, row.sent_at, row.recipient_enc = "sent", now, None
            elif result.status == "retry" and row.attempts < MAX_SEND_ATTEMPTS:
                row.status = "pending"
                row.next_attempt_at = now + wait
                row.reply_token = None  # a retried reply goes out as a push
            else:
                row.status, row.recipient_enc = "failed", None


def cancel_pending(session: Session, resident_id: int, source: str | None = None) -> int:
    """Stop queued messages to a resident (handoff, unfollow, deletion)."""
    query = update(OutboundMessage).where(
        OutboundMessage.resident_id == resident_id, OutboundMessage.status == "pending"
    )
    if source:
        query = query.where(OutboundMessage.source == source)
    return session.execute(query.values(status="cancelled")).rowcount
