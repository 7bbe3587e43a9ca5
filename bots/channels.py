"""Channel registry for the sending side. A channel delivers a batch of outbox rows and
says whether it was sent, should be retried, or failed. A new channel is a new module in
bots/ plus one line in `_CHANNELS`."""

from __future__ import annotations

import importlib
from typing import Protocol

from tsunagu.pipeline import Delivery, SendResult


class Channel(Protocol):
    name: str
    max_batch: int  # how many outbox rows one send may carry (LINE: 5 per call)

    def send(self, deliveries: list[Delivery]) -> SendResult: ...


class WebChat:
    """The local web chat reads its messages from the database: nothing to push."""

    name = "web"
    max_batch = 5

    def send(self, deliveries: list[Delivery]) -> SendResult:
        return SendResult("sent")


# channel name -> "module:factory"; the factory takes the settings and returns a Channel.
_CHANNELS = {
    "web": "bots.channels:_web",
    "line": "bots.line:make_channel",
    "telegram": "bots.telegram:make_channel",
}


def _web(settings: object) -> Channel:
    return WebChat()


class Channels:
    """Builds each channel once, on first use."""

    def __init__(self, settings: object) -> None:
        self._settings = settings
        self._built: dict[str, Channel] = {}

    def get(self, name: str) -> Channel:
        if name not in self._built:
            module, factory = _CHANNELS[name].split(":")
            self._built[name] = getattr(importlib.import_module(module), factory)(self._settings)
        return self._built[name]

    def send(self, name: str, deliveries: list[Delivery]) -> SendResult:
        return self.get(name).send(deliveries)

    def max_batch(self, name: str) -> int:
        return self.get(name).max_batch
