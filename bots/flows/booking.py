"""相談会の予約: a family member books a consultation in the chat, anonymously.

    「相談会を予約」 → book_date → (book_time, when a session has several open slots)
    → book_who (本人 / 家族 / 本人と家族) → book_name (a nickname, or 「なしで進む」)
    → book_confirm → 「予約を受け付けました」

Buttons ("bk:…") carry what they choose (a session or slot key), and each is checked
against the current state and against what is still open, so an old or stale button gets
a kind reply, never a wrong booking. Checking, changing and cancelling a booking are in
bots/flows/booking_manage.py. Storage and capacity: tsunagu/booking.py.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from bots import texts
from bots.flows import command, postback, state
from routing import sessions as S
from tsunagu import booking as B
from tsunagu.clock import JST
from tsunagu.jtext import WEEKDAYS, jdate, normalize_command
from tsunagu.models.booking import WHO, Booking
from tsunagu.outbox import QuickReply

if TYPE_CHECKING:
    import routing
    from bots.engine import Turn

STOP = QuickReply("やめる", "bk:x")
SKIP_NAME = QuickReply("なしで進む", "bk:n:skip")
WHO_BUTTONS = [QuickReply(label, f"bk:w:{who}") for who, label in WHO.items()]
CHECK = B.CHECK
CHANGE = QuickReply("予約の変更", "cmd:bkchange")
CANCEL = QuickReply("予約のキャンセル", "cmd:bkcancel")
STATES = ("book_date", "book_time", "book_who", "book_name", "book_confirm", "book_pick",
          "book_cancel")

NO_DATES = ("ごめんなさい。いま予約できる相談会の日程がありません。\n"
            "市の窓口に電話でご相談いただくこともできます。")
BUTTON_PLEASE = "下のボタンから選んでください。"


def key(any_id: str) -> str:
    """A short, stable button key for a session or slot id (Telegram allows 64 bytes)."""
    if len(any_id.encode()) <= 40:
        return any_id
    return hashlib.sha1(any_id.encode()).hexdigest()[:16]


def _short_date(moment: Any) -> str:
    local = moment.astimezone(JST)
    return f"{local.month}月{local.day}日({WEEKDAYS[local.weekday()]})"


def _hhmm(moment: Any) -> str:
    return f"{moment.astimezone(JST):%H:%M}"


def _replace(turn: Turn) -> Booking | None:
    """The booking being changed (予約の変更), if it is still the resident's and active."""
    booking_id = turn.state_data.get("replace")
    if not booking_id:
        return None
    booking = turn.session.get(Booking, booking_id)
    if booking is None or booking.resident_id != turn.resident.id or booking.status != "booked":
        return None
    return booking


def _open(turn: Turn) -> list[B.OpenSlot]:
    return B.open_slots(turn.session, turn.directory, turn.now, turn.resident.id,
                        replacing=_replace(turn))


def set_buttons_state(turn: Turn, name: str, buttons: list[QuickReply], **data: Any) -> None:
    """Enter a state, remembering its buttons (typed labels work as presses)."""
    turn.set_state(name, buttons=[[b.label, b.postback] for b in buttons], **data)


def _set(turn: Turn, name: str, buttons: list[QuickReply], **data: Any) -> None:
    """The next step of booking: as set_buttons_state, keeping the booking being changed."""
    replace = turn.state_data.get("replace")
    if replace and "replace" not in data:
        data["replace"] = replace
    set_buttons_state(turn, name, buttons, **data)


def _typed_button(turn: Turn) -> str | None:
    typed = normalize_command(turn.text)
    for label, data in turn.state_data.get("buttons", []):
        if typed and typed == normalize_command(label):
            return data
    return None


# --- step 1: the date ----------------------------------------------------------------

def offer_dates(turn: Turn, intro: str = "", replace: int | None = None,
                slots: list[B.OpenSlot] | None = None) -> None:
    """The date step. `slots`: what _open(turn) gave in this turn already."""
    if replace is not None:
        turn.set_state("book_date", replace=replace)
    if slots is None:
        slots = _open(turn)
    sessions = list({o.session.id: o.session for o in slots}.values())[:B.MAX_DATES]
    if not sessions:
        turn.reset()
        turn.say((intro + "\n\n" if intro else "") + NO_DATES,
                 [texts.CONTACTS, texts.STAFF, texts.OTHER])
        return
    several = len({s.title for s in sessions}) > 1
    buttons = [QuickReply((f"{_short_date(s.starts_at)} {s.title}" if several
                           else _short_date(s.starts_at))[:20], f"bk:d:{key(s.id)}")
               for s in sessions]
    buttons.append(STOP)
    _set(turn, "book_date", buttons)
    turn.say((intro + "\n\n" if intro else "") + "ご都合のよい日を選んでください。", buttons)


def _about(s: routing.Session) -> str:
    lines = [f"{s.title}のご予約ですね。", "専門のスタッフがお話をうかがいます。"]
    if s.fee:
        lines.append(f"費用：{s.fee}")
    if s.family_only_ok:
        lines.append("ご家族だけのご相談もできます。")
    if s.confidential:
        lines.append("秘密は守られます。")
    lines.append("お名前や電話番号は要りません。")
    return "\n".join(lines)


@command("相談会を予約", "相談会の予約", "相談会", "予約したい", "予約する", "予約",
         postback="cmd:book")
def start(turn: Turn) -> None:
    turn.reset()
    slots = _open(turn)
    intro = _about(slots[0].session) if slots else ""
    mine = B.active_bookings(turn.session, turn.resident.id, turn.now)
    if mine:
        intro += ("\n\nいまのご予約：" + "、".join(B.when_text(b) for b in mine)
                  + "\n（「予約の確認」で内容を見られます）")
    offer_dates(turn, intro.strip(), slots=slots)


@postback("bk")
def on_button(turn: Turn) -> None:
    _press(turn, turn.postback)


def _press(turn: Turn, data: str) -> None:
    parts = data.split(":")
    action, arg = parts[1] if len(parts) > 1 else "", ":".join(parts[2:])
    from bots.flows import booking_manage as M

    handlers = {"d": on_date, "t": on_time, "w": on_who, "n": on_skip_name, "y": on_yes,
                "x": on_stop, "cx": M.ask_cancel_button, "cy": M.on_cancel_yes,
                "cn": M.on_cancel_no, "ch": M.on_change_pick}
    handler = handlers.get(action)
    if handler is None:
        stale(turn)
        return
    handler(turn, arg)


def stale(turn: Turn, why: str = "") -> None:
    turn.say((why or texts.STALE_BUTTON), [texts.BOOK, CHECK, texts.OTHER])


def on_date(turn: Turn, arg: str) -> None:
    if turn.conversation.state != "book_date":
        stale(turn)
        return
    slots = _open(turn)
    choices = [o for o in slots if key(o.session.id) == arg]
    if not choices:
        offer_dates(turn, "ごめんなさい。その日は満席か、受付が終わりました。\nほかの日をお選びください。",
                    slots=slots)
        return
    if len(choices) == 1:
        _chose_slot(turn, choices[0], f"{_short_date(choices[0].slot.starts_at)}の"
                    f"{_hhmm(choices[0].slot.starts_at)}からですね。")
        return
    buttons = [QuickReply(f"{_hhmm(o.slot.starts_at)}〜{_hhmm(o.slot.ends_at)}",
                          f"bk:t:{key(o.slot.id)}") for o in choices][:12]
    buttons.append(STOP)
    _set(turn, "book_time", buttons, session=choices[0].session.id)
    turn.say(f"{jdate(choices[0].session.starts_at)}ですね。\n時間を選んでください。", buttons)


# --- step 2: the time ----------------------------------------------------------------

def on_time(turn: Turn, arg: str) -> None:
    if turn.conversation.state != "book_time":
        stale(turn)
        return
    session_id = turn.state_data.get("session")
    slots = _open(turn)
    choices = [o for o in slots if key(o.slot.id) == arg and o.session.id == session_id]
    if not choices:
        offer_dates(turn, "ごめんなさい。その時間は満席か、受付が終わりました。\nほかの日時をお選びください。",
                    slots=slots)
        return
    _chose_slot(turn, choices[0], f"{_hhmm(choices[0].slot.starts_at)}からですね。")


def _chose_slot(turn: Turn, chosen: B.OpenSlot, said: str) -> None:
    _set(turn, "book_who", WHO_BUTTONS + [STOP], slot=chosen.slot.id)
    note = "\nご家族だけでも大丈夫です。" if chosen.session.family_only_ok else ""
    turn.say(f"{said}\nどなたがいらっしゃいますか。{note}", WHO_BUTTONS + [STOP])


# --- step 3: who comes; step 4: a nickname -------------------------------------------

def on_who(turn: Turn, arg: str) -> None:
    if turn.conversation.state != "book_who" or arg not in WHO:
        stale(turn)
        return
    _set(turn, "book_name", [SKIP_NAME, STOP], slot=turn.state_data.get("slot"), who=arg)
    turn.say("当日お呼びする名前があれば、書いて送ってください。\n"
             "ニックネームで大丈夫です。本名でなくてかまいません。", [SKIP_NAME, STOP])


def on_skip_name(turn: Turn, arg: str) -> None:
    if turn.conversation.state != "book_name":
        stale(turn)
        return
    _confirm(turn, None)


def _confirm(turn: Turn, nickname: str | None) -> None:
    data = turn.state_data
    found = S.find_slot(turn.directory, data.get("slot", ""))
    if found is None:
        offer_dates(turn, "ごめんなさい。その日の受付が終わりました。\nほかの日をお選びください。")
        return
    s, slot = found
    replacing = _replace(turn)
    buttons = [QuickReply("変更する" if replacing else "予約する", "bk:y"), STOP]
    _set(turn, "book_confirm", buttons, slot=slot.id, who=data.get("who"), nickname=nickname)
    lines = ["この内容で" + ("変更しますか。" if replacing else "予約しますか。"), "",
             f"■ {s.title}", f"日時：{B.when_text(slot.starts_at)}"]
    if s.place:
        lines.append(f"場所：{s.place}")
    lines.append(f"来られる方：{WHO.get(data.get('who', ''), '')}")
    lines.append(f"お呼びする名前：{nickname or 'なし'}")
    turn.say("\n".join(lines), buttons)


# --- step 5: book --------------------------------------------------------------------

def on_yes(turn: Turn, arg: str) -> None:
    if turn.conversation.state != "book_confirm":
        stale(turn)
        return
    data = turn.state_data
    replacing = _replace(turn)
    if data.get("replace") and replacing is None:
        turn.reset()
        stale(turn, "変更しようとしたご予約は、すでにキャンセルされています。")
        return
    try:
        booking = B.do_book(turn.session, resident=turn.resident, conversation=turn.conversation,
                            directory=turn.directory, slot_id=data.get("slot", ""),
                            who=data.get("who", "family"), nickname=data.get("nickname"),
                            now=turn.now, replace=replacing)
    except B.SlotFull:
        offer_dates(turn, "ごめんなさい。ちょうど満席になってしまいました。\nほかの日をお選びいただけますか。")
        return
    except B.AlreadyBooked:
        turn.reset()
        turn.say("その日の相談会は、すでにご予約いただいています。", [CHECK, CHANGE, CANCEL])
        return
    except B.SlotGone:
        offer_dates(turn, "ごめんなさい。その日の受付が終わりました。\nほかの日をお選びください。")
        return
    turn.reset()
    head = "予約の変更を受け付けました。" if replacing else "予約を受け付けました。"
    turn.say(head + "\n\n" + details(turn, booking)
             + "\n\n前の日と当日に、このチャットでお知らせします。"
             "\n変更やキャンセルは「予約の確認」からできます。", [CHECK, CHANGE, CANCEL])


def details(turn: Turn, booking: Booking) -> str:
    """What the resident needs to come: when, where, how to get there, what to bring."""
    found = S.find_slot(turn.directory, booking.slot_id)
    if found is not None:
        s = found[0]
        about = [("場所", s.place), ("住所", s.address), ("アクセス", s.access),
                 ("持ち物", s.bring), ("費用", s.fee)]
    else:  # gone from the directory: what the resident was told when booking
        about = [("場所", booking.place)]
    lines = [f"■ {booking.title}", f"日時：{B.when_text(booking)}"]
    lines += [f"{label}：{value}" for label, value in about if value]
    lines.append(f"来られる方：{booking.who_label}")
    if booking.nickname:
        lines.append(f"お呼びする名前：{booking.nickname}")
    return "\n".join(lines)


def on_stop(turn: Turn, arg: str) -> None:
    if turn.conversation.state not in STATES:
        stale(turn)
        return
    turn.reset()
    turn.say("予約はしていません。\nまた必要なときに「相談会を予約」と送ってください。",
             texts.main_menu(turn))


# --- typed text mid-flow -------------------------------------------------------------

@state("book_name")
def on_name_text(turn: Turn) -> None:
    pressed = _typed_button(turn)
    if pressed:
        _press(turn, pressed)
        return
    try:
        nickname = B.check_nickname(turn.text)
    except B.NicknameError as exc:
        turn.say(f"{exc}\n名前がなくても予約できます。", [SKIP_NAME, STOP])
        return
    _confirm(turn, nickname)


def on_typed(turn: Turn) -> None:
    """Typed text where a button was expected: a label works; a new concern leaves the
    flow; anything else gets the buttons again."""
    pressed = _typed_button(turn)
    if pressed:
        _press(turn, pressed)
        return
    analysis = turn.analysis()
    if analysis is not None and analysis.categories and len(turn.text) > 15:
        from bots.flows.intake import answer_concern

        turn.reset()
        answer_concern(turn, analysis)
        return
    buttons = [QuickReply(label, pb) for label, pb in turn.state_data.get("buttons", [])]
    turn.say(BUTTON_PLEASE + "\nやめるときは「やめる」を押してください。", buttons or [STOP])


for _name in ("book_date", "book_time", "book_who", "book_confirm"):
    state(_name)(on_typed)

from bots.flows import booking_manage as _manage  # noqa: F401  (registers its commands)


def booking_hint(turn: Turn) -> str:
    """A line for the intake answer when the concern is ひきこもり and dates are open."""
    if "ひきこもり" not in (turn.conversation.categories or []):
        return ""
    slots = B.open_slots(turn.session, turn.directory, turn.now, turn.resident.id)
    if not slots:
        return ""
    s = slots[0].session
    family = "ご家族だけでも相談できます。" if s.family_only_ok else ""
    return (f"\n\n{s.title}（{_short_date(s.starts_at)}ほか）も、このチャットで予約できます。"
            f"{family}\n下の「相談会を予約」を押してください。")
