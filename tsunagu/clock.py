"""The one clock. Tests and the demo can move it (reminders, opening hours)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """Timezone-aware UTC now (moved by `set_now`/`advance` in tests)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def now_jst() -> datetime:
    return now().astimezone(JST)


def set_now(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (None unfreezes)."""
    global _frozen
    _frozen = moment.astimezone(UTC) if moment else None


def advance(delta: timedelta) -> None:
    global _frozen, _offset
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta
