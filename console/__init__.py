"""The staff console: consultants and 包括化推進員 watch the chat entrance, take a
conversation over, reply through the resident's channel, refer the case and hand it back.

Blueprints by feature, as in the Flask tutorial: auth (login, account), inbox,
conversation (view and actions), sheet (つなぐシート), admin (audit log, 定型文, feedback
export). Every view that touches a conversation goes through
`console.access.access_conversation_by_id`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

bp = Blueprint("console", __name__, url_prefix="/console",
               template_folder="templates", static_folder="static")

# Blueprints that receive machine posts (webhooks, the web chat API): no CSRF token there.
CSRF_EXEMPT_BLUEPRINTS = ("bots.line", "bots.telegram", "bots.simulator")


def init_app(app: Flask) -> None:
    """Flask-Login, CSRF protection, template helpers and the privacy scrubber."""
    import importlib

    from console import privacy
    from console.auth import csrf, login_manager

    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=10))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # tied to the session instead
    login_manager.init_app(app)
    csrf.init_app(app)
    for name in CSRF_EXEMPT_BLUEPRINTS:
        csrf.exempt(importlib.import_module(name).bp)
    privacy.register()


@bp.after_request
def _no_store(response):  # type: ignore[no-untyped-def]
    """Consultation content must not stay in browser or proxy caches."""
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


# The views register themselves on `bp`.
from console import admin, auth, bookings, conversation, inbox, sheet, templating  # noqa: F401
