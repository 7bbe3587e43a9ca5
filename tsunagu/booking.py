"""相談会 bookings: what is open, booking and cancelling under a capacity, reminders.

Capacity: each slot has a counter row (booking_slots). Booking runs
    UPDATE booking_slots SET booked = booked + 1 WHERE slot_id = :id AND booked < :capacity
and gives up when no row changed, so concurrent bookers can never push a slot past its
capacity: PostgreSQL re-checks the WHERE after waiting for the row lock (READ COMMITTED),
SQLite serializes writers (BEGIN IMMEDIATE). A partial unique index on (resident,
session) for bookings that hold a place stops a resident booking one session twice.

Reminders: a booking gets its reminder rows when made (the day before at 10:00 JST, two
hours before); the scheduled job `booking-reminders` sends those that are due through the
outbox. Nothing is sent at night (21:00-8:00 JST): a reminder falling at night is moved to
8:00, or dropped when that is too late.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from routing import sessions as S
from tsunagu import clock
from tsunagu.clock import JST
from tsunagu.db import is_postgres
from tsunagu.jtext import jdatetime
from tsunagu.models import Conversation, Resident
from tsunagu.models.booking import WHO, Booking, BookingReminder, BookingSlot, CalendarFeedToken
from tsunagu.outbox import QuickReply, Reply, do_enqueue

if TYPE_CHECKING:
    import routing

log = logging.getLogger(__name__)

# The directory may leave capacity out (能美市's leaflet gives none): then a slot takes this
# many bookings. Set `capacity:` in the municipality YAML to the city's real number.
DEFAULT_CAPACITY = 3
HORIZON = timedelta(days=92)          # how far ahead the bot offers dates
CUTOFF = timedelta(hours=1)           # booking closes this long before a slot starts
MAX_DATES = 6                         # dates offered at once (phone-sized button rows)
NIGHT_START, NIGHT_END = 21, 8        # JST hours with no reminders
NICKNAME_MAX = 20
RECHECK = timedelta(minutes=1)        # the reminder job looks for due reminders this often

# Shown with every booking message; the bot's 「予約の確認」 command answers it.
CHECK = QuickReply("予約の確認", "cmd:bkshow")


class BookingError(Exception):
    """A booking could not be made or changed. `code` says why: full | taken | gone."""

    code = "error"


class SlotFull(BookingError):
    code = "full"


class AlreadyBooked(BookingError):
    code = "taken"


class SlotGone(BookingError):
    """The slot is past, closing, or no longer in the directory."""

    code = "gone"


class NicknameError(ValueError):
    """check_nickname: the text is the resident-facing reason."""


# --- what is open --------------------------------------------------------------------

@dataclass(frozen=True)
class OpenSlot:
    session: routing.Session
    slot: routing.Slot
    capacity: int
    left: int


def capacity_of(slot: routing.Slot) -> int:
    return slot.capacity or DEFAULT_CAPACITY


def open_slots(session: Session, directory: routing.Directory, now: datetime,
               resident_id: int | None = None,
               replacing: Booking | None = None) -> list[OpenSlot]:
    """Bookable slots in time order: not closing, with a place left, in a session the
    resident has not booked already. `replacing` (予約の変更): that booking's session may
    be chosen again, any slot of it but its own."""
    slots = [(s, sl) for s in S.upcoming(directory, now, now + HORIZON) for sl in s.slots
             if sl.starts_at - CUTOFF > now]
    if not slots:
        return []
    taken = dict(session.execute(
        select(BookingSlot.slot_id, BookingSlot.booked)
        .where(BookingSlot.slot_id.in_([sl.id for _, sl in slots]))).all())
    mine: set[str] = set()
    if resident_id is not None:
        mine = set(session.scalars(select(Booking.session_id).where(
            Booking.resident_id == resident_id, Booking.status == "booked")))
    out = []
    for s, sl in slots:
        cap = capacity_of(sl)
        left = cap - taken.get(sl.id, 0)
        again = (replacing is not None and s.id == replacing.session_id
                 and sl.id != replacing.slot_id)
        if left > 0 and (s.id not in mine or again):
            out.append(OpenSlot(s, sl, cap, left))
    if replacing is not None:
        out.sort(key=lambda o: (o.slot.starts_at, o.slot.id))
    return out


# --- nickname ------------------------------------------------------------------------

_URL = re.compile(r"(https?:|www\.|[a-z0-9-]+\.(com|net|jp|org|io|me|info)\b|@[a-z0-9])",
                  re.IGNORECASE)
_PHONE = re.compile(r"\d[\d\-‐ー―−() ]{6,}\d")


def check_nickname(text: str) -> str:
    """A name to be called by: trimmed, at most NICKNAME_MAX characters, no phone number,
    address or link. Raises NicknameError with a kind reason."""
    name = " ".join((text or "").split())
    folded = unicodedata.normalize("NFKC", name)
    if not name:
        raise NicknameError("お呼びする名前を書いてください。")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise NicknameError("使えない文字が入っています。")
    if _PHONE.search(folded) or sum(ch.isdigit() for ch in folded) >= 7:
        raise NicknameError("電話番号は要りません。\nお呼びする名前だけ書いてください。")
    if _URL.search(folded):
        raise NicknameError("アドレスやリンクは要りません。\nお呼びする名前だけ書いてください。")
    if len(name) > NICKNAME_MAX:
        raise NicknameError(f"{NICKNAME_MAX}文字までで書いてください。")
    return name


# --- booking and cancelling ----------------------------------------------------------

def _insert(session: Session):  # type: ignore[no-untyped-def]
    return postgresql.insert if is_postgres(session) else sqlite.insert


def _take_place(session: Session, s: routing.Session, slot: routing.Slot) -> None:
    cap = capacity_of(slot)
    session.execute(
        _insert(session)(BookingSlot)
        .values(slot_id=slot.id, session_id=s.id, starts_at=slot.starts_at, capacity=cap,
                booked=0)
        .on_conflict_do_nothing(index_elements=["slot_id"]))
    taken = session.execute(
        update(BookingSlot)
        .where(BookingSlot.slot_id == slot.id, BookingSlot.booked < cap)
        .values(booked=BookingSlot.booked + 1, capacity=cap)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise SlotFull(slot.id)


def _free_place(session: Session, slot_id: str) -> None:
    session.execute(
        update(BookingSlot)
        .where(BookingSlot.slot_id == slot_id, BookingSlot.booked > 0)
        .values(booked=BookingSlot.booked - 1)
        .execution_options(synchronize_session=False))


def do_book(session: Session, *, resident: Resident, conversation: Conversation | None,
            directory: routing.Directory, slot_id: str, who: str,
            nickname: str | None, now: datetime, replace: Booking | None = None) -> Booking:
    """Book a place in the caller's transaction, or raise SlotGone / AlreadyBooked /
    SlotFull and change nothing. `replace`: a booking of the resident's that this one
    replaces (予約の変更); it is cancelled only if the new one succeeds."""
    found = S.find_slot(directory, slot_id)
    if found is None:
        raise SlotGone(slot_id)
    s, slot = found
    if slot.starts_at - CUTOFF <= now:
        raise SlotGone(slot_id)
    if who not in WHO:
        raise ValueError(f"who={who!r}")
    clash = session.scalar(select(Booking.id).where(
        Booking.resident_id == resident.id, Booking.session_id == s.id,
        Booking.status != "cancelled"))
    if clash is not None and (replace is None or clash != replace.id):
        raise AlreadyBooked(s.id)
    try:
        with session.begin_nested():
            if replace is not None:
                do_cancel(session, replace, by="resident", now=now)
            _take_place(session, s, slot)
            booking = Booking(
                resident_id=resident.id,
                conversation_id=conversation.id if conversation else None,
                session_id=s.id, slot_id=slot.id, title=s.title,
                place=" ".join(p for p in (s.place, s.address) if p)[:300],
                starts_at=slot.starts_at, ends_at=slot.ends_at, who=who,
                nickname=nickname, status="booked", created_at=now)
            session.add(booking)
            session.flush()
    except IntegrityError:
        # Another event of the same resident booked this session a moment ago.
        raise AlreadyBooked(s.id) from None
    _schedule_reminders(session, booking, now)
    return booking


def do_cancel(session: Session, booking: Booking, *, by: str, now: datetime) -> bool:
    """Cancel a booking that still holds a place; frees the place and stops its
    reminders. Returns False if it was already cancelled (e.g. a double tap)."""
    changed = session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == "booked")
        .values(status="cancelled", cancelled_by=by, cancelled_at=now)
        .execution_options(synchronize_session=False)).rowcount
    session.refresh(booking)
    if changed != 1:
        return False
    _free_place(session, booking.slot_id)
    session.execute(
        update(BookingReminder)
        .where(BookingReminder.booking_id == booking.id, BookingReminder.status == "pending")
        .values(status="cancelled", done_at=now)
        .execution_options(synchronize_session=False))
    return True


def do_mark(session: Session, booking: Booking, status: str, *, staff_id: int,
            now: datetime) -> None:
    """Staff record whether the family came: attended | no_show | booked (undo)."""
    if status not in ("attended", "no_show", "booked"):
        raise ValueError(status)
    if booking.status == "cancelled":
        raise BookingError("cancelled")
    booking.status = status
    booking.marked_by = staff_id if status != "booked" else None
    booking.marked_at = now if status != "booked" else None


def active_bookings(session: Session, resident_id: int, now: datetime) -> list[Booking]:
    """The resident's bookings still to come, soonest first."""
    return list(session.scalars(
        select(Booking).where(Booking.resident_id == resident_id, Booking.status == "booked",
                              Booking.ends_at > now)
        .order_by(Booking.starts_at, Booking.id)))


def when_text(booking_or_start: Booking | datetime) -> str:
    """2025年1月15日(水) 19:00〜"""
    start = (booking_or_start.starts_at if isinstance(booking_or_start, Booking)
             else booking_or_start)
    return jdatetime(start) + "〜"


# --- reminders -----------------------------------------------------------------------

def is_night(moment: datetime) -> bool:
    hour = moment.astimezone(JST).hour
    return hour >= NIGHT_START or hour < NIGHT_END


def _daytime(moment: datetime) -> datetime:
    """The moment, or 8:00 JST after it when it falls at night."""
    local = moment.astimezone(JST)
    if local.hour >= NIGHT_START:
        local = datetime.combine(local.date() + timedelta(days=1), time(NIGHT_END), JST)
    elif local.hour < NIGHT_END:
        local = datetime.combine(local.date(), time(NIGHT_END), JST)
    return local


def reminder_plan(starts_at: datetime) -> list[tuple[str, datetime, datetime]]:
    """(kind, due, expires) for a slot start: the day before at 10:00 (until 21:00 that
    evening) and two hours before (until the start), moved out of the night."""
    start = starts_at.astimezone(JST)
    day_before = datetime.combine(start.date() - timedelta(days=1), time(10), JST)
    plan = [("day_before", day_before,
             datetime.combine(day_before.date(), time(NIGHT_START), JST))]
    two_hours = _daytime(start - timedelta(hours=2))
    if two_hours < start:
        plan.append(("two_hours", two_hours, start))
    return plan


def _schedule_reminders(session: Session, booking: Booking, now: datetime) -> None:
    for kind, due, expires in reminder_plan(booking.starts_at):
        if due > now:  # booked after that moment: the booking reply itself reminds them
            session.add(BookingReminder(booking_id=booking.id, kind=kind, due_at=due,
                                        expires_at=expires, status="pending"))
    session.flush()


def reminder_text(booking: Booking, kind: str) -> str:
    when = "明日" if kind == "day_before" else "このあと"
    lines = [f"【ご予約のお知らせ】\n{when}、{booking.title}のご予約があります。",
             f"日時：{when_text(booking)}"]
    if booking.place:
        lines.append(f"場所：{booking.place}")
    lines.append("ご都合が悪くなったときは、下のボタンからキャンセルできます。")
    return "\n".join(lines)


def reminder_buttons(booking: Booking) -> list[QuickReply]:
    return [QuickReply("予約をキャンセル", f"bk:cx:{booking.id}"), CHECK]


def _reachable(session: Session, resident_id: int) -> Resident | None:
    """The resident, unless they unfollowed, blocked the account or deleted their data."""
    resident = session.get(Resident, resident_id)
    if resident is None or resident.deleted_at is not None or not resident.active:
        return None
    return resident


def send_due_reminders(factory: sessionmaker[Session], limit: int = 20) -> bool:
    """One pass of the reminder job. Returns True if it sent or settled any reminder."""
    now = clock.now()
    with factory.begin() as session:
        query = (select(BookingReminder)
                 .where(BookingReminder.status == "pending", BookingReminder.due_at <= now)
                 .order_by(BookingReminder.due_at, BookingReminder.id).limit(limit))
        if is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        worked = False
        for reminder in session.scalars(query).all():
            booking = session.get(Booking, reminder.booking_id)
            if booking is None or booking.status != "booked":
                reminder.status = "cancelled"
            elif now >= reminder.expires_at:
                reminder.status = "skipped"
            elif is_night(now):
                continue  # due but night: wait for the morning (or expire)
            elif (resident := _reachable(session, booking.resident_id)) is None:
                reminder.status = "skipped"
            else:
                out = do_enqueue(session, resident,
                                 Conversation.open_for(session, resident.id),
                                 Reply(reminder_text(booking, reminder.kind),
                                       reminder_buttons(booking)),
                                 source="reminder")
                reminder.status, reminder.outbound_id = "sent", out.id
            reminder.done_at = now
            worked = True
    return worked


def _next_due(factory: sessionmaker[Session], now: datetime) -> datetime | None:
    with factory() as session:
        return session.scalar(
            select(BookingReminder.due_at)
            .where(BookingReminder.status == "pending", BookingReminder.due_at > now)
            .order_by(BookingReminder.due_at).limit(1))


def _reminder_job(factory: sessionmaker[Session],
                  settings: object) -> tuple[str, Callable[[], bool]]:
    """After a pass with nothing to do, the job rests until the next reminder is due, or
    RECHECK at most (a booking made meanwhile may add an earlier one). Both by the clock,
    which tests and the demo move: moving it back ends the rest too."""
    rest: list[datetime] = []   # [from, until] while resting

    def step() -> bool:
        now = clock.now()
        if rest and rest[0] <= now < rest[1]:
            return False
        rest.clear()
        if send_due_reminders(factory):
            return True
        due = _next_due(factory, now)
        rest.extend((now, min(now + RECHECK, due) if due else now + RECHECK))
        return False

    return "booking-reminders", step


# --- staff side ----------------------------------------------------------------------

def do_cancel_by_staff(session: Session, booking: Booking, *, staff_id: int,
                       now: datetime) -> bool:
    """Cancel on the resident's behalf and tell them through the outbox."""
    if not do_cancel(session, booking, by="staff", now=now):
        return False
    resident = session.get(Resident, booking.resident_id)
    if resident is not None and resident.deleted_at is None:
        do_enqueue(session, resident, Conversation.open_for(session, resident.id),
                   Reply(f"【ご予約について】\n{when_text(booking)}の{booking.title}のご予約は、"
                         "市の担当者がキャンセルしました。\n"
                         "ご不明な点は、このチャットでお知らせください。\n"
                         "別の日にご予約いただくこともできます。",
                         [QuickReply("相談会を予約", "cmd:book")]),
                   source="staff", staff_id=staff_id)
    return True


def issue_feed_token(session: Session, staff_id: int) -> str:
    """A new secret for the staff member's calendar feed (replaces the old one)."""
    token = secrets.token_urlsafe(24)
    row = session.get(CalendarFeedToken, staff_id)
    if row is None:
        row = CalendarFeedToken(staff_id=staff_id)
        session.add(row)
    row.token_hash, row.created_at = _hash(token), clock.now()
    session.flush()
    return token


def feed_staff_id(session: Session, token: str) -> int | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(select(CalendarFeedToken.staff_id)
                          .where(CalendarFeedToken.token_hash == _hash(token)))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- privacy -------------------------------------------------------------------------

def scrub_resident(session: Session, resident: Resident) -> None:
    """「データを削除」: upcoming bookings are cancelled, nicknames removed."""
    now = clock.now()
    for booking in session.scalars(select(Booking).where(
            Booking.resident_id == resident.id, Booking.status == "booked")).all():
        do_cancel(session, booking, by="deleted", now=now)
    session.execute(update(Booking).where(Booking.resident_id == resident.id)
                    .values(nickname=None).execution_options(synchronize_session=False))


def register() -> None:
    """Hook the scrubber and the reminder job in (idempotent)."""
    from tsunagu import privacy, workers

    if scrub_resident not in privacy.SCRUBBERS:
        privacy.SCRUBBERS.append(scrub_resident)
    if _reminder_job not in workers.SCHEDULED:
        workers.SCHEDULED.append(_reminder_job)


register()
