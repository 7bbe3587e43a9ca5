"""Who may see what. A consultant sees the conversations routed to their agency and the
unassigned queue; an admin sees everything. `access_conversation_by_id` is the only way
a view gets a conversation."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, or_, select, true

from console.store import db
from tsunagu.models import Conversation, Resident
from tsunagu.models.staff import Staff


def visible_to(staff: Staff) -> ColumnElement[bool]:
    """SQL condition: the conversations `staff` may see."""
    if staff.is_admin:
        return true()
    return or_(Conversation.assigned_agency_id.is_(None),
               Conversation.assigned_agency_id == staff.agency_id)


def can_see(staff: Staff, conversation: Conversation) -> bool:
    return staff.is_admin or conversation.assigned_agency_id in (None, staff.agency_id)


def access_conversation_by_id(staff: Staff, conversation_id: int, *,
                              for_update: bool = False) -> Conversation:
    """Load a conversation the staff member may see, or abort 404 (no such) / 403 (not
    theirs). for_update: lock the resident and the conversation (PostgreSQL) so a
    takeover cannot interleave with the engine answering the same resident."""
    session = db()
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        abort(404)
    if not can_see(staff, conversation):
        abort(403)
    if for_update:
        session.execute(select(Resident.id).where(Resident.id == conversation.resident_id)
                        .with_for_update())
        session.refresh(conversation, with_for_update=True)
        if not can_see(staff, conversation):  # reassigned meanwhile
            abort(403)
    return conversation


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
