"""Japanese dates and small text helpers: 2025年1月15日(水) 19:00〜."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from tsunagu.clock import JST

WEEKDAYS = "月火水木金土日"


def jdate(d: date | datetime) -> str:
    if isinstance(d, datetime):
        d = d.astimezone(JST).date()
    return f"{d.year}年{d.month}月{d.day}日({WEEKDAYS[d.weekday()]})"


def jdatetime(moment: datetime) -> str:
    local = moment.astimezone(JST)
    return f"{jdate(local)} {local:%H:%M}"


def normalize_command(text: str) -> str:
    """Typed words compare after NFKC, without spaces and closing punctuation."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace()).strip("。．.!！?？、「」")
