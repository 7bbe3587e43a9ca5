"""Shared pieces for real-browser tests: the app served as `tsunagu serve` does (werkzeug
server + worker loops) and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


@contextmanager
def live_server(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The web app and the worker loops on 127.0.0.1:<free port>; yields the base URL."""
    from tsunagu import db, workers
    from tsunagu.web import create_app

    http = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    stop = threading.Event()
    loops = workers.start(db.session_factory(settings.sqlalchemy_url), settings, stop)
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        stop.set()
        workers.wake()
        for loop in loops:
            loop.join(timeout=5)
        http.shutdown()


@contextmanager
def chromium_page(**options) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ja-JP", **options)
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()
