"""One long-lived asyncio event loop per process, in a daemon thread, for python-telegram-bot.

PTB is async and its httpx client belongs to the loop it first ran on, so every call goes
through this one loop: `run(coro)` waits for the result (the sender), `submit(coro)` does
not (callback answers and chat actions queued by the webhook). Never asyncio.run per call.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_pid: int | None = None


def loop() -> asyncio.AbstractEventLoop:
    """The process's loop, started on first use (and again in a forked child)."""
    global _loop, _pid
    with _lock:
        if _loop is None or _pid != os.getpid() or not _loop.is_running():
            new = asyncio.new_event_loop()
            ready = threading.Event()

            def _run() -> None:
                asyncio.set_event_loop(new)
                new.call_soon(ready.set)
                new.run_forever()

            threading.Thread(target=_run, name="telegram-loop", daemon=True).start()
            ready.wait(5)
            _loop, _pid = new, os.getpid()
        return _loop


def run(coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
    """Run `coro` on the loop and wait for its result (from sync code, never from the loop)."""
    future = asyncio.run_coroutine_threadsafe(coro, loop())
    try:
        return future.result(timeout)
    except TimeoutError:
        future.cancel()
        raise


def submit(coro: Coroutine[Any, Any, Any]) -> Future[Any]:
    """Start `coro` on the loop and return at once; failures are logged by type only."""
    future = asyncio.run_coroutine_threadsafe(coro, loop())
    future.add_done_callback(_log_failure)
    return future


def _log_failure(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.info("Telegram background call failed: %s", type(future.exception()).__name__)
