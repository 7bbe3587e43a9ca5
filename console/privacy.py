"""A resident's 「データを削除」 also removes what staff wrote about them: notes, the
message texts kept with category corrections (the rows go), and つなぐシート."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from console.audit import do_audit
from tsunagu import privacy
from tsunagu.models import Conversation, Resident
from tsunagu.models.staff import CategoryFeedback, ReferralSheet, StaffNote


def scrub_resident(session: Session, resident: Resident) -> None:
    conv_ids = select(Conversation.id).where(Conversation.resident_id == resident.id)
    for model in (StaffNote, CategoryFeedback, ReferralSheet):
        session.execute(delete(model).where(model.conversation_id.in_(conv_ids))
                        .execution_options(synchronize_session=False))
    for conversation_id in session.scalars(conv_ids):
        do_audit(session, None, "resident_delete", conversation_id)


def register() -> None:
    if scrub_resident not in privacy.SCRUBBERS:
        privacy.SCRUBBERS.append(scrub_resident)
