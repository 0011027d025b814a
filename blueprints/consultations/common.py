"""Shared by the consultation screens: the list's filters, the form's choices, applying a form."""
import functools
from datetime import date

from flask import request
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from blueprints.development.common import school_rows
from oms.extensions import db
from oms.files import store
from oms.models import Consultation, ConsultationCategory, ConsultationFile
from oms.models.base import search_filter
from oms.models.consultations import CHANNELS, STATUSES
from oms.services import consultations as svc
from oms.tenancy import current_tenant
from oms.text import clean

PER_PAGE = 30


@functools.cache
def _categories_statement():
    return ConsultationCategory.scoped_by_param().order_by(ConsultationCategory.position, ConsultationCategory.name)


def categories() -> list[ConsultationCategory]:
    return db.session.scalars(_categories_statement(), {"tenant_id": current_tenant.id}).all()


def schools() -> list:
    """The schools as rows with .id and .label (the filters' and the forms' lists)."""
    return school_rows()


def fill_choices(form, school_rows=None, category_rows=None) -> None:
    """The form's lists; a page that shows the schools and categories elsewhere too passes the rows it loaded."""
    form.school_id.set_choices([(s.id, s.label) for s in (schools() if school_rows is None else school_rows)])
    form.category_id.set_choices([(c.id, c.name) for c in (categories() if category_rows is None else category_rows)])
    form.plan_item_id.params = {"about": "консультац"}  # found with the picker: the items about consultations


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


def filters() -> dict:
    args = request.args
    return {"q": args.get("q", "").strip()[:100], "school": args.get("school", type=int),
            "consultant": args.get("consultant", type=int), "category": args.get("category", type=int),
            "status": args.get("status") if args.get("status") in STATUSES else "",
            "channel": args.get("channel") if args.get("channel") in CHANNELS else "",
            "date_from": _date_arg("date_from"), "date_to": _date_arg("date_to"),
            "plan_item": args.get("plan_item", type=int)}


def filtered(f):
    stmt = Consultation.scoped()
    if f["q"]:
        stmt = stmt.where(*search_filter(Consultation, f["q"]))
    for key, column in (("school", Consultation.school_id), ("consultant", Consultation.consultant_id),
                        ("category", Consultation.category_id), ("status", Consultation.status),
                        ("channel", Consultation.channel), ("plan_item", Consultation.plan_item_id)):
        if f[key]:
            stmt = stmt.where(column == f[key])
    return svc.in_period(stmt, f["date_from"], f["date_to"])


def apply(c: Consultation, form, new: bool) -> bool:
    """Copy the form into the consultation; False (with messages next to the fields) when it cannot be saved."""
    ok = True
    name = clean(form.asker_name.data)
    c.asker_kind = form.asker_kind.data
    c.asker_person_id = None
    school_id = form.school_id.data
    if c.asker_kind == "person":
        people = form.asker_person_id.people
        if not people:
            form.asker_person_id.errors.append(_("Найдите педагога в реестре или выберите, кто обратился, иначе."))
            ok = False
        else:
            c.asker_person_id = people[0].id
            name = people[0].full_name
            school_id = school_id or people[0].school_id
    status = form.status.data if new else c.status
    if status == "held":
        why = svc.check_held_time(form.held_at.data)
        if why:
            form.held_at.errors.append(why)
            ok = False
    if not ok:
        return False
    c.held_at = form.held_at.data
    c.status = status
    c.form = form.form.data
    c.channel = form.channel.data
    c.consultant_id = form.consultant_id.data
    c.asker_name = name
    c.participants = form.participants.data if c.form == "group" else None
    c.school_id = school_id
    c.topic = clean(form.topic.data)
    c.category_id = form.category_id.data
    c.answer = (form.answer.data or "").strip()
    c.plan_item_id = form.plan_item_id.data
    return True


def store_files(c: Consultation, form) -> None:
    if form.attachments.uploads:
        db.session.flush()
    for upload in form.attachments.uploads:
        db.session.add(store(ConsultationFile(tenant_id=c.tenant_id, consultation_id=c.id), upload))


def file_counts(ids) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(_file_counts_statement(), {"ids": list(ids)}).all())


@functools.cache
def _file_counts_statement():
    """file_counts' select, built once (its parameter: the consultations' ids)."""
    from sqlalchemy import func

    return (select(ConsultationFile.consultation_id, func.count())
            .where(ConsultationFile.consultation_id.in_(bindparam("ids", expanding=True)))
            .group_by(ConsultationFile.consultation_id))
