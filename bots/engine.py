"""The conversation engine: one inbound event in, replies into the outbox. The same for
every channel. Called by the worker inside the event's transaction (tsunagu/pipeline.py).

handle_event reads top to bottom:
  resident and conversation → transcript → welcome on first contact → silent while staff
  hold the conversation → dispatch (command, crisis, button, state, concern) → outbox.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

import intents
import routing
from bots import flows, texts
from bots.flows import intake
from tsunagu import clock, pipeline
from tsunagu.config import Settings, get_settings
from tsunagu.jtext import normalize_command
from tsunagu.models import Conversation, InboundEvent, Message, Resident
from tsunagu.outbox import QuickReply, Reply, do_enqueue

MEDIA_LABELS = {"sticker": "スタンプ", "image": "画像", "video": "動画", "audio": "音声",
                "location": "位置情報", "file": "ファイル"}


@functools.cache
def _load_flows() -> None:
    for name in flows.MODULES:
        importlib.import_module(name)


def directory_for(municipality: str) -> routing.Directory:
    """The municipality's directory (routing caches it and reloads it when the file changes)."""
    return routing.load_directory(municipality)


def warm_up(settings: Settings | None = None) -> None:
    """Load flows, the directory and the classifier's dictionary before the first message."""
    settings = settings or get_settings()
    _load_flows()
    directory_for(settings.municipality)
    intents.warm_up()


@dataclass
class Turn:
    """Everything a flow needs to answer one event."""

    session: Session
    event: InboundEvent
    resident: Resident
    conversation: Conversation
    directory: routing.Directory
    now: datetime
    replies: list[Reply] = field(default_factory=list)
    _analysis: intents.Analysis | None = None

    @property
    def text(self) -> str:
        return self.event.text or ""

    @property
    def postback(self) -> str:
        return self.event.postback or ""

    @property
    def state_data(self) -> dict[str, Any]:
        return self.conversation.state_data or {}

    def analysis(self) -> intents.Analysis | None:
        """The classifier's reading of this message's text (computed once)."""
        if self._analysis is None and self.text.strip():
            self._analysis = intents.classify(self.text, self.directory.district_spellings())
        return self._analysis

    def say(self, text: str, quick_replies: Sequence[QuickReply] = ()) -> None:
        self.replies.append(Reply(text, tuple(quick_replies)))

    def set_state(self, name: str, **data: Any) -> None:
        self.conversation.state = name
        self.conversation.state_data = data

    def reset(self) -> None:
        self.set_state("idle")


def current_conversation(session: Session, resident: Resident) -> Conversation:
    conversation = Conversation.open_for(session, resident.id)
    if conversation is None:
        conversation = Conversation(resident_id=resident.id, channel=resident.channel,
                                    status="bot", state="idle", state_data={}, categories=[])
        session.add(conversation)
        session.flush()
    return conversation


ANSWERED_KINDS = ("text", "postback", "media")


def will_answer(session: Session, event: InboundEvent) -> bool:
    """Will the bot reply to this event? (Channels show "typing…" only then.) Not while a
    consultant holds the conversation: the bot is silent then."""
    if event.kind not in ANSWERED_KINDS or event.resident_id is None:
        return False
    conversation = Conversation.open_for(session, event.resident_id)
    return conversation is None or conversation.status != "staff"


def _record_inbound(turn: Turn) -> None:
    event = turn.event
    if event.kind == "text":
        kind, body = "text", event.text or ""
    elif event.kind == "postback":
        kind, body = "postback", (event.payload or {}).get("label") or event.postback or ""
    elif event.kind == "media":
        media = (event.payload or {}).get("type", "")
        kind, body = "media", f"（{MEDIA_LABELS.get(media, 'メッセージ')}が送られました）"
    else:
        return
    turn.session.add(Message(conversation_id=turn.conversation.id, direction="in",
                             sender="resident", kind=kind, text=body))
    turn.conversation.last_resident_at = turn.now


def handle_event(session: Session, event: InboundEvent) -> None:
    """The worker's handler: runs in the event's transaction."""
    _load_flows()
    if event.resident_id is None or event.kind == "other":
        return  # stored for the record; nothing to answer
    resident = session.get(Resident, event.resident_id)
    if resident is None or resident.deleted_at is not None:
        return
    now = clock.now()
    resident.last_seen_at = now
    if event.kind == "unfollow":
        resident.active = False
        pipeline.cancel_pending(session, resident.id)
        return
    resident.active = True
    conversation = current_conversation(session, resident)
    settings = get_settings()
    turn = Turn(session, event, resident, conversation,
                directory_for(settings.municipality), now)
    _record_inbound(turn)

    if conversation.status == "staff":
        # A consultant holds this conversation: the bot stays silent, but still reads the
        # message so a new crisis or concern shows in the console.
        intake.observe(turn)
        return
    if resident.welcomed_at is None or event.kind == "follow":
        texts.welcome(turn)
        resident.welcomed_at = now
    if event.kind == "media":
        turn.say(texts.MEDIA_REPLY, texts.main_menu(turn))
    elif event.kind in ("text", "postback"):
        dispatch(turn)
    for reply in turn.replies:
        do_enqueue(session, resident, conversation, reply, inbound_event_id=event.id,
                   reply_token=event.reply_token)


def dispatch(turn: Turn) -> None:
    """Decide which flow answers: command, crisis, button, state, else a new concern."""
    key = turn.postback if turn.event.kind == "postback" else normalize_command(turn.text)
    handler = flows.COMMANDS.get(key)
    if handler:
        handler(turn)
        return
    if turn.event.kind == "text":
        analysis = turn.analysis()
        if analysis is not None and analysis.crisis:
            intake.answer_concern(turn, analysis)  # answers the crisis and resets the flow
            return
    if turn.event.kind == "postback":
        prefix = turn.postback.split(":", 1)[0]
        if prefix in flows.POSTBACKS:
            flows.POSTBACKS[prefix](turn)  # each checks the button still fits the state
        else:
            turn.say(texts.STALE_BUTTON, texts.main_menu(turn))
        return
    state_handler = flows.STATES.get(turn.conversation.state)
    if state_handler:
        state_handler(turn)  # typed text while a flow waits for an answer
        return
    intake.on_text(turn)
