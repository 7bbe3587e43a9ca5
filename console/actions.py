"""The console's writes on a conversation. Each `do_*` runs in the caller's transaction
and writes its audit entry; the view commits and wakes the sender. `check_*` raise
ActionError with a message for the consultant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

import intents
from console.audit import do_audit
from tsunagu import clock, pipeline, privacy
from tsunagu.models import Conversation, Message, Resident
from tsunagu.models.staff import CategoryFeedback, ReferralSheet, Staff, StaffNote
from tsunagu.outbox import Reply, do_enqueue

MAX_REPLY = 2000      # well under LINE's 5000 and Telegram's 4096
MAX_NOTE = 4000
HANDBACK_TEXT = "相談員との対応を終わります。\nまたいつでも書いてください。"
OUTCOMES = {"referred": "つないだ先", "resolved": "終結", "interrupted": "中断"}


class ActionError(Exception):
    """Shown to the consultant as it is."""


def takeover_text(staff: Staff) -> str:
    who = f"相談員の{staff.display_name}です。" if staff.display_name else "相談員です。"
    return f"{who}\nここからは相談員がお返事します。"


def check_open(conversation: Conversation) -> None:
    if conversation.status == "closed":
        raise ActionError("この相談は終了しています。")


def reachable(resident: Resident) -> bool:
    return resident.deleted_at is None and bool(resident.platform_id_enc)


def check_reachable(resident: Resident) -> None:
    if not reachable(resident):
        raise ActionError("相談者がデータを削除したため、送信できません。")


def _send(session: Session, staff: Staff, conversation: Conversation, text: str) -> int:
    return do_enqueue(session, conversation.resident, conversation, Reply(text),
                      source="staff", staff_id=staff.id).id


def _end_bot_flow(conversation: Conversation) -> None:
    """Whatever the bot was asking is over, and nobody is waiting for a person any more."""
    conversation.wants_human = False
    conversation.state, conversation.state_data = "idle", {}


def do_takeover(session: Session, staff: Staff, conversation: Conversation) -> None:
    """From now on the bot sends nothing to this resident, on any channel."""
    check_open(conversation)
    if conversation.status == "staff" and conversation.assigned_staff_id not in (None, staff.id):
        holder = session.get(Staff, conversation.assigned_staff_id)
        raise ActionError(f"すでに{holder.shown_name if holder else '別の相談員'}さんが対応中です。")
    if conversation.status == "staff" and conversation.assigned_staff_id == staff.id:
        return
    conversation.status = "staff"
    conversation.assigned_staff_id = staff.id
    if conversation.assigned_agency_id is None and staff.agency_id:
        conversation.assigned_agency_id = staff.agency_id
    _end_bot_flow(conversation)
    pipeline.cancel_pending(session, conversation.resident_id, source="bot")
    if reachable(conversation.resident):
        _send(session, staff, conversation, takeover_text(staff))
    do_audit(session, staff, "takeover", conversation.id)


def check_reply(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ActionError("返信が空です。")
    if len(text) > MAX_REPLY:
        raise ActionError(f"返信は{MAX_REPLY}文字以内にしてください（いま{len(text)}文字）。")
    return text


def do_reply(session: Session, staff: Staff, conversation: Conversation, text: str) -> int:
    text = check_reply(text)
    check_open(conversation)
    if conversation.status != "staff":
        raise ActionError("返信するには、先に「対応を開始」してください。")
    if conversation.assigned_staff_id not in (None, staff.id):
        # One voice per resident: a colleague replies after 「担当」 names them.
        holder = session.get(Staff, conversation.assigned_staff_id)
        raise ActionError(f"{holder.shown_name if holder else '別の相談員'}さんが対応中です。"
                          "返信するには、「担当」で相談員を自分に変えてください。")
    check_reachable(conversation.resident)
    out_id = _send(session, staff, conversation, text)
    do_audit(session, staff, "reply", conversation.id)
    return out_id


def _say_goodbye(session: Session, staff: Staff, conversation: Conversation) -> None:
    if reachable(conversation.resident):
        _send(session, staff, conversation, HANDBACK_TEXT)


def do_handback(session: Session, staff: Staff, conversation: Conversation) -> None:
    check_open(conversation)
    if conversation.status != "staff":
        raise ActionError("この相談はいまボットが対応しています。")
    _say_goodbye(session, staff, conversation)
    conversation.status = "bot"
    conversation.assigned_staff_id = None
    _end_bot_flow(conversation)
    do_audit(session, staff, "handback", conversation.id)


def do_close(session: Session, staff: Staff, conversation: Conversation, outcome: str,
             agency_id: str | None, agency_name: str, agency_contact: str) -> None:
    """Close with an outcome; つないだ先 records the receiving agency on the つなぐシート."""
    check_open(conversation)
    if outcome not in OUTCOMES:
        raise ActionError(f"結果（{'・'.join(OUTCOMES.values())}）を選んでください。")
    if outcome == "referred":
        if not agency_id:
            raise ActionError("つないだ先の機関を選んでください。")
        sheet = sheet_for(session, conversation)
        sheet.agency_id, sheet.agency_name = agency_id, agency_name
        sheet.agency_contact = sheet.agency_contact or agency_contact
        sheet.updated_by = staff.id
    if conversation.status == "staff":
        _say_goodbye(session, staff, conversation)
    pipeline.cancel_pending(session, conversation.resident_id, source="bot")
    conversation.status = "closed"
    conversation.outcome = outcome
    conversation.closed_at = clock.now()
    _end_bot_flow(conversation)
    do_audit(session, staff, "close", conversation.id, outcome)


def do_assign(session: Session, staff: Staff, conversation: Conversation,
              agency_id: str | None, staff_id: int | None, known_agencies: set[str]) -> None:
    if agency_id and known_agencies and agency_id not in known_agencies:
        raise ActionError("その機関は名簿にありません。")
    colleague = None
    if staff_id is not None:
        colleague = session.get(Staff, staff_id)
        if colleague is None or not colleague.active:
            raise ActionError("その相談員は見つかりません。")
        if agency_id and colleague.agency_id not in (None, agency_id) and not colleague.is_admin:
            raise ActionError(f"{colleague.shown_name}さんは、その機関の所属ではありません。")
    conversation.assigned_agency_id = agency_id or None
    if colleague is not None:
        conversation.assigned_staff_id = colleague.id
        if conversation.assigned_agency_id is None and colleague.agency_id:
            conversation.assigned_agency_id = colleague.agency_id
    elif conversation.status != "staff":
        conversation.assigned_staff_id = None
    do_audit(session, staff, "assign", conversation.id,
             f"agency={conversation.assigned_agency_id or '-'} "
             f"staff={conversation.assigned_staff_id or '-'}")


def do_add_note(session: Session, staff: Staff, conversation: Conversation, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise ActionError("メモが空です。")
    if len(text) > MAX_NOTE:
        raise ActionError(f"メモは{MAX_NOTE}文字以内にしてください。")
    session.add(StaffNote(conversation_id=conversation.id, staff_id=staff.id, text=text,
                          created_at=clock.now()))
    do_audit(session, staff, "note", conversation.id)


def last_resident_text(session: Session, conversation: Conversation) -> str:
    """The newest message the resident typed (what the classifier last read)."""
    return session.scalar(
        select(Message.text).where(Message.conversation_id == conversation.id,
                                   Message.sender == "resident", Message.kind == "text")
        .order_by(Message.id.desc()).limit(1)) or ""


def do_correct_categories(session: Session, staff: Staff, conversation: Conversation,
                          corrected: list[str]) -> CategoryFeedback | None:
    """Set the categories and keep the correction as feedback for the dictionaries."""
    unknown = [c for c in corrected if c not in intents.CATEGORIES]
    if unknown:
        raise ActionError(f"分類にない項目です：{'、'.join(unknown)}")
    corrected = [c for c in intents.CATEGORIES if c in corrected]  # taxonomy order
    if set(corrected) == set(conversation.categories or []):
        raise ActionError("分類は変わっていません。")
    feedback = CategoryFeedback(
        conversation_id=conversation.id, staff_id=staff.id, original=conversation.analysis,
        original_categories=list(conversation.categories or []), corrected=corrected,
        text=last_resident_text(session, conversation), created_at=clock.now())
    session.add(feedback)
    conversation.categories = corrected
    do_audit(session, staff, "categories", conversation.id, "、".join(corrected))
    return feedback


def find_sheet(session: Session, conversation: Conversation) -> ReferralSheet | None:
    return session.scalar(select(ReferralSheet)
                          .where(ReferralSheet.conversation_id == conversation.id))


def sheet_for(session: Session, conversation: Conversation) -> ReferralSheet:
    """The conversation's つなぐシート, started empty if there is none yet."""
    sheet = find_sheet(session, conversation)
    if sheet is None:
        sheet = ReferralSheet(conversation_id=conversation.id, summary="", shared_info="",
                              consent="", agency_name="", agency_contact="")
        session.add(sheet)
    return sheet


def do_delete_resident(session: Session, staff: Staff, conversation: Conversation) -> None:
    """On the resident's request made to staff (e.g. by phone): as 「データを削除」."""
    if conversation.resident.deleted_at is not None:
        raise ActionError("この相談者のデータはすでに削除されています。")
    pipeline.cancel_pending(session, conversation.resident_id)
    privacy.do_delete_resident_data(session, conversation.resident)
    do_audit(session, staff, "delete", conversation.id)
