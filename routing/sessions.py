"""Consultation sessions (相談会): the `sessions:` list of a directory, expanded to dates and
bookable slots.

    upcoming(directory, start, end) -> list[Session]     sessions starting in [start, end)
    find_slot(directory, slot_id) -> (Session, Slot) | None

Ids are stable: session "nomi-hikikomori-20250115", slot "nomi-hikikomori-20250115-1900".
Dates come from an explicit `dates:` list (as a document prints them) and/or a `repeat:`
rule; rule dates on public holidays and 12/29-1/3 are skipped unless skip_holidays: false.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from routing import hours as H
from routing.model import Session, SessionSeries, Slot
from routing.yamlsrc import Path_, Source
from tsunagu.clock import JST

if TYPE_CHECKING:
    from routing.model import Directory

_KEYS = {"id", "agency", "title", "dates", "repeat", "start", "end", "slot_minutes",
         "capacity", "skip_holidays", "cancelled", "extra_dates", "place", "address", "access",
         "bring", "family_only_ok", "booking_required", "confidential", "fee", "notes"}
_SLOT_ID = re.compile(r"^(?P<series>.+)-(?P<day>\d{8})-(?P<hhmm>\d{4})$")


def _text(m: dict, key: str) -> str | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _repeat(src: Source, r: Any, path: Path_):
    monthly: list[tuple[int, int]] = []
    weekly: list[int] = []
    if not isinstance(r, dict):
        src.error(path, "must be a mapping with monthly: or weekly:")
        return monthly, weekly, None, None
    src.only_keys(r, {"monthly", "weekly", "from", "until"}, path)
    for i, item in enumerate(src.get_list(r, "monthly", path)):
        p = (*path, "monthly", i)
        if not isinstance(item, dict) or item.get("weekday") not in H.WEEKDAYS or item.get(
                "nth") not in (1, 2, 3, 4, 5, -1):
            src.error(p, "must be {nth: 1-5 or -1, weekday: mon..sun}")
            continue
        monthly.append((item["nth"], H.WEEKDAYS.index(item["weekday"])))
    for i, day in enumerate(src.get_list(r, "weekly", path)):
        if day not in H.WEEKDAYS:
            src.error((*path, "weekly", i), f"{day!r} is not one of {', '.join(H.WEEKDAYS)}")
        else:
            weekly.append(H.WEEKDAYS.index(day))
    bounds = []
    for key in ("from", "until"):
        value = r.get(key)
        if value is not None and not isinstance(value, date):
            src.error((*path, key), f"{value!r} is not a date (YYYY-MM-DD)")
            value = None
        bounds.append(value)
    if not monthly and not weekly:
        src.error(path, "needs monthly: or weekly:")
    return monthly, weekly, bounds[0], bounds[1]


def parse_sessions(src: Source, items: list, agency_ids: set[str]) -> list[SessionSeries]:
    out: list[SessionSeries] = []
    seen: set[str] = set()
    for i, s in enumerate(items):
        p: Path_ = ("sessions", i)
        if src.mapping(s, p) is None:
            continue
        src.only_keys(s, _KEYS, p)
        sid = str(s.get("id") or "")
        src.expect_id(sid, (*p, "id"))
        if sid in seen:
            src.error((*p, "id"), f"session id {sid!r} is used twice")
        seen.add(sid)
        if not isinstance(s.get("agency"), str) or s["agency"] not in agency_ids:
            src.error((*p, "agency"), f"unknown agency id {s.get('agency')!r}")
        if not s.get("title"):
            src.error((*p, "title"), "title is required")
        start = H.parse_hhmm(s.get("start"), src, (*p, "start"))
        end = H.parse_hhmm(s.get("end"), src, (*p, "end"), allow_24=True)
        if start is not None and end is not None and end <= start:
            src.error((*p, "end"), "must be after start")
        dates = src.get_dates(s, "dates", p)
        monthly, weekly, valid_from, valid_until = ([], [], None, None)
        if "repeat" in s:
            monthly, weekly, valid_from, valid_until = _repeat(src, s["repeat"], (*p, "repeat"))
        if not dates and "repeat" not in s:
            src.error(p, "needs dates: or repeat:")
        slot_minutes, capacity = s.get("slot_minutes"), s.get("capacity")
        for key, value in (("slot_minutes", slot_minutes), ("capacity", capacity)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                      or value < 1):
                src.error((*p, key), f"{value!r} must be a positive whole number")
        if (isinstance(slot_minutes, int) and start is not None and end is not None
                and slot_minutes > end - start):
            src.error((*p, "slot_minutes"), "is longer than the session")
        out.append(SessionSeries(
            id=sid, agency=str(s.get("agency")), title=str(s.get("title") or ""),
            dates=tuple(dates), monthly=tuple(monthly), weekly=tuple(weekly),
            valid_from=valid_from, valid_until=valid_until, start=start or 0, end=end or 0,
            slot_minutes=slot_minutes if isinstance(slot_minutes, int) else None,
            capacity=capacity if isinstance(capacity, int) else None,
            skip_holidays=src.get_bool(s, "skip_holidays", p, True),
            cancelled=frozenset(src.get_dates(s, "cancelled", p)),
            extra_dates=tuple(src.get_dates(s, "extra_dates", p)),
            place=_text(s, "place"), address=_text(s, "address"), access=_text(s, "access"),
            bring=_text(s, "bring"), family_only_ok=src.get_bool(s, "family_only_ok", p, False),
            booking_required=src.get_bool(s, "booking_required", p, False),
            confidential=src.get_bool(s, "confidential", p, False), fee=_text(s, "fee"),
            notes=_text(s, "notes") or "",
        ))
    return out


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if date(year, month, d).weekday() == weekday]
    if nth == -1:
        return date(year, month, days[-1])
    return date(year, month, days[nth - 1]) if nth <= len(days) else None


def _rule_dates(series: SessionSeries, first: date, last: date) -> set[date]:
    lo = max(first, series.valid_from) if series.valid_from else first
    hi = min(last, series.valid_until) if series.valid_until else last
    out: set[date] = set()
    if lo > hi:
        return out
    if series.weekly:
        day = lo
        while day <= hi:
            if day.weekday() in series.weekly:
                out.add(day)
            day += timedelta(days=1)
    year, month = lo.year, lo.month
    while (year, month) <= (hi.year, hi.month):
        for nth, weekday in series.monthly:
            d = _nth_weekday(year, month, nth, weekday)
            if d and lo <= d <= hi:
                out.add(d)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if series.skip_holidays:
        out = {d for d in out if not H.holiday_name(d) and not H.is_year_end(d)}
    return out


def _dates_between(series: SessionSeries, first: date, last: date) -> list[date]:
    days = {d for d in (*series.dates, *series.extra_dates) if first <= d <= last}
    days |= _rule_dates(series, first, last)
    return sorted(days - series.cancelled)


def _session(directory: Directory, series: SessionSeries, day: date) -> Session:
    base = f"{directory.id}-{series.id}-{day:%Y%m%d}"
    midnight = datetime.combine(day, time(0), JST)
    starts, ends = (midnight + timedelta(minutes=series.start),
                    midnight + timedelta(minutes=series.end))
    slots: list[Slot] = []
    step = series.slot_minutes or (series.end - series.start)
    t = series.start
    while t + step <= series.end:
        at = midnight + timedelta(minutes=t)
        slots.append(Slot(id=f"{base}-{at:%H%M}", starts_at=at,
                          ends_at=at + timedelta(minutes=step), capacity=series.capacity))
        t += step
    return Session(id=base, series=series.id, title=series.title, agency=series.agency,
                   date=day, starts_at=starts, ends_at=ends, slots=slots, **series.details())


def upcoming(directory: Directory, start: datetime, end: datetime) -> list[Session]:
    """Every session of the directory that starts in [start, end), in time order."""
    start, end = H.to_jst(start), H.to_jst(end)
    out = []
    for series in directory.sessions:
        for day in _dates_between(series, start.date(), end.date()):
            s = _session(directory, series, day)
            if start <= s.starts_at < end:
                out.append(s)
    return sorted(out, key=lambda s: (s.starts_at, s.id))


def find_slot(directory: Directory, slot_id: str) -> tuple[Session, Slot] | None:
    m = _SLOT_ID.match(slot_id or "")
    prefix = f"{directory.id}-"
    if not m or not m.group("series").startswith(prefix):
        return None
    series_id = m.group("series")[len(prefix):]
    series = next((s for s in directory.sessions if s.id == series_id), None)
    try:
        day = datetime.strptime(m.group("day"), "%Y%m%d").date()
    except ValueError:
        return None
    if series is None or day not in _dates_between(series, day, day):
        return None
    session = _session(directory, series, day)
    slot = next((sl for sl in session.slots if sl.id == slot_id), None)
    return (session, slot) if slot else None
