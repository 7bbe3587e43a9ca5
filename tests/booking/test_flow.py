"""Booking over the web chat API, end to end: engine, flow, storage, outbox."""

from __future__ import annotations

from sqlalchemy import select

from tsunagu import db
from tsunagu.models.booking import Booking


def _bookings(settings) -> list[Booking]:  # type: ignore[no-untyped-def]
    with db.session_factory(settings.sqlalchemy_url)() as s:
        return list(s.scalars(select(Booking).order_by(Booking.id)))


def _book(resident, *, date="1月15日(水)", time="19:00〜20:15", who="家族", name=None):  # type: ignore[no-untyped-def]
    resident.say("相談会を予約")
    resident.press(resident.buttons()[date], date)
    if time is not None:
        resident.press(resident.buttons()[time], time)
    resident.press(resident.buttons()[who], who)
    if name is None:
        resident.press(resident.buttons()["なしで進む"], "なしで進む")
    else:
        resident.say(name)
    resident.press(resident.buttons()["予約する"], "予約する")
    return resident.text()


def test_family_member_books_in_a_few_taps(chat, directory, frozen, settings):
    resident = chat()
    resident.say("相談会を予約")
    text = resident.text()
    assert "ひきこもり相談会" in text and "ご家族だけのご相談もできます" in text
    assert "お名前や電話番号は要りません" in text
    dates = resident.buttons()
    assert list(dates)[:3] == ["1月15日(水)", "2月19日(水)", "3月19日(水)"]
    assert all(len(pb.encode()) <= 64 for pb in dates.values())

    resident.press(dates["1月15日(水)"], "1月15日(水)")
    assert "時間を選んでください" in resident.text()
    assert set(resident.buttons()) >= {"19:00〜20:15", "20:15〜21:30"}
    resident.press(resident.buttons()["20:15〜21:30"], "20:15〜21:30")
    assert set(resident.buttons()) >= {"本人", "家族", "本人と家族"}
    resident.press(resident.buttons()["家族"], "家族")
    assert "なしで進む" in resident.buttons()
    resident.say("  みどりの母  ")
    text = resident.text()
    assert "2025年1月15日(水) 20:15〜" in text and "みどりの母" in text
    resident.press(resident.buttons()["予約する"], "予約する")

    text = resident.text()
    assert "予約を受け付けました" in text
    assert "2025年1月15日(水) 20:15〜" in text
    assert "能美市生涯学習ハウス 2階" in text and "能美市寺井町中45" in text
    assert "アクセス：能美市役所から車で5分" in text
    assert "持ち物：" in text
    assert {"予約の確認", "予約の変更", "予約のキャンセル"} <= set(resident.buttons())

    [booking] = _bookings(settings)
    assert (booking.status, booking.who, booking.nickname) == ("booked", "family", "みどりの母")
