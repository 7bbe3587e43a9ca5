"""The web application: `create_app()` is the only way to get one. Each feature is a
blueprint (web chat, LINE and Telegram webhooks, staff console)."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from flask import Flask, jsonify

from tsunagu import db
from tsunagu.config import Settings, get_settings

# (module, blueprint attribute). A new channel or feature adds a line; the module may
# also define init_app(app).
BLUEPRINTS = [
    ("bots.simulator", "bp"),
    ("bots.line", "bp"),
    ("bots.telegram", "bp"),
    ("console", "bp"),
]


def create_app(settings: Settings | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    settings = settings or get_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TSUNAGU=settings,
        MAX_CONTENT_LENGTH=1024 * 1024,  # webhooks and forms stay far below this
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if test_config:
        app.config.update(test_config)
    app.extensions["tsunagu.db"] = db.session_factory(settings.sqlalchemy_url)

    for module_name, attr in BLUEPRINTS:
        module = importlib.import_module(module_name)
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)
        app.register_blueprint(getattr(module, attr))

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        ok = db.ping(settings.sqlalchemy_url)
        return jsonify({"status": "ok" if ok else "error", "database": ok}), 200 if ok else 503

    @app.get("/")
    def index():  # type: ignore[no-untyped-def]
        from flask import redirect

        return redirect("/simulator")

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return app


def session_factory(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["tsunagu.db"]
