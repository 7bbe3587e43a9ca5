"""Capacity under load, on SQLite and PostgreSQL: many residents press 「予約する」 for the
last places at once; exactly `capacity` succeed, the others are told it is full."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from tests.booking.conftest import START, make_directory
from tsunagu import booking as B
from tsunagu import db
from tsunagu.models import Resident
from tsunagu.models.booking import Booking, BookingSlot

SLOT = "nomi-hikikomori-20250115-1900"


def _resident(factory) -> int:  # type: ignore[no-untyped-def]
    with factory.begin() as s:
        r = Resident(channel="web", pseudonym=uuid.uuid4().hex, label="T" + uuid.uuid4().hex[:3],
                     active=True)
        s.add(r)
        s.flush()
        return r.id


def _do_book(s, resident_id: int, directory, slot: str = SLOT, who: str = "self",  # type: ignore[no-untyped-def]
             now=START, replace: Booking | None = None) -> Booking:
    """do_book in the session `s`, without a conversation or a nickname."""
    return B.do_book(s, resident=s.get(Resident, resident_id), conversation=None,
                     directory=directory, slot_id=slot, who=who, nickname=None, now=now,
                     replace=replace)


def _race(factory, resident_ids: list[int], directory, slot: str = SLOT) -> list[str]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(resident_ids))
    results: list[str] = []
    lock = threading.Lock()

    def book(resident_id: int) -> None:
        barrier.wait()
        try:
            with factory.begin() as s:
                _do_book(s, resident_id, directory, slot, who="family")
            outcome = "ok"
        except B.BookingError as exc:
            outcome = exc.code
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=book, args=(rid,)) for rid in resident_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.parametrize("capacity", [1, 3])
def test_many_book_the_last_places_at_once(db_url, capacity):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    directory = make_directory(capacity=capacity)
    residents = [_resident(factory) for _ in range(12)]
    results = _race(factory, residents, directory)
    assert sorted(results) == sorted(["ok"] * capacity + ["full"] * (12 - capacity))
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Booking)
                        .where(Booking.status == "booked")) == capacity
        assert s.get(BookingSlot, SLOT).booked == capacity


def test_one_resident_pressing_twice_at_once_books_once(db_url):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    directory = make_directory(capacity=5)
    rid = _resident(factory)
    results = _race(factory, [rid] * 6, directory)
    assert sorted(results) == ["ok"] + ["taken"] * 5
    with factory() as s:
        assert s.get(BookingSlot, SLOT).booked == 1   # the losers' places were given back


def test_cancelling_frees_the_place_once(db_url):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    directory = make_directory(capacity=1)
    first, second = _resident(factory), _resident(factory)
    with factory.begin() as s:
        booking = _do_book(s, first, directory)
    with factory.begin() as s, pytest.raises(B.SlotFull):
        _do_book(s, second, directory)
    with factory.begin() as s:
        b = s.get(Booking, booking.id)
        assert B.do_cancel(s, b, by="resident", now=START) is True
        assert B.do_cancel(s, b, by="resident", now=START) is False   # a double tap
    with factory.begin() as s:
        assert s.get(BookingSlot, SLOT).booked == 0
        _do_book(s, second, directory)
    with factory() as s:
        assert s.get(BookingSlot, SLOT).booked == 1


def test_a_change_to_a_full_slot_keeps_the_old_booking(db_url):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    directory = make_directory(capacity=1)
    me, other = _resident(factory), _resident(factory)
    late = "nomi-hikikomori-20250115-2015"
    with factory.begin() as s:
        mine = _do_book(s, me, directory)
        _do_book(s, other, directory, late)
    with factory.begin() as s, pytest.raises(B.SlotFull):
        _do_book(s, me, directory, late, replace=s.get(Booking, mine.id))
    with factory() as s:
        assert s.get(Booking, mine.id).status == "booked"
        assert s.get(BookingSlot, SLOT).booked == 1


def test_unknown_or_past_slots_are_refused(db_url):  # type: ignore[no-untyped-def]
    factory = db.session_factory(db_url)
    directory = make_directory()
    rid = _resident(factory)
    for slot in ("nomi-hikikomori-20250116-1900", "nomi-hikikomori-20241218-1900", "x", ""):
        with factory.begin() as s, pytest.raises(B.SlotGone):
            _do_book(s, rid, directory, slot)


@pytest.mark.parametrize("text", ["みどり", "  ゆき  ", "A", "母（ひきこもりの息子）"])
def test_good_nicknames(text):  # type: ignore[no-untyped-def]
    assert B.check_nickname(text) == " ".join(text.split())


@pytest.mark.parametrize("text", ["", "   ", "090-1234-5678", "0761 58 2233", "(0761)58-2233",
                                  "ａｂｃ＠ｅｘａｍｐｌｅ．ｃｏｍ", "www.example.jp", "x" * 21,
                                  "line.me/ti/p/abc", "a\u0000b"])
def test_bad_nicknames(text):  # type: ignore[no-untyped-def]
    with pytest.raises(B.NicknameError):
        B.check_nickname(text)
