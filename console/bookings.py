"""相談会の予約 in the console: upcoming sessions by date with their bookings (nickname,
who comes, the conversation), attendance, cancelling on the resident's behalf (they are
told through the outbox), CSV export and an iCalendar feed.

Who sees what: admins every session; a consultant the sessions of their agency (all of
them when the account has no agency). The feed URL carries a per-staff secret, because
calendar apps cannot log in; only its hash is stored, and issuing a new one revokes the old.
Nothing here shows or exports platform ids; the feed carries nicknames only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from console import audit, auth, bp
from console.audit import do_audit
from console.store import db
from routing import sessions as S
from tsunagu import booking as B
from tsunagu import clock
from tsunagu.clock import JST
from tsunagu.jtext import jdate
from tsunagu.models.booking import STATUSES, Booking, BookingSlot
from tsunagu.models.staff import Staff

for _action, _label in (("booking_mark", "相談会の来所記録"),
                        ("booking_cancel", "相談会予約のキャンセル"),
                        ("booking_feed", "予定表URLの発行")):
    audit.ACTIONS.setdefault(_action, _label)

# Calendar apps cannot log in: the feed checks its own secret instead (bookings_feed).
auth.OPEN_ENDPOINTS.add("console.bookings_feed")

PAST_DAYS = 14          # the list starts two weeks back, to record attendance
AHEAD_DAYS = 92
FEED_PAST_DAYS = 31


@dataclass
class SlotView:
    id: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    bookings: list[Booking] = field(default_factory=list)

    @property
    def holding(self) -> list[Booking]:
        """The bookings that hold a place (all but the cancelled)."""
        return [b for b in self.bookings if b.status != "cancelled"]

    @property
    def held(self) -> int:
        return len(self.holding)


@dataclass
class SessionView:
    id: str
    title: str
    agency: str
    starts_at: datetime
    place: str
    slots: dict[str, SlotView] = field(default_factory=dict)

    @property
    def day(self) -> str:
        return jdate(self.starts_at)

    @property
    def held(self) -> int:
        return sum(s.held for s in self.slots.values())


def _directory():  # type: ignore[no-untyped-def]
    from bots.engine import directory_for  # the same directory the bot books against

    try:
        return directory_for(current_app.config["TSUNAGU"].municipality)
    except Exception:  # noqa: BLE001  (the list still shows stored bookings)
        return None


def _may_see(staff: Staff, agency: str) -> bool:
    return staff.is_admin or not staff.agency_id or staff.agency_id == agency


def calendar(staff: Staff, start: datetime, end: datetime) -> list[SessionView]:
    """Sessions starting in [start, end) with their bookings, in time order."""
    found: dict[str, SessionView] = {}
    directory = _directory()
    if directory is not None:
        for s in S.upcoming(directory, start, end):
            view = found.setdefault(s.id, SessionView(
                s.id, s.title, s.agency, s.starts_at,
                " ".join(p for p in (s.place, s.address) if p)))
            for sl in s.slots:
                view.slots[sl.id] = SlotView(sl.id, sl.starts_at, sl.ends_at, B.capacity_of(sl))
    session = db()
    rows = session.scalars(select(Booking).where(Booking.starts_at >= start,
                                                 Booking.starts_at < end)
                           .order_by(Booking.starts_at, Booking.id)).all()
    known = {slot_id for view in found.values() for slot_id in view.slots}
    gone = {b.slot_id for b in rows} - known   # capacity as stored when last booked
    capacities = dict(session.execute(select(BookingSlot.slot_id, BookingSlot.capacity)
                                      .where(BookingSlot.slot_id.in_(gone))).all()) if gone else {}
    for b in rows:
        view = found.setdefault(b.session_id, SessionView(
            b.session_id, b.title, "", b.starts_at, b.place))  # gone from the directory
        slot = view.slots.setdefault(b.slot_id, SlotView(b.slot_id, b.starts_at, b.ends_at,
                                                         capacities.get(b.slot_id)))
        slot.bookings.append(b)
    visible = [v for v in found.values() if not v.agency or _may_see(staff, v.agency)]
    return sorted(visible, key=lambda v: (v.starts_at, v.id))


def _range() -> tuple[datetime, datetime]:
    today = clock.now_jst().date()
    first = _day(request.args.get("from"), today - timedelta(days=PAST_DAYS))
    last = _day(request.args.get("to"), first + timedelta(days=AHEAD_DAYS))
    last = max(last, first)
    return (datetime.combine(first, time(0), JST),
            datetime.combine(last + timedelta(days=1), time(0), JST))


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        abort(400, "日付は YYYY-MM-DD で指定してください。")


def access_booking_by_id(staff: Staff, booking_id: int, *, for_update: bool = False) -> Booking:
    """A booking in a session the staff member may see, or abort 404 / 403."""
    session = db()
    query = select(Booking).where(Booking.id == booking_id)
    if for_update:
        query = query.with_for_update()
    booking = session.scalar(query)
    if booking is None:
        abort(404)
    directory = _directory()
    found = S.find_slot(directory, booking.slot_id) if directory is not None else None
    if found is not None and not _may_see(staff, found[0].agency):
        abort(403)
    return booking


@bp.get("/bookings")
@login_required
def bookings():  # type: ignore[no-untyped-def]
    start, end = _range()
    return render_template("bookings/list.html", sessions=calendar(current_user, start, end),
                           first=start.date(), last=(end - timedelta(days=1)).date(),
                           STATUSES=STATUSES, now=clock.now(), JST=JST)


@bp.post("/bookings/<int:booking_id>/mark")
@login_required
def mark_booking(booking_id: int):  # type: ignore[no-untyped-def]
    status = request.form.get("status", "")
    if status not in ("attended", "no_show", "booked"):
        abort(400, "来所 / 来所なし / 取り消し のどれかを選んでください。")
    booking = access_booking_by_id(current_user, booking_id, for_update=True)
    try:
        B.do_mark(db(), booking, status, staff_id=current_user.id, now=clock.now())
    except B.BookingError:
        flash("キャンセル済みの予約には記録できません。", "error")
        return redirect(_back())
    do_audit(db(), current_user, "booking_mark", booking.conversation_id,
             f"booking {booking.id} {status}")
    db().commit()
    flash(f"{jdate(booking.starts_at)}の予約を「{STATUSES[status]}」にしました。", "ok")
    return redirect(_back())


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id: int):  # type: ignore[no-untyped-def]
    booking = access_booking_by_id(current_user, booking_id, for_update=True)
    if B.do_cancel_by_staff(db(), booking, staff_id=current_user.id, now=clock.now()):
        do_audit(db(), current_user, "booking_cancel", booking.conversation_id,
                 f"booking {booking.id}")
        db().commit()
        flash("予約をキャンセルし、相談者にお知らせしました。", "ok")
    else:
        db().rollback()
        flash("この予約はすでにキャンセルされています。", "error")
    return redirect(_back())


def _back() -> str:
    target = request.form.get("next", "")
    if target.startswith("/console/bookings") and "//" not in target:
        return target
    return url_for("console.bookings")


# --- CSV -----------------------------------------------------------------------------

CSV_HEADER = ["日付", "開始", "終了", "相談会", "場所", "予約番号", "呼び名", "来所者",
              "状態", "会話ID", "予約日時"]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # no formulas


@bp.get("/bookings.csv")
@login_required
def bookings_csv():  # type: ignore[no-untyped-def]
    start, end = _range()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    count = 0
    for view in calendar(current_user, start, end):
        for slot in view.slots.values():
            for b in slot.bookings:
                local_start, local_end = b.starts_at.astimezone(JST), b.ends_at.astimezone(JST)
                writer.writerow([_cell(v) for v in (
                    local_start.date().isoformat(), f"{local_start:%H:%M}",
                    f"{local_end:%H:%M}", b.title, b.place, b.id, b.nickname or "",
                    b.who_label, b.status_label, b.conversation_id or "",
                    b.created_at.astimezone(JST).strftime("%Y-%m-%d %H:%M"))])
                count += 1
    do_audit(db(), current_user, "export", detail=f"bookings.csv {count}件")
    db().commit()
    name = f"bookings-{start.date():%Y%m%d}-{(end - timedelta(days=1)).date():%Y%m%d}.csv"
    return Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- iCalendar feed ------------------------------------------------------------------

@bp.post("/bookings/feed-token")
@login_required
def issue_feed_token():  # type: ignore[no-untyped-def]
    token = B.issue_feed_token(db(), current_user.id)
    do_audit(db(), current_user, "booking_feed")
    db().commit()
    url = url_for("console.bookings_feed", token=token, _external=True)
    flash("予定表のURLを発行しました。このURLは一度だけ表示します。"
          "以前のURLは使えなくなりました。", "ok")
    return render_template("bookings/feed_url.html", feed_url=url)


@bp.get("/bookings/feed/<token>.ics")
def bookings_feed(token: str):  # type: ignore[no-untyped-def]
    staff_id = B.feed_staff_id(db(), token)
    staff = db().get(Staff, staff_id) if staff_id else None
    if staff is None or not staff.active:
        abort(404)
    now = clock.now()
    views = calendar(staff, now - timedelta(days=FEED_PAST_DAYS), now + timedelta(days=AHEAD_DAYS))
    return Response(ical(views, now), mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="tsunagu-bookings.ics"',
                             "Cache-Control": "private, no-store"})


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545: lines of at most 75 octets, continued with a leading space."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ical(views: list[SessionView], now: datetime) -> str:
    """One event per slot: the nicknames and who comes, no ids of residents."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tsunagu//bookings//JA",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:つなぐ 相談会の予約"]
    for view in views:
        for slot in view.slots.values():
            held = slot.holding
            cap = f"/{slot.capacity}" if slot.capacity else ""
            people = [f"・{b.nickname or '（呼び名なし）'}（{b.who_label}）"
                      + ("" if b.status == "booked" else f" {b.status_label}") for b in held]
            description = "\n".join([f"予約 {len(held)}{cap}", *people])
            lines += ["BEGIN:VEVENT", f"UID:{slot.id}@tsunagu", f"DTSTAMP:{_utc(now)}",
                      f"DTSTART:{_utc(slot.starts_at)}", f"DTEND:{_utc(slot.ends_at)}",
                      f"SUMMARY:{_ics_text(f'{view.title}（予約 {len(held)}{cap}）')}",
                      f"DESCRIPTION:{_ics_text(description)}"]
            if view.place:
                lines.append(f"LOCATION:{_ics_text(view.place)}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
