"""The audit log: every view of a conversation, takeover, reply, export and deletion.
Entries name the action and the conversation, never message content."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tsunagu import clock
from tsunagu.models.staff import AuditLog, Staff

ACTIONS = {
    "login": "ログイン", "logout": "ログアウト", "view": "閲覧", "takeover": "対応を開始",
    "reply": "返信", "handback": "ボットに戻す", "close": "終了", "assign": "担当の変更",
    "note": "メモ", "categories": "分類の修正", "sheet_view": "つなぐシート閲覧",
    "sheet_save": "つなぐシート保存", "export": "エクスポート", "delete": "データ削除",
    "resident_delete": "相談者データの削除", "canned": "定型文の編集",
}


def do_audit(session: Session, staff: Staff | None, action: str,
             conversation_id: int | None = None, detail: str = "") -> None:
    """Add an entry in the caller's transaction."""
    assert action in ACTIONS, action
    session.add(AuditLog(staff_id=staff.id if staff else None, action=action,
                         conversation_id=conversation_id, detail=detail[:300],
                         created_at=clock.now()))
