"""What the bot says to residents. Warm, plain, short: です・ます, lines that fit a phone.
Staff-facing wording lives in console/."""

from __future__ import annotations

from typing import TYPE_CHECKING

import intents
import routing
from tsunagu.jtext import jdatetime
from tsunagu.outbox import QuickReply

if TYPE_CHECKING:
    from bots.engine import Turn

RETENTION_TEXT = "最後のやりとりから1年"

STAFF = QuickReply("相談員と話したい", "cmd:staff")
BOOK = QuickReply("相談会を予約", "cmd:book")
CONTACTS = QuickReply("窓口の連絡先", "cmd:contacts")
OTHER = QuickReply("ほかの相談", "cmd:other")
RESTART = QuickReply("最初から", "cmd:restart")

MEDIA_REPLY = (
    "送ってくださり、ありがとうございます。\n"
    "ごめんなさい、このチャットは文字だけ読めます。\n"
    "お困りのことを文字で書いていただけますか。"
)
STALE_BUTTON = (
    "このボタンは、いまは使えなくなっています。\n"
    "お手数ですが、下のボタンか文字でもう一度お知らせください。"
)
ASK_CONCERN = (
    "どんなことでも大丈夫です。\n"
    "お困りのことを、思いつくままに書いてください。\n"
    "ご家族やご近所の方のことでも大丈夫です。"
)
RESTARTED = "はい、最初からお聞きします。\n" + ASK_CONCERN
OTHER_CONCERN = "ほかにもお困りのことがあれば、そのまま書いてください。"


def main_menu(turn: Turn) -> list[QuickReply]:
    buttons = [STAFF]
    if "ひきこもり" in (turn.conversation.categories or []):
        buttons.append(BOOK)
    buttons += [CONTACTS, OTHER]
    return buttons


def crisis_lines(turn: Turn) -> list[routing.EmergencyContact]:
    """The national emergency and 24-hour lines from the municipality directory."""
    probe = intents.Analysis(categories=[], crisis=True, speaker="本人")
    return routing.route(probe, turn.directory, turn.now).emergency_contacts


# The listening lines named in the welcome (ids in dictionaries/municipalities/_national.yaml).
WELCOME_LINE_IDS = ("yorisoi", "inochi-navi", "inochi-free")


def welcome_lines(turn: Turn) -> list[routing.EmergencyContact]:
    national = {c.id: c for c in turn.directory.national}
    chosen = [national[i] for i in WELCOME_LINE_IDS if i in national]
    return chosen or [c for c in crisis_lines(turn) if c.phone not in ("110", "119")]


def format_lines(contacts: list[routing.EmergencyContact], limit: int = 6) -> str:
    return "\n".join(f"・{c.name} {c.phone}（{c.hours}）" for c in contacts[:limit])


def welcome(turn: Turn) -> None:
    name = turn.directory.name
    turn.say(
        f"こんにちは。{name}の「つなぐ相談チャット」です。\n"
        "暮らし、お金、家族、介護、子育てなど、どんなご相談もお聞きします。\n"
        "\n"
        "・お名前は要りません。匿名で相談できます。\n"
        "・やりとりは市の相談記録として大切に保管し、"
        f"{RETENTION_TEXT}で消去します。\n"
        "・「データを削除」と送ると、いつでも記録を消せます。"
    )
    turn.say(
        "このチャットは緊急の通報には使えません。\n"
        "命の危険があるときは、すぐに110（警察）か119（救急）へ電話してください。\n"
        "つらい気持ちのときの電話相談：\n" + format_lines(welcome_lines(turn), limit=3)
    )
    if turn.event.kind == "follow":
        turn.say(ASK_CONCERN)


def when(moment) -> str:  # type: ignore[no-untyped-def]
    return jdatetime(moment) if moment else "受付時間"
