"""The inbox: open conversations, 緊急 first, then those asking for a person, then the
longest waiting. The page polls `inbox.json` every few seconds and swaps the list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from console import bp
from console.access import visible_to
from console.directory import agency_name, district_name
from console.store import db
from console.templating import CHANNELS
from tsunagu.models import Conversation
from tsunagu.models.staff import Staff

LIMIT = 200
VIEWS = {"open": "対応中・未対応", "mine": "自分の担当", "closed": "終了"}


def waiting_since(c: Conversation) -> datetime:
    return c.wants_human_at or c.last_resident_at or c.created_at


def inbox_rows(staff: Staff, view: str = "open") -> list[dict[str, Any]]:
    since = func.coalesce(Conversation.wants_human_at, Conversation.last_resident_at,
                          Conversation.created_at)
    query = select(Conversation).options(joinedload(Conversation.resident)).where(
        visible_to(staff))
    if view == "closed":
        query = query.where(Conversation.status == "closed").order_by(
            Conversation.closed_at.desc())
    else:
        query = query.where(Conversation.status != "closed").order_by(
            case((Conversation.crisis, 0), else_=1),
            case((Conversation.wants_human, 0), else_=1),
            since.asc(), Conversation.id)
        if view == "mine":
            query = query.where(Conversation.assigned_staff_id == staff.id)
    session = db()
    conversations = session.scalars(query.limit(LIMIT)).all()
    holder_ids = {c.assigned_staff_id for c in conversations if c.status == "staff"}
    holders = {s.id: s.shown_name for s in session.scalars(
        select(Staff).where(Staff.id.in_(holder_ids)))} if holder_ids else {}
    return [_row(c, holders) for c in conversations]


def _row(c: Conversation, holders: dict[int, str]) -> dict[str, Any]:
    routing = c.routing or {}
    since = waiting_since(c)
    return {
        "id": c.id, "resident": c.resident.display_name, "channel": CHANNELS.get(c.channel, c.channel),
        "status": c.status,
        "holder": holders.get(c.assigned_staff_id, "相談員") if c.status == "staff" else "",
        "crisis": c.crisis, "wants_human": c.wants_human,
        "multi_agency": bool(routing.get("multi_agency")),
        "categories": list(c.categories or []), "speaker": c.speaker or "",
        "district": district_name(c.district),
        "agencies": [a.get("name", "") for a in routing.get("agencies", [])][:3],
        "assigned_agency": agency_name(c.assigned_agency_id),
        "waiting_since": since.isoformat(), "outcome": c.outcome or "",
        "_since": since,
    }


def _crisis_count(rows: list[dict[str, Any]]) -> int:
    """Open crises only: a closed one is not waiting for anybody (and shows no badge)."""
    return sum(1 for r in rows if r["crisis"] and r["status"] != "closed")


def _view() -> str:
    view = request.args.get("view", "open")
    return view if view in VIEWS else "open"


@bp.get("/")
def inbox():  # type: ignore[no-untyped-def]
    view = _view()
    rows = inbox_rows(current_user, view)
    return render_template("console/inbox.html", rows=rows, view=view, views=VIEWS,
                           crisis_count=_crisis_count(rows))


@bp.get("/inbox.json")
def inbox_json():  # type: ignore[no-untyped-def]
    view = _view()
    rows = inbox_rows(current_user, view)
    html = render_template("console/_rows.html", rows=rows, view=view)
    return jsonify({
        "html": html,
        "crisis": _crisis_count(rows),
        "waiting": sum(1 for r in rows if r["wants_human"]),
        "ids": [r["id"] for r in rows],
        "rows": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows],
    })
