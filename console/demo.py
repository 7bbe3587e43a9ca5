"""The demo administrator for `make run` (demo mode only). No default password exists
anywhere else: a random one is made on first use and kept in var/demo-admin.txt (0600)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.passwords import hash_password, verify
from tsunagu.models.staff import Staff

DEMO_EMAIL = "demo-admin@example.jp"


def _write_secret(path: Path, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password + "\n")
    os.chmod(path, 0o600)


def ensure_demo_admin(factory: sessionmaker[Session],
                      var_dir: Path | str | None = None) -> tuple[str, str]:
    """(email, password) of the demo admin, creating it on the first call."""
    if var_dir is None:
        from tsunagu.config import get_settings

        var_dir = get_settings().var_dir
    path = Path(var_dir) / "demo-admin.txt"
    stored = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    with factory.begin() as session:
        staff = session.scalar(select(Staff).where(Staff.email == DEMO_EMAIL))
        if staff is not None and stored and verify(staff, stored):
            return DEMO_EMAIL, stored
        password = secrets.token_urlsafe(12)
        if staff is None:
            session.add(Staff(email=DEMO_EMAIL, password_hash=hash_password(password),
                              role="admin", display_name="デモ", active=True))
        else:
            staff.password_hash = hash_password(password)
            staff.active = True
        _write_secret(path, password)
    return DEMO_EMAIL, password
