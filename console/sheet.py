"""つなぐシート: a printable referral summary for handing a case to another agency.

Consent decides where the case may be discussed: 本人同意あり → 重層的支援会議;
同意なし → 支援会議 only (社会福祉法第106条の6, members bound to confidentiality)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from console import actions, bp, directory
from console.access import access_conversation_by_id
from console.audit import do_audit
from console.store import db
from tsunagu import clock
from tsunagu.models import Conversation, Message
from tsunagu.models.staff import Staff

CONSENT = {
    "yes": ("本人同意あり", "関係機関との情報共有に本人が同意しています。重層的支援会議で検討できます。"),
    "no": ("同意なし", ("本人の同意は得ていません。支援会議（社会福祉法第106条の6）でのみ共有できます。"
                       "構成員には守秘義務があります。")),
}
MAX_FIELD = 4000


def draft_summary(conversation: Conversation) -> str:
    """A first draft from what the resident wrote; the consultant edits it."""
    texts = db().scalars(select(Message.text).where(
        Message.conversation_id == conversation.id, Message.sender == "resident",
        Message.kind == "text").order_by(Message.id).limit(5)).all()
    return "\n".join(t for t in texts if t)[:1000]


@bp.route("/conversations/<int:conversation_id>/sheet", methods=["GET", "POST"])
def edit_sheet(conversation_id: int):  # type: ignore[no-untyped-def]
    conversation = access_conversation_by_id(current_user, conversation_id)
    session = db()
    if request.method == "POST":
        consent = request.form.get("consent", "")
        summary = request.form.get("summary", "").strip()
        shared_info = request.form.get("shared_info", "")
        if consent not in CONSENT:
            flash("本人の同意の有無を選んでください。", "error")
        elif not summary:
            flash("相談の要約を書いてください。", "error")
        elif max(len(summary), len(shared_info)) > MAX_FIELD:
            flash(f"各欄は{MAX_FIELD}文字以内にしてください。", "error")
        else:
            sheet = actions.sheet_for(session, conversation)
            agency_id = request.form.get("agency_id", "") or None
            found = directory.agency(agency_id)
            sheet.summary = summary
            sheet.shared_info = shared_info.strip()
            sheet.consent = consent
            sheet.agency_id = agency_id
            sheet.agency_name = directory.agency_name(agency_id)
            sheet.agency_contact = request.form.get("agency_contact", "").strip()[:300] or (
                found.contact if found else "")
            sheet.updated_by = current_user.id
            sheet.updated_at = clock.now()
            do_audit(session, current_user, "sheet_save", conversation.id)
            session.commit()
            flash("つなぐシートを保存しました。")
            return redirect(url_for("console.print_sheet", conversation_id=conversation.id))
        form = request.form
    else:
        do_audit(session, current_user, "sheet_view", conversation.id)
        session.commit()
        sheet = actions.find_sheet(session, conversation)
        if sheet is None:  # the template reads missing fields as empty
            form = {"summary": draft_summary(conversation),
                    "agency_id": conversation.assigned_agency_id or ""}
        else:
            form = {"summary": sheet.summary, "shared_info": sheet.shared_info,
                    "consent": sheet.consent, "agency_contact": sheet.agency_contact,
                    "agency_id": sheet.agency_id or conversation.assigned_agency_id or ""}
    return render_template("console/sheet_edit.html", c=conversation, form=form,
                           agencies=directory.agencies(), consent=CONSENT)


@bp.get("/conversations/<int:conversation_id>/sheet/print")
def print_sheet(conversation_id: int):  # type: ignore[no-untyped-def]
    conversation = access_conversation_by_id(current_user, conversation_id)
    session = db()
    sheet = actions.find_sheet(session, conversation)
    if sheet is None or not sheet.consent:
        flash("先につなぐシートを書いて保存してください。", "error")
        return redirect(url_for("console.edit_sheet", conversation_id=conversation.id))
    do_audit(session, current_user, "sheet_view", conversation.id, "print")
    session.commit()
    author = session.get(Staff, sheet.updated_by) if sheet.updated_by else None
    return render_template("console/sheet_print.html", c=conversation, sheet=sheet,
                           author=author, consent=CONSENT[sheet.consent])
