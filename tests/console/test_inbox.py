"""The inbox: order, what a row shows, live JSON."""

from __future__ import annotations

from datetime import timedelta

from tsunagu import clock


def test_crisis_first_then_asking_for_a_person_then_longest_waiting(client, auth, admin,
                                                                    make_conversation):
    now = clock.now()
    recent = make_conversation(last_resident_at=now - timedelta(minutes=1))
    old = make_conversation(last_resident_at=now - timedelta(minutes=30))
    wants = make_conversation(wants_human=True, last_resident_at=now - timedelta(minutes=2))
    crisis = make_conversation(crisis=True, last_resident_at=now)
    make_conversation(status="closed")
    auth.login(admin.email)
    assert client.get("/console/inbox.json").get_json()["ids"] == [crisis, wants, old, recent]


def test_row_shows_chips_district_speaker_suggestions_and_holder(client, auth, admin,
                                                                 make_conversation):
    cid = make_conversation(
        crisis=True, categories=["こころ", "仕事"], speaker="家族", district="terai",
        routing={"agencies": [{"id": "terai-anshin", "name": "寺井地区あんしん相談センター",
                               "kind": "x", "phone": None, "open_now": True, "reason": "…"}],
                 "multi_agency": True})
    auth.login(admin.email)
    html = client.get("/console/").text
    assert 'class="badge crisis">緊急' in html
    assert '<span class="chip">こころ</span>' in html and '<span class="chip">仕事</span>' in html
    assert "家族" in html and "寺井" in html and "寺井地区あんしん相談センター" in html
    assert "ボット対応中" in html and "複数機関" in html
    assert f'href="/console/conversations/{cid}"' in html
    assert "<title>（緊急 1）受信箱" in html
    data = client.get("/console/inbox.json").get_json()
    assert data["crisis"] == 1 and data["rows"][0]["categories"] == ["こころ", "仕事"]
    assert "寺井地区あんしん相談センター" in data["html"]


def test_a_new_resident_appears_in_the_inbox_json(client, auth, admin, chat):
    auth.login(admin.email)
    before = client.get("/console/inbox.json").get_json()["ids"]
    resident = chat()
    resident.say("死にたいです。もう限界です")
    rows = client.get("/console/inbox.json").get_json()["rows"]
    new = [r for r in rows if r["id"] not in before]
    assert len(new) == 1
    assert new[0]["crisis"] is True and new[0]["wants_human"] is True
    assert new[0]["resident"].startswith("相談者 ")
    assert resident.user not in client.get("/console/inbox.json").text
