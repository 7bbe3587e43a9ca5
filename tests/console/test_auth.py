"""Accounts: login form, logout, lockout, CSRF, scoping by agency, the CLI, the demo admin."""

from __future__ import annotations

import os
import stat
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from console.passwords import LOCKED, WRONG
from tests.console.conftest import PASSWORD, csrf_token
from tsunagu import clock
from tsunagu.models import Conversation
from tsunagu.models.staff import AuditLog, Staff


def test_login_page_has_labelled_fields_and_button(client):
    html = client.get("/console/login").text
    assert '<label for="email">メールアドレス</label>' in html
    assert '<label for="password">パスワード</label>' in html
    assert ">ログイン</button>" in html


def test_console_pages_need_a_login(client):
    for path in ("/console/", "/console/inbox.json", "/console/conversations/1",
                 "/console/admin/audit"):
        response = client.get(path)
        assert response.status_code == 302 and "/console/login" in response.location


def test_login_then_logout(client, auth, admin):
    response = auth.login(admin.email)
    assert response.status_code == 302
    assert "受信箱" in client.get("/console/").text
    auth.logout()
    assert client.get("/console/").status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_message(client, auth, admin):
    wrong = auth.login(admin.email, "not-the-password")
    unknown = auth.login("nobody@city.example.jp", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert WRONG in wrong.text and WRONG in unknown.text
    assert client.get("/console/").status_code == 302


def test_five_failures_lock_the_address_for_fifteen_minutes(client, auth, admin):
    start = clock.now()
    clock.set_now(start)
    for _ in range(4):
        assert WRONG in auth.login(admin.email, "guess-guess-guess").text
    assert LOCKED in auth.login(admin.email, "guess-guess-guess").text
    # Locked: even the right password does not get in, and says the same.
    assert LOCKED in auth.login(admin.email, PASSWORD).text
    # An address without an account locks the same way (nothing to tell them apart).
    for _ in range(5):
        last = auth.login("nobody@city.example.jp", "guess-guess-guess")
    assert LOCKED in last.text
    clock.set_now(start + timedelta(minutes=16))
    assert auth.login(admin.email, PASSWORD).status_code == 302


def test_disabled_account_cannot_log_in(client, auth, make_staff, factory):
    staff = make_staff("gone@city.example.jp", agency="rinku")
    with factory.begin() as session:
        session.get(Staff, staff.id).active = False
    assert WRONG in auth.login(staff.email).text


def test_post_without_csrf_token_is_rejected(settings, make_staff, make_conversation, factory):
    from tsunagu.web import create_app

    app = create_app(settings, test_config={"TESTING": True, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    staff = make_staff("c@city.example.jp", agency="rinku")
    cid = make_conversation()
    # Login without the token: refused, not logged in.
    response = client.post("/console/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/console/").status_code == 302
    page = client.get("/console/login")
    client.post("/console/login", data={"email": staff.email, "password": PASSWORD,
                                        "csrf_token": csrf_token(page.text)})
    assert client.get("/console/").status_code == 200
    response = client.post(f"/console/conversations/{cid}/takeover")
    assert response.status_code == 400 and "もう一度お試しください" in response.text
    with factory() as session:
        assert session.get(Conversation, cid).status == "bot"
    # The web chat API is not a form: it needs no token.
    assert client.post("/simulator/api/messages", json={"user": "u", "text": "x"}) \
        .status_code != 400


def test_consultant_sees_own_agency_and_unassigned_only(client, auth, make_staff,
                                                        make_conversation):
    make_staff("a@city.example.jp", agency="rinku")
    mine = make_conversation(agency="rinku")
    queue = make_conversation(agency=None)
    theirs = make_conversation(agency="kodomo-station")
    auth.login("a@city.example.jp")
    ids = client.get("/console/inbox.json").get_json()["ids"]
    assert set(ids) == {mine, queue}
    assert client.get(f"/console/conversations/{mine}").status_code == 200
    assert client.get(f"/console/conversations/{queue}").status_code == 200
    for path in (f"/console/conversations/{theirs}", f"/console/conversations/{theirs}/live.json",
                 f"/console/conversations/{theirs}/sheet"):
        assert client.get(path).status_code == 403
    for action in ("takeover", "reply", "notes", "handback", "close"):
        assert client.post(f"/console/conversations/{theirs}/{action}",
                           data={"text": "x"}).status_code == 403
    assert client.get("/console/conversations/999999").status_code == 404
    assert client.get("/console/admin/audit").status_code == 403


def test_admin_sees_everything(client, auth, admin, make_conversation):
    ids = {make_conversation(agency="rinku"), make_conversation(agency="kodomo-station"),
           make_conversation()}
    auth.login(admin.email)
    assert set(client.get("/console/inbox.json").get_json()["ids"]) == ids


def test_cli_creates_an_account_with_an_argon2_hash(settings, factory):
    from tsunagu.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["staff", "add", "Yamada@City.example.jp", "--role",
                                 "consultant", "--agency", "rinku", "--name", "山田"],
                           input="a-long-enough-password\n")
    assert result.exit_code == 0, result.output
    with factory() as session:
        staff = session.scalar(select(Staff).where(Staff.email == "yamada@city.example.jp"))
    assert staff.role == "consultant" and staff.agency_id == "rinku"
    assert staff.password_hash.startswith("$argon2id$")
    assert "a-long-enough-password" not in staff.password_hash

    again = runner.invoke(cli, ["staff", "add", "yamada@city.example.jp", "--role", "admin"],
                          input="a-long-enough-password\n")
    assert again.exit_code != 0 and "already" in again.output
    short = runner.invoke(cli, ["staff", "add", "b@city.example.jp", "--role", "admin"],
                          input="short\n")
    assert short.exit_code != 0 and "12文字以上" in short.output
    no_agency = runner.invoke(cli, ["staff", "add", "c@city.example.jp", "--role",
                                    "consultant"], input="a-long-enough-password\n")
    assert no_agency.exit_code != 0 and "--agency" in no_agency.output


def test_demo_admin_keeps_one_random_password_in_a_private_file(settings, factory, client,
                                                                auth, tmp_path):
    from console.demo import ensure_demo_admin

    email, password = ensure_demo_admin(factory)
    assert (email, password) == ensure_demo_admin(factory)
    path = settings.var_dir / "demo-admin.txt"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().strip() == password and len(password) >= 12
    assert auth.login(email, password).status_code == 302
    with factory() as session:
        assert session.scalar(select(AuditLog.action)) == "login"


def test_console_pages_are_not_cached(client):
    response = client.get("/console/login")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
