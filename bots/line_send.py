"""Sending to LINE through the SDK's MessagingApi (linebot.v3).

Reply or push: a reply is free but its token works once and only shortly after receipt,
so a batch goes out as a reply when it is the first attempt, fits in one call, and the
event arrived less than REPLY_WINDOW ago; everything else is a push with X-Line-Retry-Key
(the outbox row's retry_key, fixed before the first attempt), so a retried push that did
reach LINE answers 409 instead of arriving twice. A rejected reply token falls back to a
push at once.

Loading animation: the webhook queues `show_loading_soon` after storing a message; a
small background thread calls POST /v2/bot/chat/loading/start (5 s, or until our answer
arrives). Never on the request thread, never inside a database transaction.
"""

from __future__ import annotations

import collections
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException

from tsunagu import clock
from tsunagu.pipeline import Delivery, SendResult

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 10.0)          # (connect, read) seconds for every LINE API call
LOADING_TIMEOUT = (2.0, 3.0)
REPLY_WINDOW = timedelta(seconds=20)
MAX_MESSAGES = 5                # per reply/push call
MAX_TEXT = 5000                 # LINE's limit per text message
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
LOADING_SECONDS = 5             # 5..60, in steps of 5; ends early when our message arrives


def split_text(text: str, limit: int) -> list[str]:
    """Split a long text into parts of at most `limit` UTF-16 units, at a line break when
    one is near (platforms count UTF-16 units; an emoji is two)."""
    if _units(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while _units(rest) > limit:
        cut, units = 0, 0
        for i, ch in enumerate(rest):  # longest prefix that fits
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > limit:
                break
            cut = i + 1
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:
            cut = newline + 1
        parts.append(rest[:cut].rstrip("\n") or rest[:cut])
        rest = rest[cut:]
    if rest:
        parts.append(rest)
    return parts


def _units(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def short_label(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def quick_reply(items: list[dict[str, str]]) -> QuickReply | None:
    """Buttons as LINE quick-reply postback actions. The data carries the button label after
    the short id, so the transcript can show what the resident pressed (bots/line.py)."""
    from bots.line import postback_data

    actions = []
    for item in items[:MAX_QUICK_REPLIES]:
        label = short_label(item["label"])
        actions.append(QuickReplyItem(action=PostbackAction(
            label=label, data=postback_data(item["postback"], label), displayText=label)))
    return QuickReply(items=actions) if actions else None


def to_messages(deliveries: list[Delivery]) -> list[TextMessage]:
    messages = []
    for d in deliveries:
        parts = split_text(d.text, MAX_TEXT)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            messages.append(TextMessage(text=part,
                                        quickReply=quick_reply(d.quick_replies) if last else None))
    return messages


def _error_text(exc: ApiException) -> str:
    body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else str(exc.body)
    return f"LINE API {exc.status}: {body[:300]}"


def _retry_after(exc: ApiException) -> float | None:
    value = (exc.headers or {}).get("Retry-After")
    try:
        return max(1.0, float(value)) if value is not None else None
    except ValueError:
        return None


class LineChannel:
    name = "line"
    max_batch = MAX_MESSAGES

    def __init__(self, settings: Any) -> None:
        self._token = settings.line_channel_access_token
        config = Configuration(host=settings.line_api_base_url.rstrip("/"),
                               access_token=self._token)
        config.retries = 0  # the outbox retries, with backoff and the retry key
        self._client = ApiClient(config)
        self.api = MessagingApi(self._client)
        self._used_tokens: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._lock = threading.Lock()

    # -- sending --------------------------------------------------------------------

    def send(self, deliveries: list[Delivery]) -> SendResult:
        if not self._token:
            return SendResult("failed", "LINE_CHANNEL_ACCESS_TOKEN is not set")
        messages = to_messages(deliveries)
        first = deliveries[0]
        if self._may_reply(first, len(messages)):
            result = self._reply(first.reply_token, messages)  # type: ignore[arg-type]
            if result is not None:
                return result
        return self._push(first.recipient, messages, first.retry_key)

    def _may_reply(self, first: Delivery, count: int) -> bool:
        if not first.reply_token or first.attempts != 1 or count > MAX_MESSAGES:
            return False
        if first.received_at is None or clock.now() - first.received_at > REPLY_WINDOW:
            return False
        with self._lock:  # a reply token works once: a second batch of the event pushes
            return first.reply_token not in self._used_tokens

    def _mark_used(self, token: str) -> None:
        with self._lock:
            self._used_tokens[token] = None
            while len(self._used_tokens) > 1000:
                self._used_tokens.popitem(last=False)

    def _reply(self, token: str, messages: list[TextMessage]) -> SendResult | None:
        """Returns None when the token was refused (use a push instead)."""
        self._mark_used(token)
        try:
            self.api.reply_message(ReplyMessageRequest(replyToken=token, messages=messages),
                                   _request_timeout=TIMEOUT)
            return SendResult("sent")
        except ApiException as exc:
            if exc.status == 400:  # expired or already used token (or bad message: push says)
                log.info("LINE reply refused (%s); pushing instead", exc.status)
                return None
            return self._classify(exc)
        except urllib3.exceptions.HTTPError as exc:
            return SendResult("retry", f"LINE reply: {type(exc).__name__}")

    def _push(self, to: str, messages: list[TextMessage], retry_key: str) -> SendResult:
        # One call per 5 messages; each call has its own stable key derived from the row's,
        # so a retry repeats exactly the same calls and LINE drops those already done.
        chunks = [messages[i:i + MAX_MESSAGES] for i in range(0, len(messages), MAX_MESSAGES)]
        for i, chunk in enumerate(chunks):
            key = retry_key if i == 0 else str(uuid.uuid5(uuid.UUID(retry_key), str(i)))
            try:
                self.api.push_message(PushMessageRequest(to=to, messages=chunk),
                                      x_line_retry_key=key, _request_timeout=TIMEOUT)
            except ApiException as exc:
                if exc.status == 409:  # this retry key was already accepted: delivered
                    continue
                return self._classify(exc)
            except urllib3.exceptions.HTTPError as exc:
                return SendResult("retry", f"LINE push: {type(exc).__name__}")
        return SendResult("sent")

    @staticmethod
    def _classify(exc: ApiException) -> SendResult:
        status = exc.status or 0
        if status == 429:
            return SendResult("retry", _error_text(exc), retry_after=_retry_after(exc))
        if status >= 500:
            return SendResult("retry", _error_text(exc))
        return SendResult("failed", _error_text(exc))

    # -- loading animation ----------------------------------------------------------

    def show_loading(self, chat_id: str) -> None:
        try:
            self.api.show_loading_animation(
                ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=LOADING_SECONDS),
                _request_timeout=LOADING_TIMEOUT)
        except (ApiException, urllib3.exceptions.HTTPError) as exc:  # cosmetic: never retried
            log.info("LINE loading animation not shown: %s", type(exc).__name__)


# One small pool per process for the loading animation; at most _MAX_QUEUED waiting calls
# (under a flood the animation is simply skipped).
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_queued = 0
_MAX_QUEUED = 50
_channels: dict[tuple[str, str], LineChannel] = {}


def show_loading_soon(settings: Any, chat_id: str) -> None:
    global _pool, _queued
    if not settings.line_channel_access_token:
        return
    with _pool_lock:
        if _queued >= _MAX_QUEUED:
            return
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="line-loading")
        key = (settings.line_api_base_url, settings.line_channel_access_token)
        channel = _channels.get(key)
        if channel is None:
            channel = _channels[key] = LineChannel(settings)
        _queued += 1
    _pool.submit(_run_loading, channel, chat_id)


def _run_loading(channel: LineChannel, chat_id: str) -> None:
    global _queued
    try:
        channel.show_loading(chat_id)
    finally:
        with _pool_lock:
            _queued -= 1
