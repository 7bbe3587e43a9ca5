"""「相談員と話したい」: the conversation joins the staff inbox. Outside staff hours the
resident is told when staff are back and given the 24-hour lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import routing
from bots import texts
from bots.flows import command

if TYPE_CHECKING:
    from bots.engine import Turn


@command("相談員と話したい", "相談員", "人と話したい", "担当者と話したい", postback="cmd:staff")
def ask_for_staff(turn: Turn) -> None:
    conversation = turn.conversation
    conversation.wants_human = True
    conversation.wants_human_at = conversation.wants_human_at or turn.now
    turn.reset()
    window = routing.handoff_window(turn.directory, turn.now)
    if window.open_now:
        turn.say("相談員におつなぎします。少しお待ちください。\n"
                 "待っている間も、ここに書いていただいて大丈夫です。")
        return
    back = (f"{texts.when(window.next_open)}から" if window.next_open
            else "次の受付時間に")
    turn.say(
        "ただいま相談員の受付時間外です。\n"
        f"{back}、順番にお返事します。このままお待ちください。\n\n"
        "急いで誰かと話したいときの電話相談：\n"
        + texts.format_lines(texts.crisis_lines(turn), limit=5)
    )
