"""Booking over the web chat API, end to end: engine, flow, storage, outbox."""

from __future__ import annotations

from sqlalchemy import select

from tsunagu import db
from tsunagu.models.booking import Booking


def _bookings(settings) -> list[Booking]:  # type: ignore[no-untyped-def]
    with db.session_factory(settings.sqlalchemy_url)() as s:
        return list(s.scalars(select(Booking).order_by(Booking.id)))


def _to_name(resident, *, date="1月15日(水)", time="19:00〜20:15", who="家族"):  # type: ignore[no-untyped-def]
    """「相談会を予約」, a date, a time (None: the date has one open slot, so no time step)
    and who comes: the bot now asks for a name."""
    resident.say("相談会を予約")
    resident.press(resident.buttons()[date], date)
    if time is not None:
        resident.press(resident.buttons()[time], time)
    resident.press(resident.buttons()[who], who)


def _book(resident, *, date="1月15日(水)", time="19:00〜20:15", who="家族", name=None):  # type: ignore[no-untyped-def]
    _to_name(resident, date=date, time=time, who=who)
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


def test_single_slot_session_skips_the_time_step(chat, directory, frozen, settings,
                                                 monkeypatch):
    from bots import engine
    from tests.booking.conftest import make_directory

    one_slot = make_directory(capacity=3, slot_minutes=None)  # as 能美市's leaflet: 19:00-21:30
    monkeypatch.setattr(engine, "directory_for", lambda m: one_slot)
    resident = chat()
    resident.say("相談会を予約")
    resident.press(resident.buttons()["1月15日(水)"], "1月15日(水)")
    assert "19:00からですね" in resident.text()
    assert set(resident.buttons()) >= {"本人", "家族", "本人と家族"}


def test_check_change_and_cancel_work_typed_and_pressed(chat, directory, frozen, settings):
    resident = chat()
    assert "予約を受け付けました" in _book(resident, name="たろうの父")

    resident.say("予約の確認")
    assert "2025年1月15日(水) 19:00〜" in resident.text() and "たろうの父" in resident.text()

    resident.press("cmd:bkchange", "予約の変更")
    assert "いまのご予約：2025年1月15日(水) 19:00〜" in resident.text()
    # The same evening's other slot may be chosen too.
    resident.press(resident.buttons()["1月15日(水)"], "1月15日(水)")
    assert "20:15からですね" in resident.text()  # the only other slot: no time step
    resident.press(resident.buttons()["本人と家族"], "本人と家族")
    resident.press(resident.buttons()["なしで進む"], "なしで進む")
    assert "この内容で変更しますか" in resident.text()
    resident.press(resident.buttons()["変更する"], "変更する")
    assert "予約の変更を受け付けました" in resident.text()
    assert "2025年1月15日(水) 20:15〜" in resident.text()
    old, new = _bookings(settings)
    assert (old.status, new.status, new.who) == ("cancelled", "booked", "both")

    resident.say("予約のキャンセル")
    assert "キャンセルしますか" in resident.text()
    resident.press(resident.buttons()["キャンセルする"], "キャンセルする")
    assert "キャンセルしました" in resident.text()
    assert [b.status for b in _bookings(settings)] == ["cancelled", "cancelled"]
    resident.say("予約の確認")
    assert "いま、ご予約はありません" in resident.text()


def test_commands_work_in_the_middle_of_the_flow(chat, directory, frozen, settings):
    resident = chat()
    resident.say("相談会を予約")
    resident.press(resident.buttons()["1月15日(水)"], "1月15日(水)")
    resident.say("予約の確認")
    assert "いま、ご予約はありません" in resident.text()
    resident.press("cmd:book", "相談会を予約")
    assert "1月15日(水)" in resident.buttons()


def test_typed_text_where_a_button_was_expected(chat, directory, frozen, settings):
    resident = chat()
    resident.say("相談会を予約")
    resident.say("うーん")
    assert "ボタンから選んでください" in resident.text()
    assert "1月15日(水)" in resident.buttons()          # the same choices again
    resident.say("1月15日(水)")                          # a label typed works like the button
    assert "時間を選んでください" in resident.text()
    resident.say("19:00〜20:15")
    resident.say("家族")
    assert "お呼びする名前" in resident.text()
    resident.say("やめる")
    assert "予約はしていません" in resident.text()
    assert _bookings(settings) == []


def test_nickname_rejects_phone_numbers_and_links_kindly(chat, directory, frozen, settings):
    resident = chat()
    _to_name(resident)
    for bad, why in (("090-1234-5678", "電話番号は要りません"),
                     ("０９０１２３４５６７８", "電話番号は要りません"),
                     ("https://example.com/me", "リンクは要りません"),
                     ("あ" * 21, "20文字まで")):
        resident.say(bad)
        assert why in resident.text(), bad
        assert "なしで進む" in resident.buttons()
    resident.say("ゆき")
    assert "お呼びする名前：ゆき" in resident.text()


def test_stale_buttons_get_a_kind_reply(chat, directory, frozen, settings):
    resident = chat()
    resident.say("相談会を予約")
    date_button = resident.buttons()["1月15日(水)"]
    resident.press(date_button, "1月15日(水)")
    time_button = resident.buttons()["19:00〜20:15"]
    resident.press("bk:x", "やめる")
    for stale in (date_button, time_button, "bk:w:family", "bk:y", "bk:cy:999", "bk:zz"):
        resident.press(stale)
        assert "使えなくなっています" in resident.text() or "ボタン" in resident.text(), stale
    assert _bookings(settings) == []


def test_slot_that_filled_meanwhile_gets_full_reply(chat, directory, frozen, settings):
    slow = chat()
    _to_name(slow)
    slow.press(slow.buttons()["なしで進む"], "なしで進む")
    confirm = slow.buttons()["予約する"]
    for _ in range(2):  # capacity 2: two others take the last places meanwhile
        assert "予約を受け付けました" in _book(chat())
    slow.press(confirm, "予約する")
    assert "満席" in slow.text()
    assert "1月15日(水)" in slow.buttons()   # the later slot that evening is still open
    assert [b.status for b in _bookings(settings)] == ["booked", "booked"]

    # An old date button for an evening that is now completely full
    for _ in range(2):
        _book(chat(), time=None)   # 20:15〜21:30, the only slot left that evening
    late = chat()
    late.say("相談会を予約")
    assert "1月15日(水)" not in late.buttons()
    late.press(confirm.replace("bk:y", "bk:d:nomi-hikikomori-20250115"))
    assert "満席" in late.text() and "2月19日(水)" in late.buttons()


def test_a_date_no_longer_open(chat, directory, frozen, settings):
    from datetime import timedelta

    from tsunagu import clock

    resident = chat()
    resident.say("相談会を予約")
    button = resident.buttons()["1月15日(水)"]
    clock.advance(timedelta(days=9, hours=9, minutes=30))  # 1/15 19:30: both slots closed
    resident.press(button, "1月15日(水)")
    assert "受付が終わりました" in resident.text()
    assert "1月15日(水)" not in resident.buttons() and "2月19日(水)" in resident.buttons()


def test_same_session_cannot_be_booked_twice(chat, directory, frozen, settings):
    resident = chat()
    _book(resident)
    resident.say("相談会を予約")
    assert "1月15日(水)" not in resident.buttons()      # already hers
    assert "いまのご予約：2025年1月15日(水) 19:00〜" in resident.text()
    resident.press("bk:d:nomi-hikikomori-20250115")
    assert "満席" in resident.text() or "受付が終わりました" in resident.text()
    assert len(_bookings(settings)) == 1


def test_deleting_data_cancels_bookings_and_forgets_the_nickname(chat, directory, frozen,
                                                                settings):
    resident = chat()
    _book(resident, name="はなこ")
    resident.say("データを削除")
    resident.press(resident.buttons()["削除する"], "削除する")
    [booking] = _bookings(settings)
    assert booking.status == "cancelled" and booking.nickname is None
    assert booking.cancelled_by == "deleted"


def test_a_hikikomori_concern_is_offered_the_booking(chat, directory, frozen, settings):
    resident = chat()
    resident.say("こんにちは")
    resident.say("息子が10年ひきこもっていて、家族としてどうしたらいいかわかりません")
    if "地区" in resident.text():
        resident.press(resident.buttons()["寺井"], "寺井")
    assert "ひきこもり相談会" in resident.text() and "予約できます" in resident.text()
    assert resident.buttons()["相談会を予約"] == "cmd:book"
    resident.press("cmd:book", "相談会を予約")
    assert "1月15日(水)" in resident.buttons()
