"""Conversation flows. Each flow module registers what it answers:

- `command(words..., postback=...)`: typed words that always work, and their button.
- `state(name)`: the handler for a resident who is mid-way through that flow.
- `postback(prefix)`: buttons whose data starts with `prefix:`.

The engine (bots/engine.py) asks, in order: a command? a crisis? a button (by prefix)?
the current state's handler (typed text mid-flow)? — else intake reads it as a concern.
See docs/conversation-flow.md for the diagram.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bots.engine import Turn

TurnHandler = Callable[["Turn"], None]

COMMANDS: dict[str, TurnHandler] = {}      # normalized typed word or "cmd:xxx" -> handler
STATES: dict[str, TurnHandler] = {}        # conversation.state -> handler
POSTBACKS: dict[str, TurnHandler] = {}     # "prefix" of "prefix:rest" -> handler

# Flow modules, imported by the engine at start. A new flow adds a line.
MODULES = [
    "bots.flows.intake",
    "bots.flows.handoff",
    "bots.flows.privacy",
    "bots.flows.booking",
]


def command(*words: str, postback: str) -> Callable[[TurnHandler], TurnHandler]:
    def register(fn: TurnHandler) -> TurnHandler:
        from tsunagu.jtext import normalize_command

        for word in words:
            COMMANDS[normalize_command(word)] = fn
        COMMANDS[postback] = fn
        return fn
    return register


def state(name: str) -> Callable[[TurnHandler], TurnHandler]:
    def register(fn: TurnHandler) -> TurnHandler:
        STATES[name] = fn
        return fn
    return register


def postback(prefix: str) -> Callable[[TurnHandler], TurnHandler]:
    def register(fn: TurnHandler) -> TurnHandler:
        POSTBACKS[prefix] = fn
        return fn
    return register
