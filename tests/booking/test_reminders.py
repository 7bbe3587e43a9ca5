"""Reminders, driven by the controllable clock: the day before at 10:00 and two hours
before, each with a cancel button; none for a cancelled booking; none at night."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.booking.conftest import START, make_directory
from tests.booking.test_capacity import SLOT, _do_book, _resident
from tests.booking.test_flow import _book, _bookings
from tsunagu import booking as B
from tsunagu import clock, db
from tsunagu.clock import JST
from tsunagu.models import OutboundMessage, Resident
from tsunagu.models.booking import Booking, BookingReminder


def _jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


def _wait_for_reminders(client, user: str, count: int, timeout: float = 5.0) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    deadline = time.monotonic() + timeout
    while True:
        replies = client.get("/simulator/api/messages", query_string={"user": user}).get_json()
        found = [r for r in replies["replies"] if r["from"] == "reminder"]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_plan_for_an_evening_session():
    plan = B.reminder_plan(_jst(2025, 1, 15, 19, 0))
    assert plan == [("day_before", _jst(2025, 1, 14, 10), _jst(2025, 1, 14, 21)),
                    ("two_hours", _jst(2025, 1, 15, 17), _jst(2025, 1, 15, 19))]


def test_plan_never_falls_at_night():
    # 9:00 session: two hours before is 7:00 → moved to 8:00.
    assert B.reminder_plan(_jst(2025, 1, 15, 9, 0))[1][1] == _jst(2025, 1, 15, 8, 0)
    # 8:30 session: 6:30 → 8:00, still before the start.
    assert B.reminder_plan(_jst(2025, 1, 15, 8, 30))[1][1] == _jst(2025, 1, 15, 8, 0)
    # 8:00 session: no two-hours reminder at all (8:00 would be the start itself).
    assert [k for k, *_ in B.reminder_plan(_jst(2025, 1, 15, 8, 0))] == ["day_before"]
    for _, due, _ in B.reminder_plan(_jst(2025, 1, 15, 23, 30)):
        assert not B.is_night(due)


def test_resident_gets_both_reminders_and_cancels_from_one(chat, directory, frozen, settings,
                                                          client):
    resident = chat()
    _book(resident)
    clock.set_now(_jst(2025, 1, 14, 9, 59))
    time.sleep(0.7)
    assert _wait_for_reminders(client, resident.user, 1, timeout=0.5) == []
    clock.set_now(_jst(2025, 1, 14, 10, 0))
    [day_before] = _wait_for_reminders(client, resident.user, 1)
    assert "明日" in day_before["text"] and "2025年1月15日(水) 19:00〜" in day_before["text"]
    assert "能美市生涯学習ハウス" in day_before["text"]
    cancel = {q["label"]: q["postback"] for q in day_before["quick_replies"]}["予約をキャンセル"]

    clock.set_now(_jst(2025, 1, 15, 17, 0))
    reminders = _wait_for_reminders(client, resident.user, 2)
    assert len(reminders) == 2 and "このあと" in reminders[1]["text"]

    resident.press(cancel, "予約をキャンセル")
    assert "キャンセルしますか" in resident.text()
    resident.press(resident.buttons()["キャンセルする"], "キャンセルする")
    assert "キャンセルしました" in resident.text()
    assert _bookings(settings)[0].status == "cancelled"


def test_no_reminder_for_a_cancelled_booking(chat, directory, frozen, settings, client):
    resident = chat()
    _book(resident)
    resident.say("予約のキャンセル")
    resident.press(resident.buttons()["キャンセルする"], "キャンセルする")
    clock.set_now(_jst(2025, 1, 14, 10, 0))
    time.sleep(0.5)
    clock.set_now(_jst(2025, 1, 15, 17, 30))
    time.sleep(0.7)
    assert _wait_for_reminders(client, resident.user, 1, timeout=0.3) == []


def _book_directly(factory, directory, slot=SLOT, now=START):  # type: ignore[no-untyped-def]
    rid = _resident(factory)
    with factory.begin() as s:
        return _do_book(s, rid, directory, slot, who="family", now=now)


def _reminders(factory, booking_id):  # type: ignore[no-untyped-def]
    with factory() as s:
        return {r.kind: r.status for r in s.scalars(
            select(BookingReminder).where(BookingReminder.booking_id == booking_id))}


def test_nothing_is_sent_at_night_and_late_reminders_expire(db_url):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    directory = make_directory()
    booking = _book_directly(factory, directory)
    # The worker was down all day before: at 21:30 the day-before reminder is due but
    # it is night, and by the morning it has expired (the two-hours one remains).
    clock.set_now(_jst(2025, 1, 14, 21, 30))
    B.send_due_reminders(factory)
    with factory() as s:
        assert s.scalars(select(OutboundMessage)).all() == []
    clock.set_now(_jst(2025, 1, 15, 8, 0))
    B.send_due_reminders(factory)
    assert _reminders(factory, booking.id) == {"day_before": "skipped",
                                               "two_hours": "pending"}
    clock.set_now(_jst(2025, 1, 15, 17, 0))
    assert B.send_due_reminders(factory) is True
    assert _reminders(factory, booking.id)["two_hours"] == "sent"
    with factory() as s:
        [out] = s.scalars(select(OutboundMessage)).all()
        assert out.source == "reminder" and "bk:cx:" in out.quick_replies[0]["postback"]
    assert B.send_due_reminders(factory) is False   # sent once


def test_no_reminder_to_a_resident_who_left(db_url):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    booking = _book_directly(factory, make_directory())
    with factory.begin() as s:
        s.get(Resident, booking.resident_id).active = False   # unfollowed / blocked
    clock.set_now(_jst(2025, 1, 14, 10, 5))
    B.send_due_reminders(factory)
    assert _reminders(factory, booking.id)["day_before"] == "skipped"
    with factory() as s:
        assert s.scalars(select(OutboundMessage)).all() == []


def test_booking_made_late_gets_no_stale_day_before_reminder(db_url):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    booking = _book_directly(factory, make_directory(), now=_jst(2025, 1, 15, 12, 0))
    assert _reminders(factory, booking.id) == {"two_hours": "pending"}
    with factory() as s:
        assert s.get(Booking, booking.id).status == "booked"


@pytest.fixture(autouse=True)
def _unfreeze():  # type: ignore[no-untyped-def]
    yield
    clock.set_now(None)
