"""The console's 相談会の予約 page: list by date, attendance, cancelling on the
resident's behalf (they are told), CSV and the iCalendar feed."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.booking.conftest import csrf_token
from tests.booking.test_flow import _book, _bookings
from tests.console.conftest import wait_for
from tsunagu import db
from tsunagu.models import Resident


def _page(client, path="/console/bookings?from=2025-01-01"):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.text


def test_staff_see_bookings_mark_attendance_and_cancel(chat, directory, frozen, settings,
                                                      client, auth, make_staff):
    resident = chat()
    _book(resident, name="さくらの母")
    [booking] = _bookings(settings)
    assert client.get("/console/bookings").status_code in (302, 401)   # login first

    make_staff("sato@city.example.jp", role="consultant", agency="nomi-ikiiki")
    auth.login("sato@city.example.jp")
    html = _page(client)
    assert "2025年1月15日(水)" in html and "ひきこもり相談会" in html
    assert "さくらの母" in html and "家族" in html
    assert f'href="/console/conversations/{booking.conversation_id}"' in html

    token = csrf_token(html)
    response = client.post(f"/console/bookings/{booking.id}/mark",
                           data={"status": "attended", "csrf_token": token})
    assert response.status_code == 302
    assert _bookings(settings)[0].status == "attended"
    client.post(f"/console/bookings/{booking.id}/mark", data={"status": "booked",
                                                               "csrf_token": token})
    assert _bookings(settings)[0].status == "booked"
    bad = client.post(f"/console/bookings/{booking.id}/mark",
                      data={"status": "deleted", "csrf_token": token})
    assert bad.status_code == 400

    client.post(f"/console/bookings/{booking.id}/cancel", data={"csrf_token": token})
    assert _bookings(settings)[0].status == "cancelled"
    assert _bookings(settings)[0].cancelled_by == "staff"
    # The resident is told through the outbox, on their channel.
    def told_replies():  # type: ignore[no-untyped-def]
        replies = client.get("/simulator/api/messages",
                             query_string={"user": resident.user}).get_json()["replies"]
        return [r for r in replies if "キャンセルしました" in r["text"] and "担当者" in r["text"]]

    told = wait_for(told_replies, timeout=5)
    assert told and "2025年1月15日(水) 19:00〜" in told[0]["text"]
    # Pressing cancel again changes nothing and says so.
    again = client.post(f"/console/bookings/{booking.id}/cancel", data={"csrf_token": token},
                        follow_redirects=True)
    assert "すでにキャンセル" in again.text


def test_other_agencies_consultant_cannot_see_or_change(chat, directory, frozen, settings,
                                                      client, auth, make_staff):
    _book(chat(), name="ひみつ")
    [booking] = _bookings(settings)
    make_staff("other@city.example.jp", role="consultant", agency="shunan-soudan")
    auth.login("other@city.example.jp")
    html = _page(client)
    assert "ひみつ" not in html
    token = csrf_token(html)
    assert client.post(f"/console/bookings/{booking.id}/cancel",
                       data={"csrf_token": token}).status_code == 403
    assert _bookings(settings)[0].status == "booked"


def test_csv_export_has_nicknames_and_no_platform_ids(chat, directory, frozen, settings,
                                                     client, auth, make_staff):
    resident = chat()
    _book(resident, name="=cmd|calc")
    _book(chat(), time="20:15〜21:30", who="本人と家族")
    make_staff("admin@city.example.jp", role="admin")
    auth.login("admin@city.example.jp")
    response = client.get("/console/bookings.csv?from=2025-01-01&to=2025-03-31")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.data.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("日付,開始,終了,相談会")
    assert len(lines) == 3
    assert "2025-01-15,19:00,20:15,ひきこもり相談会" in body
    assert "'=cmd|calc" in body                     # no spreadsheet formula
    assert "本人と家族" in body
    with db.session_factory(settings.sqlalchemy_url)() as s:
        for r in s.scalars(select(Resident)):
            assert r.pseudonym not in body and r.label not in body
    assert resident.user not in body


def test_ical_feed_needs_its_secret_and_shows_nicknames_only(chat, directory, frozen,
                                                             settings, client, auth,
                                                             make_staff, app):
    resident = chat()
    _book(resident, name="こはる")
    make_staff("sato@city.example.jp", role="consultant", agency="nomi-ikiiki")
    auth.login("sato@city.example.jp")
    issued = client.post("/console/bookings/feed-token",
                         data={"csrf_token": csrf_token(_page(client))})
    url = re.search(r'value="(http[^"]+\.ics)"', issued.text).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]

    calendar_app = app.test_client()          # not logged in, like a calendar client
    feed = calendar_app.get("/" + path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.data.decode()
    unfolded = body.replace("\r\n ", "")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "END:VCALENDAR" in body
    assert "DTSTART:20250115T100000Z" in unfolded          # 19:00 JST
    assert "こはる" in unfolded and "予約 1/2" in unfolded
    assert resident.user not in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))

    assert calendar_app.get("/console/bookings/feed/wrong-token.ics").status_code == 404
    client.post("/console/bookings/feed-token", data={"csrf_token": csrf_token(_page(client))})
    assert calendar_app.get("/" + path).status_code == 404   # re-issued: the old URL is dead
