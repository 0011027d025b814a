from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func

from oms import rls
from oms.audit import record
from oms.concurrency import remember_result, save_versioned, submit_once
from oms.extensions import db
from oms.models import AuthSession, PasswordLink, Tenant, User
from oms.models.base import utcnow
from oms.permissions import Role, can
from oms.services.presets import PROFILE_FIELDS, apply_profile, load_preset
from oms.services.districts import configure_from_preset, name_the_service
from oms.tenancy import login_redirect
from oms.views import external_url

from . import bp
from .forms import DistrictForm, NewDistrictForm


@bp.before_request
def operator_only():
    if not current_user.is_authenticated:
        return login_redirect()
    if not can("platform.manage"):
        record("denied", summary="platform.manage")
        db.session.commit()
        abort(403)
    rls.all_districts()  # the operator's console spans districts (PostgreSQL row-level security)


def _district_or_404(district_id: int) -> Tenant:
    tenant = db.session.get(Tenant, district_id)  # the operator's own table: not tenant data
    if tenant is None:
        abort(404)
    return tenant


@bp.route("/")
def index():
    counts = dict(db.session.execute(
        db.select(User.tenant_id, func.count(User.id)).where(User.tenant_id.is_not(None)).group_by(User.tenant_id)
    ).all())
    districts = db.session.scalars(db.select(Tenant).order_by(Tenant.name)).all()
    return render_template("platform/index.html", districts=districts, counts=counts)


@bp.route("/districts/new", methods=["GET", "POST"])
def create_district():
    form = NewDistrictForm()
    if request.method == "GET":
        form.preset.data = "blank"
    repeat = submit_once(form)  # a double click creates one district
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        tenant = Tenant(slug=form.slug.data.strip())
        preset = load_preset(form.preset.data)
        apply_profile(tenant, preset)
        _fill_profile(tenant, form)
        tenant.preset = form.preset.data
        db.session.add(tenant)
        db.session.flush()
        configure_from_preset(tenant, preset)
        name_the_service(tenant, preset)
        admin = User(tenant=tenant, email=User.normalise_email(form.admin_email.data),
                     full_name=form.admin_name.data.strip(), role=Role.ADMIN)
        db.session.add(admin)
        token = PasswordLink.issue(admin)
        remember_result(url_for("platform.index"))
        db.session.commit()
        link = external_url("auth.set_password", token=token)
        return render_template("platform/created.html", tenant=tenant, admin=admin, link=link)
    status = 422 if request.method == "POST" else 200
    return render_template("platform/new.html", form=form), status


def _fill_profile(tenant: Tenant, form) -> None:
    for field in PROFILE_FIELDS + ("model_kind",):
        value = getattr(form, field).data
        if isinstance(value, str):
            value = value.strip()
        setattr(tenant, field, value)
    tenant.partners = "\n".join(p.strip() for p in (form.partners.data or "").splitlines() if p.strip())


@bp.route("/districts/<int:district_id>/edit", methods=["GET", "POST"])
def edit_district(district_id: int):
    tenant = _district_or_404(district_id)
    form = DistrictForm(obj=tenant)
    if form.validate_on_submit():
        conflict = save_versioned(form, tenant, lambda: _fill_profile(tenant, form))
        if conflict is None:
            flash(_("Профиль района сохранён."), "success")
            return redirect(url_for("platform.index"))
        return render_template("platform/edit.html", form=form, tenant=tenant, conflict=conflict), 409
    status = 422 if request.method == "POST" else 200
    return render_template("platform/edit.html", form=form, tenant=tenant), status


@bp.route("/districts/<int:district_id>/suspend", methods=["POST"])
def suspend_district(district_id: int):
    tenant = _district_or_404(district_id)
    tenant.is_suspended = True
    # End every open session of the district's users at once.
    db.session.execute(
        db.update(AuthSession)
        .where(AuthSession.user_id.in_(db.select(User.id).where(User.tenant_id == tenant.id)),
               AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    flash(_("Работа района «%(name)s» приостановлена: его пользователи не могут войти. Данные сохранены.",
            name=tenant.name), "warning")
    return redirect(url_for("platform.index"))


@bp.route("/districts/<int:district_id>/resume", methods=["POST"])
def resume_district(district_id: int):
    tenant = _district_or_404(district_id)
    tenant.is_suspended = False
    db.session.commit()
    flash(_("Район «%(name)s» снова работает.", name=tenant.name), "success")
    return redirect(url_for("platform.index"))
