"""Opening hours: parsing `hours:` blocks, open-now, next opening, how to say when.

Public holidays (the `holidays` package, JP) and 年末年始 (12/29-1/3) count as closed
unless the block gives `holidays:` or `year_end:` hours.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import holidays

from routing.model import Hours
from routing.yamlsrc import Path_, Source
from tsunagu.clock import JST
from tsunagu.jtext import jdate

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")   # the keys of an `hours:` block
_RANGE = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")
_HHMM = re.compile(r"^(\d\d):(\d\d)$")
HOURS_KEYS = (*WEEKDAYS, "weekdays", "daily", "holidays", "year_end", "closed", "note")


@lru_cache(maxsize=64)
def _jp_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=year, language="ja")


def holiday_name(day: date) -> str | None:
    return _jp_holidays(day.year).get(day)


def is_year_end(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def to_jst(at: datetime) -> datetime:
    return at.replace(tzinfo=JST) if at.tzinfo is None else at.astimezone(JST)


def ja_time(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def parse_hhmm(value: Any, src: Source, path: Path_, allow_24: bool = False) -> int | None:
    m = _HHMM.match(value) if isinstance(value, str) else None
    if not m or int(m.group(2)) > 59 or int(m.group(1)) > (24 if allow_24 else 23):
        src.error(path, f"{value!r} is not HH:MM")
        return None
    return int(m.group(1)) * 60 + int(m.group(2))


def _ranges(value: Any, src: Source, path: Path_) -> tuple[tuple[int, int], ...]:
    """'08:30-17:15', a list of such strings, or 'closed'. () after a problem (in `src`)."""
    if value == "closed" or value is False:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        p = (*path, i) if isinstance(value, list) else path
        m = _RANGE.match(item) if isinstance(item, str) else None
        if not m:
            src.error(p, f"{item!r} is not HH:MM-HH:MM")
            return ()
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60 or end <= start:
            src.error(p, f"{item!r} is not a time range within one day (end after start)")
            return ()
        out.append((start, end))
    return tuple(sorted(out))


def parse_hours(value: Any, src: Source, path: Path_) -> Hours | None:
    """The block as Hours; problems go to `src` (a file with problems builds no directory)."""
    if not isinstance(value, dict):
        src.error(path, "must be a mapping of weekday (mon..sun, weekdays, daily) to HH:MM-HH:MM")
        return None
    for key in value:
        if key not in HOURS_KEYS:
            src.error((*path, key), f"unknown key; use one of {', '.join(HOURS_KEYS)}")

    def ranges(key: str) -> tuple[tuple[int, int], ...]:
        return _ranges(value[key], src, (*path, key)) if key in value else ()

    week: list[tuple[tuple[int, int], ...]] = [()] * 7
    for key in ("daily", "weekdays", *WEEKDAYS):   # specific days override the shorthands
        if key in value:
            r = ranges(key)
            days = range(7) if key == "daily" else range(5) if key == "weekdays" else [
                WEEKDAYS.index(key)]
            for d in days:
                week[d] = r
    return Hours(week=tuple(week), holidays=ranges("holidays"), year_end=ranges("year_end"),
                 closed=frozenset(src.get_dates(value, "closed", path)),
                 note=str(value.get("note") or ""))


def ranges_on(hours: Hours, day: date) -> tuple[tuple[int, int], ...]:
    if day in hours.closed:
        return ()
    if is_year_end(day):
        return hours.year_end
    if holiday_name(day):
        return hours.holidays
    return hours.week[day.weekday()]


def is_open(hours: Hours, at: datetime) -> bool:
    at = to_jst(at)
    minute = at.hour * 60 + at.minute
    return any(s <= minute < e for s, e in ranges_on(hours, at.date()))


def next_open(hours: Hours, at: datetime, horizon_days: int = 31) -> datetime | None:
    """The next moment after `at` when the agency opens (None if not within the horizon)."""
    at = to_jst(at)
    minute = at.hour * 60 + at.minute
    for offset in range(horizon_days + 1):
        day = at.date() + timedelta(days=offset)
        for start, _end in ranges_on(hours, day):
            if offset == 0 and start <= minute:
                continue
            return datetime.combine(day, time(0), JST) + timedelta(minutes=start)
    return None


def closes_at(hours: Hours, at: datetime) -> datetime | None:
    at = to_jst(at)
    minute = at.hour * 60 + at.minute
    for s, e in ranges_on(hours, at.date()):
        if s <= minute < e:
            return datetime.combine(at.date(), time(0), JST) + timedelta(minutes=e)
    return None


def describe_next(moment: datetime, at: datetime) -> str:
    """「今日の13:00」「明日の8:30」「2025年1月6日(月)の8:30」"""
    moment, at = to_jst(moment), to_jst(at)
    hhmm = ja_time(moment.hour * 60 + moment.minute)
    delta = (moment.date() - at.date()).days
    if delta == 0:
        return f"今日の{hhmm}"
    if delta == 1:
        return f"明日{jdate(moment.date())}の{hhmm}"
    return f"{jdate(moment.date())}の{hhmm}"
