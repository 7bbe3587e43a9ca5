"""Intake: a resident writes a concern; we say what we understood and where to go.
Asks for the district when the right window depends on it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import intents
import routing
from bots import texts
from bots.flows import command, postback, state
from bots.flows.booking import booking_hint
from tsunagu.outbox import QuickReply

if TYPE_CHECKING:
    from bots.engine import Turn



SMALL_TALK_MAX = 20  # a short message with no concern is a greeting or a test


def on_text(turn: Turn) -> None:
    analysis = turn.analysis()
    if analysis is None or (not analysis.categories and len(turn.text) <= SMALL_TALK_MAX):
        turn.say(texts.ASK_CONCERN)
        return
    answer_concern(turn, analysis)  # no category on a longer message: the general window


def answer_concern(turn: Turn, analysis: intents.Analysis) -> None:
    conversation = turn.conversation
    district = analysis.district or conversation.district
    if district and district != analysis.district:
        analysis = replace(analysis, district=district)
    result = routing.route(analysis, turn.directory, turn.now)
    _remember(turn, analysis, result)

    if result.crisis:
        _crisis_reply(turn, result)
        return
    if result.needs_district and not analysis.district:
        turn.set_state("ask_district", analysis=analysis.to_json())
        buttons = district_buttons(turn.directory)
        more = ("\nボタンにない地区は、文字で書いてください。"
                if len(buttons) <= len(turn.directory.districts) else "")
        turn.say(_understood(analysis) + "\nお住まいの地区を教えていただけますか。"
                 "\n地区によって担当の窓口が変わります。" + more, buttons)
        return
    turn.reset()
    turn.say(_understood(analysis) + "\n\n" + _referrals(result) + booking_hint(turn),
             texts.main_menu(turn))


MAX_QUICK_REPLIES = 13  # LINE's limit


def district_buttons(directory: routing.Directory) -> list[QuickReply]:
    """The districts as buttons; 「その他・わからない」 always stays, even in a city with more
    districts than LINE can show (the rest can be typed)."""
    *districts, unknown = [QuickReply(name[:20], f"dist:{district_id}")
                           for district_id, name in directory.district_choices()]
    return districts[:MAX_QUICK_REPLIES - 1] + [unknown]


def observe(turn: Turn) -> None:
    """Read a message without answering it (a consultant holds the conversation)."""
    analysis = turn.analysis()
    if analysis is not None and (analysis.categories or analysis.crisis):
        _remember(turn, analysis, routing.route(analysis, turn.directory, turn.now))


def _remember(turn: Turn, analysis: intents.Analysis, result: routing.Routing) -> None:
    conversation = turn.conversation
    for key in analysis.categories:
        if key not in conversation.categories:
            conversation.categories = [*conversation.categories, key]
    conversation.crisis = conversation.crisis or analysis.crisis
    if analysis.categories or conversation.speaker is None:
        conversation.speaker = analysis.speaker
    conversation.district = analysis.district or conversation.district
    conversation.analysis = analysis.to_json()
    conversation.routing = result.to_json()
    if result.urgent_handoff:
        conversation.wants_human = True
        conversation.wants_human_at = conversation.wants_human_at or turn.now


def _understood(analysis: intents.Analysis) -> str:
    if not analysis.categories:
        return "お話ししてくださって、ありがとうございます。"
    topics = "・".join(f"「{c}」" for c in analysis.categories[:3])
    return f"お話ししてくださって、ありがとうございます。\n{topics}のご相談として受け止めました。"


def _referrals(result: routing.Routing, limit: int = 3) -> str:
    lines = ["こちらの窓口がお力になれます。"]
    for ref in result.agencies[:limit]:
        lines.append(f"\n■ {ref.name}")
        if ref.reason:
            lines.append(ref.reason)
        if ref.phone:
            lines.append(f"電話 {ref.phone}")
        if ref.next_step:  # open now, when it opens next, or how to confirm the hours
            lines.append(ref.next_step)
    if result.multi_agency:
        lines.append("\nいくつかの窓口が一緒に考える仕組みもあります。相談員がつなぎます。")
    if any(r.open_now is False for r in result.agencies[:limit]) and result.emergency_contacts:
        lines.append("\n窓口が閉まっている間の電話相談：\n"
                     + texts.format_lines(result.emergency_contacts, limit=3))
    return "\n".join(lines)


def _crisis_reply(turn: Turn, result: routing.Routing) -> None:
    turn.reset()
    turn.say(
        "知らせてくださって、ありがとうございます。\n"
        "あなたの安全がいちばん大切です。\n"
        "命の危険があるときは、いますぐ電話してください。\n"
        + texts.format_lines(result.emergency_contacts, limit=8)
    )
    turn.say("相談員にもすぐにお知らせしました。\nこのまま、ここに書いていただいて大丈夫です。",
             [texts.STAFF, texts.CONTACTS])


@state("ask_district")
def on_district_text(turn: Turn) -> None:
    """The resident typed instead of pressing a district button."""
    analysis = turn.analysis()
    pending = intents.Analysis.from_json(turn.state_data.get("analysis", {}))
    if analysis is not None and analysis.district:
        answer_concern(turn, replace(pending, district=analysis.district))
    elif analysis is not None and analysis.categories:
        answer_concern(turn, analysis)  # a new concern: start from it
    else:
        _finish_without_district(turn, pending)


@postback("dist")
def on_district_button(turn: Turn) -> None:
    if turn.conversation.state != "ask_district":
        turn.say(texts.STALE_BUTTON, texts.main_menu(turn))
        return
    district = turn.postback.split(":", 1)[1]
    pending = intents.Analysis.from_json(turn.state_data.get("analysis", {}))
    known = {d.id for d in turn.directory.districts}
    if district in known:
        answer_concern(turn, replace(pending, district=district))
    else:
        _finish_without_district(turn, pending)


def _finish_without_district(turn: Turn, pending: intents.Analysis) -> None:
    unknown = replace(pending, district=routing.UNKNOWN_DISTRICT)
    result = routing.route(unknown, turn.directory, turn.now)
    _remember(turn, pending, result)
    turn.reset()
    turn.say("わかりました。まずは、どの地区の方でも相談できる窓口をご案内します。\n\n"
             + _referrals(result) + booking_hint(turn), texts.main_menu(turn))


@command("最初から", "はじめから", postback="cmd:restart")
def restart(turn: Turn) -> None:
    turn.reset()
    turn.say(texts.RESTARTED)


@command("ほかの相談", postback="cmd:other")
def other(turn: Turn) -> None:
    turn.reset()
    turn.say(texts.OTHER_CONCERN)


@command("窓口の連絡先", "連絡先", postback="cmd:contacts")
def contacts(turn: Turn) -> None:
    saved = turn.conversation.analysis
    analysis = (intents.Analysis.from_json(saved) if saved
                else intents.Analysis(categories=[], crisis=False, speaker="本人"))
    result = routing.route(analysis, turn.directory, turn.now)
    turn.say(_referrals(result, limit=5), texts.main_menu(turn))
