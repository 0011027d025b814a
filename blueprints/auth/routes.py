from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from limits import parse as parse_limit

from oms.audit import record
from oms.extensions import db, limiter
from oms.models import AuthSession, PasswordLink, User
from oms.models.base import utcnow
from oms.security import end_session, start_session

from . import bp
from .forms import ChangePasswordForm, LoginForm, NewPasswordForm

LOGIN_FAILED = 422


def safe_next(target: str | None) -> str | None:
    """Follow `next` only to a path on this site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 0x20 or ch == "\\" or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_url_for(user) -> str:
    if user.is_operator:
        return url_for("platform.index")
    if user.role == "leader":
        return url_for("workspace.leader_home", slug=user.tenant.slug)
    if user.role == "teacher":
        return url_for("me.index", slug=user.tenant.slug)
    return url_for("home.index", slug=user.tenant.slug)


def _fresh_session() -> None:
    """Drop everything in the session but the language the user chose (it outlives logging in and out)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _login_failed(response) -> bool:
    return response.status_code == LOGIN_FAILED


def _account_key() -> str:
    return "login:" + User.normalise_email(request.form.get("email", ""))[:254]


def _pretend_check(password: str) -> None:
    """A login of an account that does not exist or has no password: a dummy hash within the budget
    (LOGIN_UNKNOWN_HASHES, all addresses together), beyond it only the wait. A flood of made-up
    addresses gets the usual answer at the usual pace, and does not take the CPU from everyone."""
    budget = parse_limit(current_app.config["LOGIN_UNKNOWN_HASHES"])
    if limiter.limiter.hit(budget, "login-unknown-account"):
        User.waste_time_like_a_check(password)
    else:
        User.wait_like_a_check()


@bp.route("/")
def root():
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_FAILS_PER_ACCOUNT"], key_func=_account_key,
               deduct_when=_login_failed, methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_FAILS_PER_ADDRESS"],
               deduct_when=_login_failed, methods=["POST"])
def login():
    target = safe_next(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target or home_url_for(current_user))
    form = LoginForm()
    if not form.validate_on_submit():
        status = LOGIN_FAILED if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status

    email = User.normalise_email(form.email.data)
    user = db.session.scalar(db.select(User).where(User.email == email))
    db.session.commit()  # end the transaction: the hash takes ~1 s and must not hold SQLite's write lock
    if user is None or not user.password_hash:
        _pretend_check(form.password.data)  # as long as a real check: the timing tells no account apart
    if user is None or not user.password_hash or not user.check_password(form.password.data) \
            or not user.can_log_in:
        record("login_failed", summary=email[:254], tenant_id=user.tenant_id if user else None)
        db.session.commit()
        form.password.errors.append(_("Неверная почта или пароль, либо вход для этой учётной записи закрыт."))
        return render_template("auth/login.html", form=form), LOGIN_FAILED

    _fresh_session()  # a fresh session at every login
    start_session(user, remember=form.remember.data)
    # Not through the versioned row: two logins of one account at once must not conflict.
    db.session.execute(db.update(User).where(User.id == user.id).values(last_login_at=utcnow()))
    record("login", user, user=user)
    db.session.commit()
    login_user(user, remember=form.remember.data)
    return redirect(target or home_url_for(user))


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        record("logout", current_user)
        end_session()
        db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("Вы вышли из системы."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    link = PasswordLink.find_valid(token)
    if link is None:
        return render_template("auth/link_invalid.html"), 404
    user = link.user
    form = NewPasswordForm(user_inputs=[user.email, user.full_name])
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("auth/set_password.html", form=form, user=user), status
    db.session.commit()  # hashing takes a second: not inside a transaction holding SQLite's write lock
    user.set_password(form.password.data)
    # The link is used once even if two submissions raced past the check above.
    used = db.session.execute(db.update(PasswordLink).where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
                              .values(used_at=utcnow()))
    if used.rowcount != 1:
        db.session.rollback()
        return render_template("auth/link_invalid.html"), 404
    AuthSession.revoke_all(user)
    record("password_set", user, user=user, tenant_id=user.tenant_id)
    db.session.commit()
    if current_user.is_authenticated:
        logout_user()
        _fresh_session()
    flash(_("Пароль сохранён. Войдите с новым паролем."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm(user_inputs=[current_user.email, current_user.full_name])
    if form.validate_on_submit():
        db.session.commit()  # hashing takes seconds: not inside a transaction holding SQLite's write lock
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Текущий пароль указан неверно."))
        else:
            user = current_user._get_current_object()
            user.set_password(form.password.data)
            AuthSession.revoke_all(user)
            record("password_changed", user)
            _fresh_session()
            start_session(user, remember=False)
            db.session.commit()
            login_user(user)
            flash(_("Пароль изменён. Другие входы в вашу учётную запись завершены."), "success")
            return redirect(home_url_for(user))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/lang", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("auth.root"))
