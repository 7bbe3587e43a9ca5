"""Consultation sessions: 能美市's ひきこもり相談会 as the document lists it, and rules."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import routing
from routing.directory import DATA_DIR
from routing.sessions import find_slot, upcoming
from tests.routing.helpers import JST


def _nomi():
    return routing.load_directory("nomi")


def test_nomi_hikikomori_sessions_from_the_document():
    sessions = upcoming(_nomi(), datetime(2024, 4, 1, tzinfo=JST), datetime(2025, 4, 1,
                                                                            tzinfo=JST))
    assert len(sessions) == 12
    assert all(s.date.weekday() == 2 for s in sessions)            # all (水) as printed
    jan = next(s for s in sessions if s.date == date(2025, 1, 15))
    assert jan.id == "nomi-hikikomori-20250115"
    assert jan.title == "ひきこもり相談会" and jan.agency == "nomi-ikiiki"
    assert jan.starts_at == datetime(2025, 1, 15, 19, 0, tzinfo=JST)
    assert jan.ends_at == datetime(2025, 1, 15, 21, 30, tzinfo=JST)
    assert jan.family_only_ok and jan.booking_required and jan.confidential
    assert jan.place == "能美市生涯学習ハウス 2階" and jan.address == "能美市寺井町中45"
    # The document gives no slot length or capacity: one slot for the evening, capacity unknown
    assert [(sl.id, sl.capacity) for sl in jan.slots] == [("nomi-hikikomori-20250115-1900", None)]


def test_upcoming_window_is_half_open_and_ordered():
    d = _nomi()
    got = upcoming(d, datetime(2025, 1, 15, 19, 0, tzinfo=JST),
                   datetime(2025, 3, 19, 19, 0, tzinfo=JST))
    assert [s.id for s in got] == ["nomi-hikikomori-20250115", "nomi-hikikomori-20250219"]
    assert upcoming(d, datetime(2025, 1, 15, 19, 1, tzinfo=JST),
                    datetime(2025, 2, 1, tzinfo=JST)) == []


def test_find_slot():
    d = _nomi()
    session, slot = find_slot(d, "nomi-hikikomori-20250115-1900")
    assert session.id == "nomi-hikikomori-20250115"
    assert slot.starts_at == datetime(2025, 1, 15, 19, 0, tzinfo=JST)
    assert find_slot(d, "nomi-hikikomori-20250116-1900") is None    # no session that day
    assert find_slot(d, "nomi-hikikomori-20250115-2000") is None    # no such slot
    assert find_slot(d, "awara-hikikomori-20250115-1900") is None
    assert find_slot(d, "garbage") is None


def test_no_invented_schedules():
    for city in ("shunan", "awara", "yamaguchi", "hatsukaichi"):
        assert routing.load_directory(city).sessions == []


def test_recurring_rule_skips_holidays_and_cancelled_dates(tmp_path):
    for name in ("_national.yaml", "_rules.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "demo.yaml").write_text("""\
id: demo
name: デモ市
general_windows: [general]
agencies:
  - {id: general, name: 窓口, kind: 福祉総合相談窓口/多機関協働, fields: [全]}
sessions:
  - id: monthly
    agency: general
    title: 家族相談会
    repeat:
      monthly: [{nth: 1, weekday: mon}]
      from: 2026-01-01
      until: 2026-06-30
    start: "13:00"
    end: "16:00"
    slot_minutes: 60
    capacity: 2
    cancelled: [2026-03-02]
    extra_dates: [2026-05-11]
    family_only_ok: true
  - id: weekly
    agency: general
    title: 居場所
    repeat: {weekly: [tue, thu]}
    start: "10:00"
    end: "12:00"
""", encoding="utf-8")
    d = routing.load_directory(str(tmp_path / "demo.yaml"))
    monthly = [s for s in upcoming(d, datetime(2026, 1, 1, tzinfo=JST),
                                   datetime(2026, 7, 1, tzinfo=JST)) if s.series == "monthly"]
    # 1/5 Mon, 2/2, (3/2 cancelled), 4/6, (5/4 みどりの日 skipped), 5/11 extra, 6/1
    assert [s.date for s in monthly] == [date(2026, 1, 5), date(2026, 2, 2), date(2026, 4, 6),
                                         date(2026, 5, 11), date(2026, 6, 1)]
    first = monthly[0]
    assert [(sl.id, sl.capacity) for sl in first.slots] == [
        ("demo-monthly-20260105-1300", 2), ("demo-monthly-20260105-1400", 2),
        ("demo-monthly-20260105-1500", 2)]
    weekly = [s.date for s in upcoming(d, datetime(2025, 12, 29, tzinfo=JST),
                                       datetime(2026, 1, 10, tzinfo=JST))
              if s.series == "weekly"]
    # 12/30, 1/1 (年末年始) skipped; 1/6 Tue, 1/8 Thu
    assert weekly == [date(2026, 1, 6), date(2026, 1, 8)]
    assert find_slot(d, "demo-monthly-20260511-1500")[1].ends_at == datetime(
        2026, 5, 11, 16, 0, tzinfo=JST)
    assert find_slot(d, "demo-monthly-20260302-1300") is None      # cancelled
