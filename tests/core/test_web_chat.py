"""A resident's conversation over the web chat API, end to end (engine, outbox)."""

from __future__ import annotations

from sqlalchemy import func, select

from tsunagu.models import InboundEvent, Message, Resident


def test_first_contact_gets_welcome_privacy_notice_and_crisis_lines(chat):
    resident = chat()
    replies = resident.say("こんにちは")
    text = resident.text()
    assert "匿名" in text and "お名前は要りません" in text
    assert "データを削除" in text          # how to delete
    assert "1年" in text                  # how long it is kept
    assert "110" in text and "119" in text  # not for emergencies
    assert "いのちの電話" in text or "よりそいホットライン" in text
    # A greeting is not a concern: the bot invites the resident to write freely.
    assert "お困りのこと" in replies[-1]["text"]


def test_welcome_is_only_sent_once(chat):
    resident = chat()
    resident.say("こんにちは")
    resident.say("家賃が払えなくて困っています")
    assert "匿名" not in resident.text()


def test_concern_gets_understanding_a_window_and_next_steps(chat):
    resident = chat()
    resident.say("こんにちは")
    resident.say("家賃を3か月滞納していて、大家さんから督促の電話が来ます")
    assert "住まい" in resident.text()
    if "地区" in resident.text():  # 能美市's general window depends on the area
        buttons = resident.buttons()
        assert {"根上", "寺井", "辰口", "その他・わからない"} <= set(buttons)
        replies = resident.press(buttons["寺井"], "寺井")
        assert "寺井" in resident.text()
    else:
        replies = resident.last
    assert "■" in resident.text()  # at least one window is named
    labels = set(resident.buttons())
    assert {"相談員と話したい", "窓口の連絡先", "ほかの相談"} <= labels
    assert all(r["id"] > 0 for r in replies)


def test_unknown_district_still_gets_a_window(chat):
    resident = chat()
    resident.say("こんにちは")
    resident.say("息子が10年ひきこもっていて、親も年金暮らしで先が不安です")
    if "地区" in resident.text():
        resident.press(resident.buttons()["その他・わからない"], "その他・わからない")
    assert "■" in resident.text() and "対象外" not in resident.text()


def test_typed_words_always_work(chat):
    resident = chat()
    resident.say("こんにちは")
    assert "相談員" in resident.say("相談員と話したい")[0]["text"]
    assert "最初から" in resident.say("最初から")[0]["text"]


def test_crisis_is_answered_at_once_without_a_button(chat, factory):
    resident = chat()
    resident.say("こんにちは")
    resident.say("もう死にたい")
    text = resident.text()
    assert "110" in text and "119" in text
    assert "相談員にもすぐにお知らせしました" in text
    with factory() as session:
        from tsunagu.models import Conversation

        conversation = session.scalars(select(Conversation)).one()
        assert conversation.crisis and conversation.wants_human


def test_later_messages_can_be_fetched(chat, client):
    resident = chat()
    first = resident.say("こんにちは")
    after = first[0]["id"]
    later = client.get(f"/simulator/api/messages?user={resident.user}&after={after}").get_json()
    assert [r["id"] for r in later["replies"]] == [r["id"] for r in first[1:]]


def test_delete_my_data_after_confirmation(chat, factory):
    resident = chat()
    resident.say("こんにちは")
    resident.say("借金の返済ができません")
    resident.say("データを削除")
    assert set(resident.buttons()) == {"削除する", "やめる"}
    resident.press("del:yes", "削除する")
    assert "削除しました" in resident.text()
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        row = session.scalars(select(Resident)).one()
        assert row.platform_id_enc is None and row.deleted_at is not None
        texts = session.scalars(select(InboundEvent.text)).all()
        assert all(t is None for t in texts)
    # Writing again starts afresh, as a new anonymous resident.
    resident.say("こんにちは")
    assert "匿名" in resident.text()


def test_cancelling_the_deletion_keeps_everything(chat, factory):
    resident = chat()
    resident.say("こんにちは")
    resident.say("データを削除")
    resident.press("del:no", "やめる")
    assert "削除はしていません" in resident.text()
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Message)) > 0


def test_stale_button_gets_a_kind_reply(chat):
    resident = chat()
    resident.say("こんにちは")
    resident.press("del:yes")  # no deletion was asked for
    assert "このボタンは、いまは使えなくなっています" in resident.text()


def test_sticker_like_input_is_not_possible_but_unknown_postback_is_kind(chat):
    resident = chat()
    resident.say("こんにちは")
    resident.press("zz:unknown")
    assert "このボタン" in resident.text()


def test_bot_is_silent_while_staff_hold_but_flags_a_crisis(chat, factory):
    from tsunagu.models import Conversation

    resident = chat()
    resident.say("こんにちは")
    with factory.begin() as session:
        conversation = session.scalars(select(Conversation)).one()
        conversation.status = "staff"
    assert resident.say("家賃が払えません") == []
    assert resident.say("もう死にたいです") == []
    with factory() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.crisis is True
        assert conversation.wants_human is True


def test_district_buttons_always_offer_other_or_unknown():
    import routing
    from bots.flows.intake import district_buttons

    for city in ("nomi", "shunan"):  # 3 districts; 26 districts
        buttons = district_buttons(routing.load_directory(city))
        assert len(buttons) <= 13
        assert buttons[-1].label == "その他・わからない"
        assert all(len(b.label) <= 20 for b in buttons)
