"""Booking fixtures: 能美市's directory with a test series of known capacity, and a
frozen clock some days before the session dates.

The real ひきこもり相談会 (能美市, from the seed leaflet) has one slot per evening and no
stated capacity; the test series `hikitest` splits 19:00-21:30 into two 75-minute slots
with two places each, so "the last place" and the time step can be exercised.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from tsunagu import clock
from tsunagu.clock import JST

# Monday 2025-01-06 10:00 JST: 能美市's next dates are 1/15, 2/19 and 3/19 (Wednesdays).
START = datetime(2025, 1, 6, 10, 0, tzinfo=JST)
SESSION_DAY = date(2025, 1, 15)


def make_directory(capacity: int = 2, slot_minutes: int | None = 75):  # type: ignore[no-untyped-def]
    import routing

    nomi = routing.load_directory("nomi")
    real = next(s for s in nomi.sessions if s.id == "hikikomori")
    test = dataclasses.replace(real, capacity=capacity, slot_minutes=slot_minutes,
                               access="能美市役所から車で5分（駐車場あり）",
                               bring="特にありません（メモがあると便利です）")
    return dataclasses.replace(nomi, sessions=[test])


@pytest.fixture
def directory(monkeypatch: pytest.MonkeyPatch, settings):  # type: ignore[no-untyped-def]
    """The directory the engine, the reminder job and the console see in this test."""
    from bots import engine

    made = make_directory()
    monkeypatch.setattr(engine, "directory_for", lambda municipality: made)
    return made


@pytest.fixture
def frozen(settings):  # type: ignore[no-untyped-def]
    clock.set_now(START)
    yield START
    clock.set_now(None)


# Fixtures shared with the console's and the channels' tests: staff accounts and login
# through the form; the fake LINE API, signed-webhook client and step-by-step worker.
from tests.channels.conftest import channels, drain, env, web  # noqa: F401
from tests.console.conftest import PASSWORD, auth, csrf_token, make_staff  # noqa: F401
