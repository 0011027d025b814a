from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from oms.concurrency import remember_result, save_versioned, submit_once
from oms.extensions import db
from oms.models import AuthSession, PasswordLink, User
from oms.models.base import search_filter
from oms.permissions import ROLE_LABELS, Role, require
from oms.tenancy import current_tenant
from oms.views import external_url, render_page_or_partial

from . import bp
from .forms import ROLE_CHOICES, RoleForm, UserForm


def _user_or_404(user_id) -> User:
    return User.get_or_404(user_id)


@bp.before_request
def admins_only():
    require("users.manage")


@bp.route("/")
def index():
    return _index()


def _index(status: int = 200):
    q = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    stmt = User.scoped().order_by(User.full_name, User.id)
    if q:
        stmt = stmt.where(*search_filter(User, q))
    if role in {value for value, _label in ROLE_CHOICES}:
        stmt = stmt.where(User.role == role)
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=50, error_out=False)
    return render_page_or_partial("users/index.html", "users/_table.html", page=page, q=q, role=role,
                                  role_choices=ROLE_CHOICES, role_form=RoleForm()), status


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = UserForm()
    repeat = submit_once(form)  # a double click creates one user
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        user = User(tenant_id=current_tenant.id, full_name=form.full_name.data.strip(),
                    email=User.normalise_email(form.email.data), role=form.role.data)
        db.session.add(user)
        token = PasswordLink.issue(user)
        remember_result(url_for("users.index"))
        db.session.commit()
        return render_template("users/link.html", user=user, link=_link(token), created=True)
    status = 422 if request.method == "POST" else 200
    return render_page_or_partial("users/new.html", "users/_form.html", form=form), status


def _link(token: str) -> str:
    return external_url("auth.set_password", token=token)


@bp.route("/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm()
    error = conflict = None
    if not form.validate_on_submit():
        error = _("Выберите роль из списка.")
    elif user.id == current_user.id and form.role.data != Role.ADMIN:
        error = _("Нельзя снять роль администратора с самого себя.")
    else:
        def apply():
            user.role = form.role.data
            AuthSession.revoke_all(user)  # rights change: the user signs in again

        conflict = save_versioned(form, user, apply)
    return _row(user, error, conflict)


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    user = _user_or_404(user_id)
    error = None
    if not FlaskForm().validate_on_submit():
        error = _("Форма устарела, обновите страницу.")
    elif user.id == current_user.id:
        error = _("Нельзя отключить собственную учётную запись.")
    else:
        user.is_active_account = False
        AuthSession.revoke_all(user)
        db.session.commit()
    return _row(user, error)


@bp.route("/<int:user_id>/activate", methods=["POST"])
def activate(user_id: int):
    user = _user_or_404(user_id)
    user.is_active_account = True
    db.session.commit()
    return _row(user)


@bp.route("/<int:user_id>/reset", methods=["POST"])
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    token = PasswordLink.issue(user)
    db.session.commit()
    if request.headers.get("HX-Request") == "true":
        return render_template("users/_link.html", user=user, link=_link(token))
    return render_template("users/link.html", user=user, link=_link(token), created=False)


def _row(user: User, error: str | None = None, conflict=None):
    status = 409 if conflict else 422 if error else 200
    if request.headers.get("HX-Request") == "true":
        return render_template("users/_row.html", u=user, error=error, conflict=conflict, role_form=RoleForm(),
                               ROLE_LABELS=ROLE_LABELS), status
    if conflict:
        flash(_conflict_text(conflict), "error")
        return _index(409)
    if error:
        flash(error, "error")
    return redirect(url_for("users.index"))


def _conflict_text(conflict) -> str:
    row = conflict.rows[0]
    if conflict.changed_by:
        return _("Роль уже изменили (%(who)s, %(when)s): сейчас «%(current)s», вы выбрали «%(yours)s». "
                 "Выберите роль ещё раз, чтобы сохранить свой вариант.", who=conflict.changed_by,
                 when=conflict.changed_at, current=row.current, yours=row.yours)
    return _("Роль уже изменили: сейчас «%(current)s», вы выбрали «%(yours)s». "
             "Выберите роль ещё раз, чтобы сохранить свой вариант.", current=row.current, yours=row.yours)
