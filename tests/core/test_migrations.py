"""Migrations match the models, have one head, and downgrade cleanly."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory

from tsunagu import db


def test_one_head():
    scripts = ScriptDirectory.from_config(db.alembic_config("sqlite://"))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()


def test_models_and_migrations_do_not_drift(db_url):
    command.check(db.alembic_config(db_url))  # raises on any difference


def test_downgrade_to_base_and_back(db_url):
    cfg = db.alembic_config(db_url)
    db.dispose_all()
    command.downgrade(cfg, "base")
    db.upgrade(db_url)
    command.check(cfg)
