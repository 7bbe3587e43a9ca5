"""「予約の確認」「予約の変更」「予約のキャンセル」: work at any time, typed or pressed.

Cancelling always asks once more (a reminder's cancel button leads here too); an old
「キャンセルする」 button pressed later asks again rather than cancel unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bots import texts
from bots.flows import booking as F
from bots.flows import command, state
from tsunagu import booking as B
from tsunagu.models.booking import Booking
from tsunagu.outbox import QuickReply

if TYPE_CHECKING:
    from bots.engine import Turn

NONE_YET = "いま、ご予約はありません。"
KEEP = QuickReply("やめる", "bk:cn")


def _mine(turn: Turn) -> list[Booking]:
    return B.active_bookings(turn.session, turn.resident.id, turn.now)


def _own(turn: Turn, arg: str) -> Booking | None:
    """The resident's own booking from a button's id, or None (never someone else's)."""
    if not arg.isdigit():
        return None
    booking = turn.session.get(Booking, int(arg))
    if booking is None or booking.resident_id != turn.resident.id:
        return None
    return booking


def _label(booking: Booking) -> str:
    return f"{F._short_date(booking.starts_at)} {F._hhmm(booking.starts_at)}"[:20]


@command("予約の確認", "予約確認", "予約を確認", "予約を確認したい", postback="cmd:bkshow")
def show(turn: Turn) -> None:
    turn.reset()
    mine = _mine(turn)
    if not mine:
        turn.say(NONE_YET, [texts.BOOK, texts.OTHER])
        return
    body = "\n\n".join(F.details(turn, b) for b in mine)
    turn.say("いまのご予約です。\n\n" + body, [F.CHANGE, F.CANCEL, texts.OTHER])


@command("予約の変更", "予約変更", "予約を変更", "予約を変更したい", postback="cmd:bkchange")
def change(turn: Turn) -> None:
    _choose(turn, "変更", "ch", F.STOP, _start_change)


def _choose(turn: Turn, verb: str, action: str, last: QuickReply,
            then: Callable[[Turn, Booking], None]) -> None:
    """Which of my bookings? With one booking, go straight on with it."""
    turn.reset()
    mine = _mine(turn)
    if not mine:
        turn.say(NONE_YET, [texts.BOOK, texts.OTHER])
        return
    if len(mine) == 1:
        then(turn, mine[0])
        return
    buttons = [QuickReply(_label(b), f"bk:{action}:{b.id}") for b in mine[:10]] + [last]
    F.set_buttons_state(turn, "book_pick", buttons)
    turn.say(f"どのご予約を{verb}しますか。", buttons)


def _start_change(turn: Turn, booking: Booking) -> None:
    F.offer_dates(turn, f"いまのご予約：{B.when_text(booking)}\n"
                  "新しい日時を選ぶと、いまのご予約と入れ替わります。", replace=booking.id)


def on_change_pick(turn: Turn, arg: str) -> None:
    booking = _own(turn, arg)
    if booking is None or booking.status != "booked" or booking.ends_at <= turn.now:
        F.stale(turn, "このご予約は、もう変更できません。")
        return
    _start_change(turn, booking)


@command("予約のキャンセル", "予約キャンセル", "予約をキャンセル", "予約を取り消す",
         "予約の取り消し", postback="cmd:bkcancel")
def cancel(turn: Turn) -> None:
    _choose(turn, "キャンセル", "cx", KEEP, _ask)


def _ask(turn: Turn, booking: Booking) -> None:
    buttons = [QuickReply("キャンセルする", f"bk:cy:{booking.id}"), KEEP]
    F.set_buttons_state(turn, "book_cancel", buttons, booking=booking.id)
    turn.say("このご予約をキャンセルしますか。\n\n" + F.details(turn, booking), buttons)


def ask_cancel_button(turn: Turn, arg: str) -> None:
    """bk:cx:<id>: from 「予約のキャンセル」 or a reminder."""
    booking = _own(turn, arg)
    if booking is None:
        F.stale(turn)
    elif booking.status == "cancelled":
        turn.reset()
        turn.say("このご予約は、すでにキャンセルされています。", [texts.BOOK, F.CHECK])
    elif booking.status != "booked" or booking.ends_at <= turn.now:
        F.stale(turn, "このご予約は、もうキャンセルできません。")
    else:
        _ask(turn, booking)


def on_cancel_yes(turn: Turn, arg: str) -> None:
    booking = _own(turn, arg)
    if (booking is None or turn.conversation.state != "book_cancel"
            or turn.state_data.get("booking") != booking.id):
        ask_cancel_button(turn, arg)  # an old confirmation: ask again
        return
    turn.reset()
    if B.do_cancel(turn.session, booking, by="resident", now=turn.now):
        turn.say(f"{B.when_text(booking)}のご予約をキャンセルしました。\n"
                 "また必要なときは、いつでもご予約ください。", [texts.BOOK, texts.OTHER])
    else:
        turn.say("このご予約は、すでにキャンセルされています。", [texts.BOOK, F.CHECK])


def on_cancel_no(turn: Turn, arg: str) -> None:
    if turn.conversation.state not in ("book_cancel", "book_pick"):
        F.stale(turn)
        return
    turn.reset()
    turn.say("キャンセルはしていません。ご予約はそのままです。", [F.CHECK, texts.OTHER])


for _name in ("book_cancel", "book_pick"):
    state(_name)(F.on_typed)
