"""One conversation: transcript, classification, routing; take over, reply, hand back,
assign, close, notes and category corrections."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

import intents
from console import actions, bp, directory
from console.access import access_conversation_by_id, admin_required, can_see
from console.audit import do_audit
from console.store import db
from tsunagu import workers
from tsunagu.models import Conversation, Message, OutboundMessage
from tsunagu.models.staff import CannedReply, Staff, StaffNote


def transcript(conversation: Conversation) -> list[dict[str, Any]]:
    """Messages with the delivery state of each outgoing one. No platform ids here."""
    session = db()
    messages = session.scalars(select(Message).where(Message.conversation_id == conversation.id)
                               .order_by(Message.id)).all()
    deliveries = {o.message_id: o for o in session.scalars(
        select(OutboundMessage).where(OutboundMessage.conversation_id == conversation.id,
                                      OutboundMessage.message_id.is_not(None)))}
    staff_ids = {m.staff_id for m in messages if m.staff_id is not None}
    names = {s.id: s.shown_name for s in session.scalars(
        select(Staff).where(Staff.id.in_(staff_ids)))} if staff_ids else {}
    lines = []
    for m in messages:
        out = deliveries.get(m.id)
        lines.append({
            "id": m.id, "direction": m.direction, "sender": m.sender, "kind": m.kind,
            "text": m.text, "at": m.created_at,
            "who": (conversation.resident.display_name if m.sender == "resident"
                    else f"相談員 {names.get(m.staff_id, '')}".strip() if m.sender == "staff"
                    else "ボット"),
            "delivery": out.status if out else None,
            "error": out.last_error if out and out.status == "failed" else None,
        })
    return lines


def _version(conversation: Conversation, lines: list[dict[str, Any]]) -> str:
    return ":".join([conversation.status, str(conversation.assigned_staff_id)]
                    + [f"{x['id']}{x['delivery'] or ''}" for x in lines])


def _back(conversation_id: int, anchor: str = ""):  # type: ignore[no-untyped-def]
    return redirect(url_for("console.show_conversation", conversation_id=conversation_id)
                    + (f"#{anchor}" if anchor else ""))


@bp.get("/conversations/<int:conversation_id>")
def show_conversation(conversation_id: int):  # type: ignore[no-untyped-def]
    staff = current_user
    conversation = access_conversation_by_id(staff, conversation_id)
    session = db()
    do_audit(session, staff, "view", conversation.id)
    session.commit()
    lines = transcript(conversation)
    notes = session.execute(
        select(StaffNote, Staff).join(Staff, Staff.id == StaffNote.staff_id)
        .where(StaffNote.conversation_id == conversation.id).order_by(StaffNote.id)).all()
    canned = session.scalars(select(CannedReply).order_by(CannedReply.position,
                                                          CannedReply.id)).all()
    colleagues = session.scalars(select(Staff).where(Staff.active).order_by(Staff.email)).all()
    holder = session.get(Staff, conversation.assigned_staff_id) \
        if conversation.assigned_staff_id else None
    return render_template(
        "console/conversation.html", c=conversation, lines=lines, version=_version(
            conversation, lines), notes=notes, canned=canned, colleagues=colleagues,
        holder=holder, agencies=directory.agencies(), categories=intents.CATEGORIES,
        analysis=conversation.analysis or {}, routing=conversation.routing or {})


@bp.get("/conversations/<int:conversation_id>/live.json")
def live_conversation(conversation_id: int):  # type: ignore[no-untyped-def]
    """The transcript for the open page (polled); the page view itself was audited."""
    conversation = access_conversation_by_id(current_user, conversation_id)
    lines = transcript(conversation)
    return jsonify({
        "version": _version(conversation, lines), "status": conversation.status,
        "html": render_template("console/_transcript.html", c=conversation, lines=lines),
    })


def _run(conversation_id: int, action, success: str, anchor: str = "",
         lock: bool = False):  # type: ignore[no-untyped-def]
    """Load with access check, run one do_* action, commit, wake the sender."""
    conversation = access_conversation_by_id(current_user, conversation_id, for_update=lock)
    session = db()
    try:
        action(session, conversation)
    except actions.ActionError as exc:
        session.rollback()
        flash(str(exc), "error")
        return _back(conversation_id, anchor)
    session.commit()
    workers.wake()
    if success:
        flash(success)
    return _back(conversation_id, anchor)


@bp.post("/conversations/<int:conversation_id>/takeover")
def takeover(conversation_id: int):  # type: ignore[no-untyped-def]
    return _run(conversation_id, lambda s, c: actions.do_takeover(s, current_user, c),
                "対応を開始しました。ボットはこの相談者に送信しません。", "reply", lock=True)


@bp.post("/conversations/<int:conversation_id>/reply")
def reply(conversation_id: int):  # type: ignore[no-untyped-def]
    text = request.form.get("text", "")
    return _run(conversation_id, lambda s, c: actions.do_reply(s, current_user, c, text),
                "", "reply")


@bp.post("/conversations/<int:conversation_id>/handback")
def handback(conversation_id: int):  # type: ignore[no-untyped-def]
    return _run(conversation_id, lambda s, c: actions.do_handback(s, current_user, c),
                "ボットに戻しました。", lock=True)


@bp.post("/conversations/<int:conversation_id>/close")
def close(conversation_id: int):  # type: ignore[no-untyped-def]
    outcome = request.form.get("outcome", "")
    agency_id = request.form.get("agency_id", "") or None
    found = directory.agency(agency_id)
    name, contact = directory.agency_name(agency_id), found.contact if found else ""
    return _run(conversation_id, lambda s, c: actions.do_close(
        s, current_user, c, outcome, agency_id, name, contact), "相談を終了しました。", lock=True)


@bp.post("/conversations/<int:conversation_id>/assign")
def assign(conversation_id: int):  # type: ignore[no-untyped-def]
    agency_id = request.form.get("agency_id", "") or None
    raw_staff = request.form.get("staff_id", "")
    staff_id = int(raw_staff) if raw_staff.isdigit() else None
    known = {a.id for a in directory.agencies()}
    response = _run(conversation_id, lambda s, c: actions.do_assign(
        s, current_user, c, agency_id, staff_id, known), "担当を変更しました。", "assign")
    # Assigned away from one's own agency: the page is no longer theirs to see.
    conversation = db().get(Conversation, conversation_id)
    if conversation is not None and not can_see(current_user, conversation):
        return redirect(url_for("console.inbox"))
    return response


@bp.post("/conversations/<int:conversation_id>/notes")
def add_note(conversation_id: int):  # type: ignore[no-untyped-def]
    text = request.form.get("text", "")
    return _run(conversation_id, lambda s, c: actions.do_add_note(s, current_user, c, text),
                "メモを残しました。", "notes")


@bp.post("/conversations/<int:conversation_id>/categories")
def correct_categories(conversation_id: int):  # type: ignore[no-untyped-def]
    chosen = request.form.getlist("category")
    return _run(conversation_id, lambda s, c: actions.do_correct_categories(
        s, current_user, c, chosen), "分類を修正しました。", "categories")


@bp.post("/conversations/<int:conversation_id>/delete")
@admin_required
def delete_resident(conversation_id: int):  # type: ignore[no-untyped-def]
    if request.form.get("confirm") != "削除":
        flash("確認のため「削除」と入力してください。", "error")
        return _back(conversation_id, "danger")
    return _run(conversation_id, lambda s, c: actions.do_delete_resident(s, current_user, c),
                "相談者のデータを削除しました。", lock=True)
