"""A consultant takes a conversation over, replies, hands it back; notes, corrections,
assignment, closing, the audit trail and deletion."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

import intents
from console.actions import HANDBACK_TEXT
from tests.console.conftest import conversation_of, wait_for
from tsunagu import privacy
from tsunagu.models import Conversation, OutboundMessage, Resident
from tsunagu.models.staff import AuditLog, CategoryFeedback, ReferralSheet, StaffNote


def _audit(factory, cid):  # type: ignore[no-untyped-def]
    with factory() as session:
        return list(session.scalars(select(AuditLog.action).where(
            AuditLog.conversation_id == cid).order_by(AuditLog.id)))


def _resident_inbox(client, user: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What the web chat resident has received, in order."""
    return [r["text"] for r in client.get(f"/simulator/api/messages?user={user}")
            .get_json()["replies"]]


def test_takeover_reply_handback(client, auth, make_staff, chat, factory):
    make_staff("c@city.example.jp", agency="rinku", name="佐藤")
    resident = chat()
    resident.say("仕事が見つからなくて生活が苦しいです")
    cid = conversation_of(factory, resident.user).id
    auth.login("c@city.example.jp")

    page = client.get(f"/console/conversations/{cid}").text
    assert "仕事が見つからなくて生活が苦しいです" in page and ">対応を開始</button>" in page
    assert resident.user not in page

    client.post(f"/console/conversations/{cid}/takeover")
    wait_for(lambda: "相談員の佐藤です。\nここからは相談員がお返事します。"
             in _resident_inbox(client, resident.user))
    with factory() as session:
        c = session.get(Conversation, cid)
        assert c.status == "staff" and c.assigned_agency_id == "rinku"

    # While staff hold it the bot says nothing, whatever the resident writes.
    assert resident.say("家賃も払えないかもしれません") == []
    assert resident.say("最初から") == []

    page = client.get(f"/console/conversations/{cid}").text
    assert '<label for="reply-text">返信</label>' in page and ">送信</button>" in page
    assert "家賃も払えないかもしれません" in page
    client.post(f"/console/conversations/{cid}/reply", data={"text": "お話ありがとうございます。"})
    wait_for(lambda: "お話ありがとうございます。" in _resident_inbox(client, resident.user))
    wait_for(lambda: "送信済み" in client.get(f"/console/conversations/{cid}/live.json")
             .get_json()["html"])

    client.post(f"/console/conversations/{cid}/handback")
    wait_for(lambda: HANDBACK_TEXT in _resident_inbox(client, resident.user))
    assert resident.say("こんにちは") != []  # the bot answers again
    assert _audit(factory, cid)[:3] == ["view", "takeover", "view"]
    assert {"reply", "handback"} <= set(_audit(factory, cid))


def test_takeover_cancels_queued_bot_messages(client, auth, admin, factory,
                                              make_conversation):
    from tsunagu.outbox import Reply, do_enqueue

    cid = make_conversation()
    with factory.begin() as session:
        c = session.get(Conversation, cid)
        queued = do_enqueue(session, c.resident, c, Reply("予約のリマインドです")).id
    auth.login(admin.email)
    client.post(f"/console/conversations/{cid}/takeover")
    with factory() as session:
        assert session.get(OutboundMessage, queued).status == "cancelled"
        staff_rows = session.scalars(select(OutboundMessage).where(
            OutboundMessage.conversation_id == cid, OutboundMessage.source == "staff")).all()
    assert [r.text for r in staff_rows] == ["相談員の管理です。\nここからは相談員がお返事します。"]


def test_second_consultant_cannot_take_over_or_reply_to_a_held_conversation(client, auth, make_staff,
                                                                 make_conversation, factory):
    make_staff("a@city.example.jp", agency="rinku", name="青木")
    second = make_staff("b@city.example.jp", agency="rinku")
    cid = make_conversation(agency="rinku")
    auth.login("a@city.example.jp")
    client.post(f"/console/conversations/{cid}/takeover")
    auth.logout()
    auth.login("b@city.example.jp")
    response = client.post(f"/console/conversations/{cid}/takeover", follow_redirects=True)
    assert "すでに青木さんが対応中です" in response.text
    assert "青木さんが対応中" in client.get("/console/").text

    # nor reply in the holder's place: the reply box gives way to who holds it
    page = client.get(f"/console/conversations/{cid}").text
    assert 'name="text"' not in page.split('id="reply"')[1].split("</section>")[0]
    response = client.post(f"/console/conversations/{cid}/reply", data={"text": "横から失礼します"},
                           follow_redirects=True)
    assert "青木さんが対応中です。返信するには" in response.text
    with factory() as s:
        assert "横から失礼します" not in [o.text for o in s.query(OutboundMessage)]
    # once the case is assigned to them, they can
    client.post(f"/console/conversations/{cid}/assign",
                data={"agency_id": "rinku", "staff_id": str(second.id)})
    client.post(f"/console/conversations/{cid}/reply", data={"text": "担当が替わりました"})
    with factory() as s:
        assert "担当が替わりました" in [o.text for o in s.query(OutboundMessage)]


def test_reply_needs_takeover_and_text(client, auth, admin, make_conversation):
    cid = make_conversation()
    auth.login(admin.email)
    response = client.post(f"/console/conversations/{cid}/reply", data={"text": "こんにちは"},
                           follow_redirects=True)
    assert "先に「対応を開始」してください" in response.text
    client.post(f"/console/conversations/{cid}/takeover")
    response = client.post(f"/console/conversations/{cid}/reply", data={"text": "  "},
                           follow_redirects=True)
    assert "返信が空です" in response.text


def test_failed_delivery_shows_the_error(client, auth, admin, make_conversation, factory):
    cid = make_conversation()
    auth.login(admin.email)
    client.post(f"/console/conversations/{cid}/takeover")
    with factory.begin() as session:
        row = session.scalars(select(OutboundMessage).where(
            OutboundMessage.conversation_id == cid)).one()
        row.status, row.last_error = "failed", "LINE 400: The user hasn't added the bot"
    html = client.get(f"/console/conversations/{cid}").text
    assert "送信失敗：LINE 400: The user hasn&#39;t added the bot" in html


def test_notes_are_private_and_listed(client, auth, admin, make_conversation, factory):
    cid = make_conversation()
    auth.login(admin.email)
    client.post(f"/console/conversations/{cid}/notes", data={"text": "母親と同居。来週電話する"})
    assert "母親と同居。来週電話する" in client.get(f"/console/conversations/{cid}").text
    with factory() as session:
        assert not session.scalars(select(OutboundMessage)).all()  # nothing sent


def test_category_correction_is_kept_as_feedback_and_exported(client, auth, admin, chat,
                                                              factory):
    resident = chat()
    resident.say("親の介護で仕事を辞めることになりそうです")
    cid = conversation_of(factory, resident.user).id
    auth.login(admin.email)
    with factory() as session:
        original = list(session.get(Conversation, cid).categories)
    corrected = [c for c in intents.CATEGORIES if c in ("介護", "仕事", "ケアラー")]
    client.post(f"/console/conversations/{cid}/categories",
                data={"category": ["介護", "仕事", "ケアラー"]})
    with factory() as session:
        assert session.get(Conversation, cid).categories == corrected
        feedback = session.scalars(select(CategoryFeedback)).one()
    assert feedback.original_categories == original
    assert feedback.text == "親の介護で仕事を辞めることになりそうです"
    assert feedback.original is not None and "evidence" in feedback.original

    csv_body = client.get("/console/admin/feedback.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_body.lstrip("\ufeff"))))
    assert rows[0]["text"] == feedback.text
    assert rows[0]["corrected_categories"] == "|".join(corrected)
    lines = client.get("/console/admin/feedback.jsonl").get_data(as_text=True).splitlines()
    assert json.loads(lines[0])["corrected_categories"] == corrected
    with factory() as session:
        r = session.scalars(select(Resident)).one()
    for body in (csv_body, "\n".join(lines)):
        assert resident.user not in body and r.pseudonym not in body and r.label not in body
    with factory() as session:
        assert session.scalars(select(AuditLog.action).where(AuditLog.action == "export")) \
            .all() == ["export", "export"]
    assert client.post(f"/console/conversations/{cid}/categories",
                       data={"category": ["魔法"]}, follow_redirects=True).text.count(
        "分類にない項目です") == 1


def test_assign_to_another_agency_hands_the_case_over(client, auth, make_staff,
                                                      make_conversation, factory):
    make_staff("a@city.example.jp", agency="rinku")
    other = make_staff("k@city.example.jp", agency="kodomo-station")
    cid = make_conversation()
    auth.login("a@city.example.jp")
    response = client.post(f"/console/conversations/{cid}/assign",
                           data={"agency_id": "kodomo-station", "staff_id": str(other.id)})
    assert response.status_code == 302 and response.location.endswith("/console/")
    assert client.get(f"/console/conversations/{cid}").status_code == 403
    with factory() as session:
        c = session.get(Conversation, cid)
        assert (c.assigned_agency_id, c.assigned_staff_id) == ("kodomo-station", other.id)


def test_close_with_outcome(client, auth, admin, make_conversation, factory):
    referred, ended = make_conversation(), make_conversation()
    auth.login(admin.email)
    response = client.post(f"/console/conversations/{referred}/close",
                           data={"outcome": "referred"}, follow_redirects=True)
    assert "つないだ先の機関を選んでください" in response.text
    client.post(f"/console/conversations/{referred}/close",
                data={"outcome": "referred", "agency_id": "rinku"})
    client.post(f"/console/conversations/{ended}/close", data={"outcome": "interrupted"})
    with factory() as session:
        c = session.get(Conversation, referred)
        assert (c.status, c.outcome) == ("closed", "referred") and c.closed_at
        sheet = session.scalars(select(ReferralSheet)).one()
        assert sheet.agency_id == "rinku" and sheet.agency_name
        assert session.get(Conversation, ended).outcome == "interrupted"
    closed = client.get("/console/?view=closed").text
    assert "終了（つないだ先）" in closed and "終了（中断）" in closed
    assert client.get("/console/inbox.json").get_json()["ids"] == []


def test_every_view_and_action_is_in_the_audit_log(client, auth, admin, make_conversation):
    cid = make_conversation()
    auth.login(admin.email)
    client.get(f"/console/conversations/{cid}")
    client.post(f"/console/conversations/{cid}/takeover")
    client.post(f"/console/conversations/{cid}/reply", data={"text": "はい"})
    page = client.get(f"/console/admin/audit?conversation={cid}").text
    for label in ("閲覧", "対応を開始", "返信"):
        assert f"<td>{label}</td>" in page
    assert "はい" not in page.split("<tbody>")[1]  # no content in the log


def test_resident_deletion_removes_notes_feedback_and_sheet(client, auth, admin, chat,
                                                            factory):
    resident = chat()
    resident.say("夫から暴力を受けています")
    cid = conversation_of(factory, resident.user).id
    auth.login(admin.email)
    client.post(f"/console/conversations/{cid}/notes", data={"text": "警察への相談歴あり"})
    client.post(f"/console/conversations/{cid}/categories", data={"category": ["DV・虐待"]})
    client.post(f"/console/conversations/{cid}/close",
                data={"outcome": "referred", "agency_id": "rinku"})
    with factory.begin() as session:
        privacy.do_delete_resident_data(session, session.get(Conversation, cid).resident)
    with factory() as session:
        for model in (StaffNote, CategoryFeedback, ReferralSheet):
            assert session.scalars(select(model)).all() == []
    html = client.get(f"/console/conversations/{cid}").text
    assert "警察への相談歴あり" not in html and "夫から暴力" not in html
    assert "相談者データの削除" in client.get("/console/admin/audit").text


def test_admin_deletes_a_residents_data_on_request(client, auth, admin, make_conversation,
                                                   factory, make_staff):
    cid = make_conversation()
    auth.login(admin.email)
    client.post(f"/console/conversations/{cid}/notes", data={"text": "メモ"})
    response = client.post(f"/console/conversations/{cid}/delete", data={"confirm": ""},
                           follow_redirects=True)
    assert "「削除」と入力してください" in response.text
    client.post(f"/console/conversations/{cid}/delete", data={"confirm": "削除"})
    with factory() as session:
        assert session.get(Conversation, cid).resident.deleted_at is not None
        assert session.scalars(select(StaffNote)).all() == []
    assert "delete" in _audit(factory, cid)
    auth.logout()
    make_staff("c@city.example.jp", agency="rinku")
    auth.login("c@city.example.jp")
    assert client.post(f"/console/conversations/{cid}/delete",
                       data={"confirm": "削除"}).status_code == 403
