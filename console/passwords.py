"""Password hashing (argon2id) and login throttling.

After MAX_FAILURES wrong passwords for one e-mail address — whether or not an account
has it — that address is locked for LOCK_MINUTES. The messages are the same either way,
and an unknown address costs one hash like a known one.
"""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tsunagu import clock
from tsunagu.models.staff import LoginThrottle, Staff

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 12
WRONG = "メールアドレスまたはパスワードが正しくありません。"
LOCKED = (f"ログインに続けて失敗したため、このメールアドレスは{LOCK_MINUTES}分間ログインできません。"
          "時間をおいてお試しください。")

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not-a-password-of-anyone")


class LoginError(Exception):
    """Shown as it is on the login page."""


class PasswordError(ValueError):
    """A new password is not acceptable (the message says why)."""


def hash_password(password: str) -> str:
    check_new_password(password)
    return _hasher.hash(password)


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PasswordError(f"パスワードは{MIN_PASSWORD}文字以上にしてください。")
    if password.strip() != password:
        raise PasswordError("パスワードの前後に空白は使えません。")


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def staff_by_email(session: Session, email: str) -> Staff | None:
    """The account with this address, compared case-insensitively."""
    email = normalize_email(email)
    return session.scalar(select(Staff).where(func.lower(Staff.email) == email)) \
        if email else None


def verify(staff: Staff | None, password: str) -> bool:
    try:
        return _hasher.verify(staff.password_hash if staff else _DUMMY, password) and \
            staff is not None
    except (VerificationError, InvalidHashError):
        return False


def check_login(session: Session, email: str, password: str) -> Staff:
    """Return the account, or raise LoginError. Records failures in the caller's
    transaction (the caller commits either way)."""
    email = normalize_email(email)
    now = clock.now()
    throttle = session.get(LoginThrottle, email) if email else None
    if throttle and throttle.locked_until and throttle.locked_until > now:
        raise LoginError(LOCKED)
    staff = staff_by_email(session, email)
    if verify(staff, password) and staff is not None and staff.active:
        if throttle:
            session.delete(throttle)
        if _hasher.check_needs_rehash(staff.password_hash):
            staff.password_hash = _hasher.hash(password)
        staff.last_login_at = now
        return staff
    if email:
        if throttle is None:
            throttle = LoginThrottle(email=email[:254], failures=0)
            session.add(throttle)
        throttle.failures += 1
        throttle.last_failure_at = now
        if throttle.failures >= MAX_FAILURES:
            throttle.failures = 0
            throttle.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            raise LoginError(LOCKED)
    raise LoginError(WRONG)
