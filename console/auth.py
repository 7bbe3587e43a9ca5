"""Login, logout and the account page. Every console page needs a login; the login page
is the only exception."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from console import bp
from console.audit import do_audit
from console.passwords import LoginError, PasswordError, check_login, hash_password, verify
from console.store import close, db
from tsunagu.models.staff import Staff

login_manager = LoginManager()
login_manager.login_view = "console.login"
login_manager.login_message = "ログインしてください。"
login_manager.session_protection = "strong"
csrf = CSRFProtect()

bp.teardown_app_request(close)

OPEN_ENDPOINTS = {"console.login", "console.static"}


@login_manager.user_loader
def load_staff(staff_id: str) -> Staff | None:
    if not staff_id.isdigit():
        return None
    staff = db().get(Staff, int(staff_id))
    return staff if staff is not None and staff.active else None


@bp.before_request
def require_login():  # type: ignore[no-untyped-def]
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/console/") and not urlsplit(target).netloc \
            and not target.startswith("//"):
        return target
    return url_for("console.inbox")


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")[:254]
        session = db()
        try:
            staff = check_login(session, email, request.form.get("password", ""))
        except LoginError as exc:
            session.commit()  # keep the failure count
            error = str(exc)
        else:
            do_audit(session, staff, "login")
            session.commit()
            login_user(staff)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("console/login.html", error=error, email=email), \
        (401 if error else 200)


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    do_audit(db(), current_user, "logout")
    db().commit()
    logout_user()
    flash("ログアウトしました。")
    return redirect(url_for("console.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():  # type: ignore[no-untyped-def]
    """The staff member's own name (shown to residents at takeover) and password."""
    staff: Staff = current_user  # type: ignore[assignment]
    if request.method == "POST":
        name = request.form.get("display_name", "").strip()
        if len(name) > 20:
            flash("表示名は20文字以内にしてください。", "error")
            return redirect(url_for("console.account"))
        staff.display_name = name
        new = request.form.get("new_password", "")
        if new:
            if not verify(staff, request.form.get("current_password", "")):
                flash("いまのパスワードが正しくありません。", "error")
                return redirect(url_for("console.account"))
            try:
                staff.password_hash = hash_password(new)
            except PasswordError as exc:
                flash(str(exc), "error")
                return redirect(url_for("console.account"))
        db().commit()
        flash("保存しました。")
        return redirect(url_for("console.account"))
    return render_template("console/account.html")


@bp.errorhandler(403)
def forbidden(_error):  # type: ignore[no-untyped-def]
    return render_template("console/error.html", title="表示できません",
                           message="この相談は担当外か、管理者だけが見られるページです。"), 403


@bp.errorhandler(404)
def not_found(_error):  # type: ignore[no-untyped-def]
    return render_template("console/error.html", title="見つかりません",
                           message="そのページや相談は見つかりませんでした。"), 404


@bp.errorhandler(CSRFError)
def csrf_failed(_error):  # type: ignore[no-untyped-def]
    return render_template("console/error.html", title="もう一度お試しください",
                           message="ページの有効期限が切れたため、送信できませんでした。"
                           "ページを開き直してから、もう一度操作してください。"), 400
