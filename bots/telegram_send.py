"""Sending to Telegram with python-telegram-bot, from the (sync) sender thread.

Every call runs on the process's one event loop (bots/telegram_loop.py). Outgoing messages
are paced: at most one per second to a chat and about 30 per second overall (Telegram's
limits); a 429 (RetryAfter) puts the row back for the time Telegram asks.
Callback answers and the "typing…" action are queued by the webhook after it stored the
update and run on the loop; they are cosmetic, so they are not retried.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bots import telegram_loop
from bots.line_send import split_text
from tsunagu.pipeline import Delivery, SendResult

log = logging.getLogger(__name__)
# PTB logs call parameters (chat ids) at DEBUG, httpx logs URLs with the bot token at INFO.
logging.getLogger("telegram").setLevel(logging.INFO)
logging.getLogger("httpx").setLevel(logging.WARNING)

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64  # bytes
CALL_TIMEOUT = 40.0     # the whole call, on top of the HTTP timeouts below


class RateLimiter:
    """At most one message per `per_chat` seconds to a chat and `per_second` overall.
    `wait(chat)` reserves the next free slot and sleeps until it (in the caller's thread)."""

    def __init__(self, per_chat: float = 1.0, per_second: int = 30,
                 clock=time.monotonic, sleep=time.sleep) -> None:  # type: ignore[no-untyped-def]
        self.per_chat, self.per_second = per_chat, per_second
        self._clock, self._sleep = clock, sleep
        self._last: collections.OrderedDict[str, float] = collections.OrderedDict()
        self._recent: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def wait(self, chat: str) -> float:
        with self._lock:
            now = self._clock()
            slot = now
            if chat in self._last:
                slot = max(slot, self._last[chat] + self.per_chat)
            while self._recent and self._recent[0] <= slot - 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.per_second:
                slot = max(slot, self._recent[-self.per_second] + 1.0)
            self._recent.append(slot)
            self._last[chat] = slot
            self._last.move_to_end(chat)
            while len(self._last) > 10000:
                self._last.popitem(last=False)
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay


def make_bot(settings: Any) -> Bot:
    request = HTTPXRequest(connection_pool_size=8, connect_timeout=5.0, read_timeout=15.0,
                           write_timeout=15.0, pool_timeout=5.0)
    base = settings.telegram_api_base_url.rstrip("/")
    return Bot(settings.telegram_bot_token, base_url=f"{base}/bot",
               base_file_url=f"{base}/file/bot", request=request, get_updates_request=request)


_bots: dict[tuple[str, str], Bot] = {}
_bots_lock = threading.Lock()


def bot_for(settings: Any) -> Bot:
    """The process's Bot for this token: the sender and the webhook's queued calls share
    one HTTP connection pool (all on the one event loop)."""
    key = (settings.telegram_api_base_url, settings.telegram_bot_token)
    with _bots_lock:
        if key not in _bots:
            _bots[key] = make_bot(settings)
        return _bots[key]


def keyboard(items: list[dict[str, str]]) -> InlineKeyboardMarkup | None:
    """Buttons under the message, one per row; callback_data is the short id (≤ 64 bytes)."""
    rows = []
    for item in items:
        if len(item["postback"].encode("utf-8")) > MAX_CALLBACK_DATA:
            log.warning("button dropped: callback data over %d bytes", MAX_CALLBACK_DATA)
            continue
        rows.append([InlineKeyboardButton(item["label"], callback_data=item["postback"])])
    return InlineKeyboardMarkup(rows) if rows else None


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    name = "telegram"
    max_batch = 1

    def __init__(self, settings: Any, limiter: RateLimiter | None = None) -> None:
        self.bot = bot_for(settings) if settings.telegram_bot_token else None
        self.limiter = limiter or RateLimiter()

    def send(self, deliveries: list[Delivery]) -> SendResult:
        if self.bot is None:
            return SendResult("failed", "TELEGRAM_BOT_TOKEN is not set")
        for delivery in deliveries:
            result = self._send_one(delivery)
            if result.status != "sent":
                return result
        return SendResult("sent")

    def _send_one(self, d: Delivery) -> SendResult:
        parts = split_text(d.text, MAX_TEXT)
        for i, part in enumerate(parts):
            markup = keyboard(d.quick_replies) if i == len(parts) - 1 else None
            self.limiter.wait(d.recipient)
            try:
                telegram_loop.run(self.bot.send_message(  # type: ignore[union-attr]
                    chat_id=d.recipient, text=part, reply_markup=markup), CALL_TIMEOUT)
            except RetryAfter as exc:
                wait = _seconds(exc)
                return SendResult("retry", f"Telegram 429: retry after {wait:g} s",
                                  retry_after=wait)
            except Forbidden as exc:  # the resident blocked the bot or deleted the chat
                return SendResult("failed", f"Telegram 403: {exc.message}"[:300])
            except InvalidToken:
                return SendResult("failed", "Telegram: the bot token was rejected")
            except BadRequest as exc:
                return SendResult("failed", f"Telegram 400: {exc.message}"[:300])
            except (TimedOut, TimeoutError):
                return SendResult("retry", "Telegram: timed out")
            except NetworkError as exc:  # connection errors and 5xx
                return SendResult("retry", f"Telegram: {exc.message}"[:300])
            except TelegramError as exc:
                return SendResult("retry", f"Telegram: {type(exc).__name__}: {exc.message}"[:300])
        return SendResult("sent")


# -- calls queued by the webhook (after the update is stored) ---------------------------

def answer_callback_soon(settings: Any, callback_query_id: str) -> None:
    """Stop the button's spinner. Runs on the loop thread; the webhook does not wait."""
    telegram_loop.submit(bot_for(settings).answer_callback_query(callback_query_id))


def typing_soon(settings: Any, chat_id: str) -> None:
    """Show "typing…" (up to 5 s, or until our message arrives) while the engine works."""
    telegram_loop.submit(bot_for(settings).send_chat_action(chat_id, ChatAction.TYPING))
