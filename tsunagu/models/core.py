"""Residents, conversations, the transcript, inbound events and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, WriteOnlyMapped, mapped_column, relationship

from tsunagu import clock
from tsunagu.models.base import Base


class Resident(Base):
    """An anonymous contact on one channel. The platform id is kept only encrypted."""

    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    # Keyed hash of channel + platform user id: finds the resident again, reveals nothing.
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id_enc: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(8))  # shown to staff as 相談者 A7K2
    active: Mapped[bool] = mapped_column(default=True)
    welcomed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    conversations: WriteOnlyMapped[Conversation] = relationship(back_populates="resident")

    @property
    def display_name(self) -> str:
        return f"相談者 {self.label}"

    def __repr__(self) -> str:
        return f"<Resident {self.id} {self.label}>"


class Conversation(Base):
    """One consultation. status: bot (the bot answers), staff (a consultant holds it: the bot
    is silent), closed. state/state_data: where the resident is in a bot flow."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_resident_status", "resident_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="bot")
    state: Mapped[str] = mapped_column(String(32), default="idle")
    state_data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    categories: Mapped[list[Any]] = mapped_column(default=list)
    crisis: Mapped[bool] = mapped_column(default=False)
    speaker: Mapped[str | None] = mapped_column(String(8))
    district: Mapped[str | None] = mapped_column(String(64))
    analysis: Mapped[dict[str, Any] | None]  # last Analysis.to_json(), with evidence
    routing: Mapped[dict[str, Any] | None]   # last Routing.to_json()
    wants_human: Mapped[bool] = mapped_column(default=False)
    wants_human_at: Mapped[datetime | None]

    assigned_agency_id: Mapped[str | None] = mapped_column(String(64))
    assigned_staff_id: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    last_resident_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    resident: Mapped[Resident] = relationship(back_populates="conversations")
    messages: WriteOnlyMapped[Message] = relationship(
        back_populates="conversation", order_by="Message.id"
    )

    @classmethod
    def open_for(cls, session: Session, resident_id: int) -> Conversation | None:
        """The resident's latest conversation that is not closed."""
        return session.scalar(
            select(cls).where(cls.resident_id == resident_id, cls.status != "closed")
            .order_by(cls.id.desc()).limit(1))

    def __repr__(self) -> str:
        return f"<Conversation {self.id} {self.status}>"


class Message(Base):
    """The transcript: what the resident sent and what the bot or staff sent back."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))     # in | out
    sender: Mapped[str] = mapped_column(String(16))       # resident | bot | staff
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text, postback, sticker…
    text: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")

    def __repr__(self) -> str:  # never the text
        return f"<Message {self.id} {self.direction} {self.kind}>"


class InboundEvent(Base):
    """A platform event, stored before the webhook answers 200. Unique per channel and
    platform event id, so a redelivered event is stored once and answered once.
    payload holds channel details with platform user ids removed."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        UniqueConstraint("channel", "platform_event_id"),
        Index("ix_inbound_events_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    platform_event_id: Mapped[str] = mapped_column(String(128))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # text, postback, follow, unfollow, media, other
    text: Mapped[str | None] = mapped_column(Text)
    postback: Mapped[str | None] = mapped_column(String(300))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reply_token: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|done|failed
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    processed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<InboundEvent {self.id} {self.channel} {self.kind} {self.status}>"


class OutboundMessage(Base):
    """The outbox. Written in the same transaction as the engine's work; the sender
    delivers it with retries. retry_key is fixed before the first attempt (LINE dedupes
    pushes on it). recipient_enc lets a message go out after the resident deleted their
    data (the deletion confirmation); it is cleared once the message is done."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index("ix_outbound_messages_status_next", "status", "next_attempt_at"),
        Index("ix_outbound_messages_resident_id", "resident_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    inbound_event_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_events.id"))
    channel: Mapped[str] = mapped_column(String(16))
    recipient_enc: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="bot")  # bot | staff | reminder
    text: Mapped[str] = mapped_column(Text)
    quick_replies: Mapped[list[Any]] = mapped_column(default=list)
    reply_token: Mapped[str | None] = mapped_column(String(256))
    retry_key: Mapped[str] = mapped_column(String(36))
    # pending → sending (leased) → sent | failed ; cancelled when no longer to be sent
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboundMessage {self.id} {self.channel} {self.status}>"
