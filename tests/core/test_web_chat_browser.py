"""The web chat page in a real browser: a resident types, sees the bot's answer and its
buttons, and presses one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import chromium_page, live_server, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def server(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with live_server(settings) as url:
        yield url


def test_resident_chats_and_presses_a_quick_reply(server):
    with chromium_page(viewport={"width": 390, "height": 844}) as page:
        page.goto(f"{server}/simulator")
        page.fill("#text", "息子が10年ひきこもっていて心配です")
        page.press("#text", "Enter")
        page.wait_for_selector(".quick button")
        bubbles = page.locator(".them .bubble").all_inner_texts()
        assert any("匿名" in b for b in bubbles)            # the welcome
        assert any("ひきこもり" in b for b in bubbles)       # what was understood
        labels = page.locator(".quick button").all_inner_texts()
        if "その他・わからない" in labels:  # 能美市 asks for the district first
            page.click(".quick button >> text=その他・わからない")
            page.wait_for_selector(".them .bubble >> text=■")
            labels = page.locator(".quick button").all_inner_texts()
        assert "相談員と話したい" in labels and "相談会を予約" in labels
        page.click(".quick button >> text=相談員と話したい")
        page.wait_for_selector(".them .bubble >> text=相談員")
        assert page.locator(".me .bubble").all_inner_texts()[-1] == "相談員と話したい"
