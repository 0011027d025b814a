"""The district's audit trail for its admin: filters, pages, readable in the user's language. Read-only by design."""
from datetime import datetime, time, timedelta

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_utc
from wtforms import DateField, Form, SelectField
from wtforms.validators import Optional

from oms.extensions import db
from oms.models import AuditEvent, User
from oms.permissions import require
from oms.tenancy import current_tenant_id
from oms.text import whole_number
from oms.views import render_page_or_partial

from . import bp
from .labels import (ACTION_LABELS, action_label, change_lines, local_time, object_label, resolved_names,
                     summary_text)

OTHERS = "others"  # the platform operator and the system: authors who are not the district's users


class AuditFilter(Form):
    who = SelectField(_l("Кто"), choices=[], validate_choice=False)
    action = SelectField(_l("Действие"), choices=[], validate_choice=False)
    object = SelectField(_l("Объект"), choices=[], validate_choice=False)
    since = DateField(_l("С"), format="%Y-%m-%d", validators=[Optional()])
    until = DateField(_l("По"), format="%Y-%m-%d", validators=[Optional()])


@bp.before_request
def admins_only():
    require("audit.view")


@bp.route("/")
def index():
    tenant_id = current_tenant_id()
    users = db.session.execute(
        db.select(User.id, User.full_name, User.email).where(User.tenant_id == tenant_id)
        .order_by(User.full_name, User.id)).all()
    types = db.session.scalars(
        db.select(AuditEvent.object_type).where(AuditEvent.tenant_id == tenant_id, AuditEvent.object_type != "")
        .distinct()).all()

    form = AuditFilter(request.args)
    form.who.choices = ([("", _("Все")), (OTHERS, _("Оператор платформы и система"))]
                        + [(str(u.id), f"{u.full_name} ({u.email})") for u in users])
    form.action.choices = [("", _("Все действия"))] + list(ACTION_LABELS.items())
    form.object.choices = [("", _("Все объекты"))] + sorted(((t, object_label(t)) for t in types), key=lambda c: c[1])
    form.validate()
    for field in (form.since, form.until):
        if field.errors:
            field.errors = [_("Дата в формате дд.мм.гггг.")]
    if form.since.data and form.until.data and form.since.data > form.until.data:
        form.until.errors = [_("Конец периода раньше начала.")]

    stmt = _filtered(form, tenant_id, [u.id for u in users])
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=50, error_out=False)
    names = resolved_names(page.items, tenant_id)
    entries = [_entry(event, names) for event in page.items]
    filtered = any(request.args.get(k) for k in ("who", "action", "object", "since", "until"))
    return render_page_or_partial("audit/index.html", "audit/_table.html", form=form, page=page, entries=entries,
                                  filtered=filtered)


def _filtered(form, tenant_id: int, district_user_ids: list[int]):
    stmt = db.select(AuditEvent).where(AuditEvent.tenant_id == tenant_id).order_by(AuditEvent.id.desc())
    who = form.who.data or ""
    if who == OTHERS:
        stmt = stmt.where(AuditEvent.user_id.is_(None) | AuditEvent.user_id.not_in(district_user_ids or [0]))
    elif whole_number(who) in district_user_ids:
        stmt = stmt.where(AuditEvent.user_id == whole_number(who))
    if form.action.data in ACTION_LABELS:
        stmt = stmt.where(AuditEvent.action == form.action.data)
    if form.object.data:
        stmt = stmt.where(AuditEvent.object_type == form.object.data[:60])
    if form.since.data and not form.since.errors and (since := _day_start(form.since.data)):
        stmt = stmt.where(AuditEvent.at >= since)
    if form.until.data and not form.until.errors and (until := _day_start(form.until.data, 1)):
        stmt = stmt.where(AuditEvent.at < until)
    return stmt


def _day_start(day, later_by: int = 0):
    """The start of the day (plus some days) in UTC; None at the edge of the calendar (year 1 or 9999),
    where the bound leaves nothing out anyway."""
    try:
        return to_utc(datetime.combine(day + timedelta(days=later_by), time.min))
    except OverflowError:
        return None


def _entry(event: AuditEvent, names: dict) -> dict:
    return {
        "at": local_time(event.at),
        "who": event.user_email or (_("система") if event.user_id is None else ""),
        "action": action_label(event.action),
        "action_code": event.action,
        "object": object_label(event.object_type),
        "object_id": event.object_id,
        "summary": summary_text(event),
        "changes": change_lines(event.object_type, event.action, event.changes, names),
        "address": event.address,
    }
