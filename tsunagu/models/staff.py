"""The staff console's tables: accounts, login throttling, the audit log, private notes,
canned replies, category corrections and つなぐシート (referral sheets)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tsunagu import clock
from tsunagu.models.base import Base

ROLES = ("admin", "consultant")


class Staff(Base):
    """A console account. agency_id: the directory agency a consultant works for."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="consultant")
    agency_id: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_login_at: Mapped[datetime | None]

    # Flask-Login's user interface.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def shown_name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]

    def __repr__(self) -> str:
        return f"<Staff {self.id} {self.role}>"


class LoginThrottle(Base):
    """Failed logins per e-mail address, whether or not such an account exists, so the
    lockout itself tells nobody which accounts exist."""

    __tablename__ = "login_throttle"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]


class AuditLog(Base):
    """Who did what to which conversation. Never message content."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(32))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id"), index=True)
    detail: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class StaffNote(Base):
    """A private note on a conversation: staff only, never sent to the resident."""

    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    def __repr__(self) -> str:  # never the text
        return f"<StaffNote {self.id}>"


class CannedReply(Base):
    """定型文: a reply consultants insert with one click. Admins edit them."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class CategoryFeedback(Base):
    """A consultant's correction of the classifier, kept to improve the dictionaries.
    original: the Analysis JSON the bot had; text: the resident message it read."""

    __tablename__ = "category_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    original: Mapped[dict[str, Any] | None]
    original_categories: Mapped[list[Any]] = mapped_column(default=list)
    corrected: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    def __repr__(self) -> str:
        return f"<CategoryFeedback {self.id}>"


class ReferralSheet(Base):
    """つなぐシート: the summary handed to the receiving agency. consent: "yes" (本人同意あり,
    重層的支援会議) | "no" (同意なし, 支援会議 under 社会福祉法第106条の6) | "" (not yet asked)."""

    __tablename__ = "referral_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    shared_info: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[str] = mapped_column(String(8), default="")
    agency_id: Mapped[str | None] = mapped_column(String(64))
    agency_name: Mapped[str] = mapped_column(String(200), default="")
    agency_contact: Mapped[str] = mapped_column(String(300), default="")
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    def __repr__(self) -> str:
        return f"<ReferralSheet {self.id}>"
