"""「データを削除」: after confirmation, the resident's messages and identifiers go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bots import texts
from bots.flows import command, postback, state
from tsunagu.outbox import QuickReply, Reply, do_enqueue
from tsunagu.privacy import do_delete_resident_data

if TYPE_CHECKING:
    from bots.engine import Turn

YES = QuickReply("削除する", "del:yes")
NO = QuickReply("やめる", "del:no")


@command("データを削除", "データ削除", "記録を削除", postback="cmd:delete")
def ask_delete(turn: Turn) -> None:
    turn.set_state("confirm_delete")
    turn.say(
        "これまでのやりとりの記録と、あなたを見分けるための情報を削除します。\n"
        "削除すると元に戻せません。予約もキャンセルになります。\n"
        "削除してよろしいですか。",
        [YES, NO],
    )


@postback("del")
def on_answer(turn: Turn) -> None:
    if turn.conversation.state != "confirm_delete":
        turn.say(texts.STALE_BUTTON, texts.main_menu(turn))
        return
    if turn.postback == "del:yes":
        _delete(turn)
    else:
        turn.reset()
        turn.say("削除はしていません。ご相談はこのまま続けられます。", texts.main_menu(turn))


@state("confirm_delete")
def on_text(turn: Turn) -> None:
    turn.say("削除してよろしいですか。下のボタンで教えてください。", [YES, NO])


def _delete(turn: Turn) -> None:
    # The goodbye is queued first: its row keeps the recipient until it is sent.
    goodbye = do_enqueue(
        turn.session, turn.resident, None,
        Reply("記録を削除しました。ご利用ありがとうございました。\n"
              "また話したくなったら、いつでもメッセージを送ってください。"),
        inbound_event_id=turn.event.id, reply_token=turn.event.reply_token,
    )
    turn.replies.clear()
    do_delete_resident_data(turn.session, turn.resident, keep_outbound_id=goodbye.id)
