"""Admin pages: the audit log, 定型文, and the export of category corrections (feedback
for the dictionaries; no platform ids, no resident labels)."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from console import bp
from console.access import admin_required
from console.actions import MAX_REPLY
from console.audit import ACTIONS, do_audit
from console.store import db
from tsunagu.models.staff import AuditLog, CannedReply, CategoryFeedback, Staff

PAGE = 100


@bp.get("/admin/audit")
@admin_required
def audit_log():  # type: ignore[no-untyped-def]
    page = max(1, request.args.get("page", 1, type=int) or 1)
    query = select(AuditLog, Staff).outerjoin(Staff, Staff.id == AuditLog.staff_id)
    conversation = request.args.get("conversation", type=int)
    if conversation:
        query = query.where(AuditLog.conversation_id == conversation)
    rows = db().execute(query.order_by(AuditLog.id.desc())
                        .offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    return render_template("console/audit.html", rows=rows[:PAGE], actions=ACTIONS, page=page,
                           more=len(rows) > PAGE, conversation=conversation)


@bp.route("/admin/canned", methods=["GET", "POST"])
@admin_required
def canned_replies():  # type: ignore[no-untyped-def]
    session = db()
    if request.method == "POST":
        title = request.form.get("title", "").strip()
        text = request.form.get("text", "").replace("\r\n", "\n").strip()
        raw_id = request.form.get("id", "")
        if not title or not text or len(title) > 40 or len(text) > MAX_REPLY:
            flash(f"見出し（40文字以内）と本文（{MAX_REPLY}文字以内）を入れてください。", "error")
            return redirect(url_for("console.canned_replies"))
        if raw_id.isdigit():
            row = session.get(CannedReply, int(raw_id))
            if row is None:
                flash("その定型文はもうありません。", "error")
                return redirect(url_for("console.canned_replies"))
        else:
            position = session.scalar(select(func.max(CannedReply.position))) or 0
            row = CannedReply(position=position + 1)
            session.add(row)
        row.title, row.text = title, text
        do_audit(session, current_user, "canned", detail=title)
        session.commit()
        flash("定型文を保存しました。")
        return redirect(url_for("console.canned_replies"))
    rows = session.scalars(select(CannedReply).order_by(CannedReply.position,
                                                        CannedReply.id)).all()
    return render_template("console/canned.html", rows=rows)


@bp.post("/admin/canned/<int:canned_id>/delete")
@admin_required
def delete_canned(canned_id: int):  # type: ignore[no-untyped-def]
    session = db()
    row = session.get(CannedReply, canned_id)
    if row is not None:
        do_audit(session, current_user, "canned", detail=f"削除: {row.title}")
        session.delete(row)
        session.commit()
        flash("定型文を削除しました。")
    return redirect(url_for("console.canned_replies"))


def _feedback_rows(newest: int | None = None) -> list[dict]:  # type: ignore[type-arg]
    """All corrections, oldest first; or only the `newest` few, newest first."""
    order = CategoryFeedback.id.desc() if newest else CategoryFeedback.id.asc()
    rows = db().scalars(select(CategoryFeedback).order_by(order).limit(newest)).all()
    out = []
    for f in rows:
        original = f.original or {}
        out.append({
            "id": f.id, "created_at": f.created_at.isoformat(), "text": f.text,
            "original_categories": list(f.original_categories or []),
            "corrected_categories": list(f.corrected or []),
            "added": [c for c in f.corrected or [] if c not in (f.original_categories or [])],
            "removed": [c for c in f.original_categories or [] if c not in (f.corrected or [])],
            "crisis": bool(original.get("crisis")), "speaker": original.get("speaker"),
            "evidence": original.get("evidence", {}), "scores": original.get("scores", {}),
        })
    return out


@bp.get("/admin/feedback")
@admin_required
def feedback():  # type: ignore[no-untyped-def]
    return render_template("console/feedback.html", rows=_feedback_rows(newest=200))


@bp.get("/admin/feedback.<fmt>")
@admin_required
def export_feedback(fmt: str):  # type: ignore[no-untyped-def]
    if fmt not in ("csv", "jsonl"):
        return Response("csv か jsonl を指定してください。", status=404)
    rows = _feedback_rows()
    do_audit(db(), current_user, "export", detail=f"feedback.{fmt} {len(rows)}件")
    db().commit()
    if fmt == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        mimetype = "application/x-ndjson; charset=utf-8"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        columns = ["id", "created_at", "text", "original_categories", "corrected_categories",
                   "added", "removed", "crisis", "speaker", "evidence"]
        writer.writerow(columns)
        for r in rows:
            writer.writerow([
                "|".join(r[c]) if isinstance(r[c], list) else
                json.dumps(r[c], ensure_ascii=False) if isinstance(r[c], dict) else r[c]
                for c in columns])
        body = "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 correctly
        mimetype = "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=category-feedback.{fmt}"})
