"""Opening hours: weekends, 年末年始, public holidays (振替休日), next opening, chat handoff."""

from __future__ import annotations

from datetime import UTC, datetime

import routing
from routing import hours as H
from tests.routing.helpers import JST, analysis
from tsunagu.jtext import jdate


def _ikiiki(at: datetime) -> routing.Referral:
    d = routing.load_directory("nomi")
    return routing.route(analysis(), d, at).agencies[0]   # no district → いきいき共生課


def test_open_on_a_weekday_until_closing():
    ref = _ikiiki(datetime(2025, 1, 15, 16, 59, tzinfo=JST))
    assert ref.open_now is True and ref.next_step == "いま受け付けています（17:00まで）。"
    ref = _ikiiki(datetime(2025, 1, 15, 17, 0, tzinfo=JST))
    assert ref.open_now is False
    assert ref.next_open == datetime(2025, 1, 16, 8, 30, tzinfo=JST)
    assert ref.next_step == "いまは受付時間外です。明日2025年1月16日(木)の8:30から受け付けています。"


def test_saturday_is_closed_and_opens_on_monday():
    ref = _ikiiki(datetime(2025, 1, 18, 11, 0, tzinfo=JST))      # Saturday
    assert ref.open_now is False
    assert ref.next_open == datetime(2025, 1, 20, 8, 30, tzinfo=JST)
    assert "2025年1月20日(月)の8:30" in ref.next_step


def test_january_2nd_is_year_end_closed():
    at = datetime(2025, 1, 2, 10, 0, tzinfo=JST)                  # Thursday, 年末年始
    ref = _ikiiki(at)
    assert ref.open_now is False
    assert ref.next_open == datetime(2025, 1, 6, 8, 30, tzinfo=JST)
    d = routing.load_directory("nomi")
    r = routing.route(analysis("生活費"), d, at)
    # nothing open: the 24-hour line meanwhile
    assert "0120-279-338" in [c.phone for c in r.emergency_contacts]


def test_december_29_closed_december_27_open():
    assert _ikiiki(datetime(2025, 12, 29, 10, 0, tzinfo=JST)).open_now is False   # Monday
    assert _ikiiki(datetime(2025, 12, 26, 10, 0, tzinfo=JST)).open_now is True    # Friday


def test_substitute_holiday_is_closed():
    for day in (datetime(2025, 5, 6, 10, 0, tzinfo=JST), datetime(2026, 5, 6, 10, 0,
                                                                   tzinfo=JST)):
        assert H.holiday_name(day.date()) == "振替休日"
        ref = _ikiiki(day)
        assert ref.open_now is False
        assert ref.next_open == day.replace(day=7, hour=8, minute=30)


def test_naive_datetime_is_tokyo_time():
    ref = _ikiiki(datetime(2025, 1, 15, 9, 0))
    assert ref.open_now is True


def test_utc_datetime_is_converted():
    # 2025-01-15 00:30 UTC = 09:30 JST
    assert _ikiiki(datetime(2025, 1, 15, 0, 30, tzinfo=UTC)).open_now is True


def test_when_windows_are_open_no_night_line_is_pushed():
    d = routing.load_directory("nomi")
    r = routing.route(analysis("仕事"), d, datetime(2025, 1, 15, 10, 0, tzinfo=JST))
    assert r.agencies[0].id == "rinku" and r.agencies[0].open_now is True
    assert r.emergency_contacts == []
    r = routing.route(analysis("仕事"), d, datetime(2025, 1, 15, 15, 30, tzinfo=JST))
    assert r.agencies[0].open_now is False
    assert [c.phone for c in r.emergency_contacts] == ["0120-279-338"]


def test_handoff_window_follows_chat_agency_hours():
    d = routing.load_directory("nomi")
    assert routing.handoff_window(d, datetime(2025, 1, 15, 10, 0, tzinfo=JST)).open_now
    off = routing.handoff_window(d, datetime(2025, 1, 18, 10, 0, tzinfo=JST))
    assert not off.open_now and off.next_open == datetime(2025, 1, 20, 8, 30, tzinfo=JST)
    holiday = routing.handoff_window(d, datetime(2026, 5, 6, 9, 0, tzinfo=JST))
    assert holiday.next_open == datetime(2026, 5, 7, 8, 30, tzinfo=JST)


def test_handoff_window_without_known_hours():
    d = routing.load_directory("shunan")
    window = routing.handoff_window(d, datetime(2025, 1, 15, 10, 0, tzinfo=JST))
    assert window.hours_known is False and window.open_now is False


def test_dates_are_written_the_japanese_way():
    assert jdate(datetime(2025, 1, 15).date()) == "2025年1月15日(水)"
