"""End to end in a real browser: a LINE message arrives through the signed webhook, a
consultant sees it appear in the inbox without a reload, takes over and replies; the fake
LINE server receives the push; the bot stays silent while staff hold the conversation.

The app runs under werkzeug's server on 127.0.0.1 with the worker loops, as `tsunagu serve`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.browser import chromium_page, live_server, needs_chromium
from tests.console.conftest import PASSWORD, wait_for
from tests.fakes.line_api import payload, signed, text_event, user_id

LINE_SECRET = "console-browser-line-secret-0123"

pytestmark = needs_chromium


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """One database is enough here: the storage paths run on both in the other tests."""
    return sqlite_url


@pytest.fixture
def server(fake_line, monkeypatch, request) -> Iterator[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LINE_CHANNEL_SECRET", LINE_SECRET)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", "console-browser-token")
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.url)
    with live_server(request.getfixturevalue("settings")) as url:
        yield url


@pytest.fixture
def browser_page() -> Iterator:  # type: ignore[type-arg]
    with chromium_page(viewport={"width": 1280, "height": 900}) as page:
        yield page


def _line_message(base: str, user: str, text: str) -> None:
    body, signature = signed(payload(text_event(user, text)), LINE_SECRET)
    response = httpx.post(f"{base}/webhooks/line", content=body, timeout=10,
                          headers={"Content-Type": "application/json",
                                   "X-Line-Signature": signature})
    assert response.status_code == 200


def test_consultant_takes_over_a_line_conversation_in_the_browser(
        server, browser_page, fake_line, make_staff, tmp_path):
    page = browser_page
    make_staff("sato@city.example.jp", agency="rinku", name="佐藤")

    page.goto(f"{server}/console/")
    page.get_by_label("メールアドレス").fill("sato@city.example.jp")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="受信箱").wait_for()
    page.evaluate("window.__noReload = true")

    resident = user_id()
    _line_message(server, resident, "もう死にたいです。仕事もなくて限界です")
    row = page.locator(".row.crisis").first
    row.wait_for()                                       # appeared by polling
    assert page.evaluate("window.__noReload") is True     # …without a reload
    assert "緊急" in row.inner_text()
    assert page.title().startswith("（緊急 1）")
    wait_for(lambda: fake_line.texts())                   # the bot answered the crisis
    bot_sends = len(fake_line.sends())

    row.locator("a").click()
    page.get_by_role("button", name="対応を開始").click()
    page.get_by_label("返信").fill("佐藤です。お話を聞かせてください。")
    page.get_by_role("button", name="送信").click()
    wait_for(lambda: "佐藤です。お話を聞かせてください。" in fake_line.texts())
    pushes = [r for r in fake_line.sends() if r.path.startswith("/v2/bot/message/push")]
    assert any(m["text"] == "佐藤です。お話を聞かせてください。"
               for r in pushes for m in r.data["messages"])
    assert all(r.data["to"] == resident for r in pushes)
    assert "相談員の佐藤です。\nここからは相談員がお返事します。" in fake_line.texts()
    page.locator(".msg.staff .delivery.sent").last.wait_for()
    assert resident not in page.content()

    # The resident writes again: it shows up for the consultant, the bot says nothing.
    _line_message(server, resident, "ありがとうございます。少し落ち着きました")
    page.get_by_text("ありがとうございます。少し落ち着きました").wait_for()
    time.sleep(1.5)  # give the sender every chance to (wrongly) send something
    staff_texts = {"相談員の佐藤です。\nここからは相談員がお返事します。",
                   "佐藤です。お話を聞かせてください。"}
    later = [t for r in fake_line.sends()[bot_sends:] for m in r.data["messages"]
             for t in [m["text"]]]
    assert set(later) == staff_texts
    page.screenshot(path=str(tmp_path / "conversation.png"), full_page=True)
