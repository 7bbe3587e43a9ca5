"""つなぐシート (consent decides the meeting) and the admin pages (定型文)."""

from __future__ import annotations

from sqlalchemy import select

from tsunagu.models.staff import CannedReply


def test_sheet_drafts_from_the_conversation_and_needs_a_consent_choice(client, auth, admin,
                                                                        make_conversation):
    cid = make_conversation(categories=["ひきこもり", "介護"], speaker="家族")
    auth.login(admin.email)
    page = client.get(f"/console/conversations/{cid}/sheet").text
    assert "本人同意あり" in page and "同意なし" in page and "社会福祉法第106条の6" in page
    response = client.post(f"/console/conversations/{cid}/sheet",
                           data={"summary": "息子が長くひきこもり", "consent": ""},
                           follow_redirects=True)
    assert "本人の同意の有無を選んでください" in response.text
    assert "先につなぐシートを書いて" in client.get(
        f"/console/conversations/{cid}/sheet/print", follow_redirects=True).text


def test_sheet_with_consent_is_for_the_jusouteki_meeting(client, auth, admin,
                                                          make_conversation):
    cid = make_conversation(categories=["ひきこもり", "介護"], speaker="家族")
    auth.login(admin.email)
    response = client.post(f"/console/conversations/{cid}/sheet", data={
        "summary": "50代の息子が10年ひきこもり。80代の母が介護も必要。",
        "shared_info": "家族構成と相談の内容（住所・氏名は本人から直接）",
        "consent": "yes", "agency_id": "rinku", "agency_contact": ""})
    assert response.status_code == 302
    html = client.get(response.location).text
    assert "本人同意あり" in html and "重層的支援会議" in html and "106条の6" not in html
    assert "50代の息子が10年ひきこもり。80代の母が介護も必要。" in html
    assert "ひきこもり・介護" in html and "家族" in html
    assert "家族構成と相談の内容" in html
    assert "@media print" in client.get("/console/static/console.css").text


def test_sheet_without_consent_is_for_the_shien_kaigi_only(client, auth, admin,
                                                            make_conversation):
    cid = make_conversation(categories=["DV・虐待"])
    auth.login(admin.email)
    response = client.post(f"/console/conversations/{cid}/sheet", data={
        "summary": "近所から、子どもの泣き声が続くとの相談。", "consent": "no",
        "agency_id": "kodomo-station", "agency_contact": "電話 0761-00-0000"})
    html = client.get(response.location).text
    assert "同意なし" in html and "支援会議（社会福祉法第106条の6）でのみ" in html
    assert "電話 0761-00-0000" in html


def test_admins_edit_canned_replies_and_consultants_use_them(client, auth, admin, make_staff,
                                                            make_conversation, factory):
    auth.login(admin.email)
    client.post("/console/admin/canned", data={"title": "折り返し",
                                                "text": "明日の午前中にお返事します。"})
    with factory() as session:
        row = session.scalar(select(CannedReply).where(CannedReply.title == "折り返し"))
    client.post("/console/admin/canned", data={"id": str(row.id), "title": "折り返し",
                                                "text": "明日の午後にお返事します。"})
    auth.logout()
    make_staff("c@city.example.jp", agency="rinku")
    auth.login("c@city.example.jp")
    assert client.get("/console/admin/canned").status_code == 403
    cid = make_conversation()
    client.post(f"/console/conversations/{cid}/takeover")
    page = client.get(f"/console/conversations/{cid}").text
    assert 'data-insert="明日の午後にお返事します。">折り返し</button>' in page


def test_migration_starts_with_a_few_canned_replies(sqlite_url):
    from tsunagu import db

    with db.session_factory(sqlite_url)() as session:
        titles = session.scalars(select(CannedReply.title)).all()
    assert "お礼" in titles and len(titles) >= 3
