"""相談会 bookings: one row per booking, a counter row per slot (the capacity guard), the
reminders due for each booking, and the staff calendar-feed tokens.

Sessions and slots themselves live in the municipality directory (routing.sessions); a
booking keeps a copy of what the resident was told (time, title, place), so reminders and
the console still read right if the directory changes later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tsunagu import clock
from tsunagu.models.base import Base

WHO = {"self": "本人", "family": "家族", "both": "本人と家族"}
STATUSES = {"booked": "予約中", "cancelled": "キャンセル", "attended": "来所",
            "no_show": "来所なし"}
# A booking that holds a place: every status but cancelled.
HOLDS_PLACE = "status <> 'cancelled'"


class BookingSlot(Base):
    """How many places of one slot are taken. Booking increments `booked` with a
    conditional UPDATE (… WHERE booked < capacity), so the capacity holds under load."""

    __tablename__ = "booking_slots"

    slot_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(120), index=True)
    starts_at: Mapped[datetime]
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        # No resident holds two places in one session.
        Index("uq_bookings_resident_session_active", "resident_id", "session_id",
              unique=True, sqlite_where=text(HOLDS_PLACE),
              postgresql_where=text(HOLDS_PLACE)),
        Index("ix_bookings_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    session_id: Mapped[str] = mapped_column(String(120))
    slot_id: Mapped[str] = mapped_column(ForeignKey("booking_slots.slot_id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    who: Mapped[str] = mapped_column(String(8))            # self | family | both
    nickname: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="booked")
    cancelled_by: Mapped[str | None] = mapped_column(String(16))  # resident|staff|deleted
    cancelled_at: Mapped[datetime | None]
    marked_by: Mapped[int | None]                      # staff id (no FK: staff tables migrate apart)
    marked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    @property
    def who_label(self) -> str:
        return WHO.get(self.who, self.who)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def __repr__(self) -> str:  # never the nickname
        return f"<Booking {self.id} {self.slot_id} {self.status}>"


class BookingReminder(Base):
    """A reminder due for a booking: kind day_before | two_hours. The scheduled job sends
    it through the outbox once due (pending → sent | skipped | cancelled)."""

    __tablename__ = "booking_reminders"
    __table_args__ = (Index("ix_booking_reminders_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    outbound_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_messages.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None]


class CalendarFeedToken(Base):
    """A staff member's secret calendar-feed URL (calendar apps cannot log in). Only a
    hash is stored; issuing a new token replaces the old one."""

    __tablename__ = "calendar_feed_tokens"

    staff_id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
