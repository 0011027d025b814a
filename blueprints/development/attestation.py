"""Attestation: who is due soon (or overdue), and each person's attestation history.

The latest attestation sets the person's category and its date in the registry (Person.category,
Person.category_date); the next one is due five years later unless the record says otherwise.
"""
from flask import flash, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.orm import joinedload

from oms.concurrency import remember_result, save_versioned, submit_once
from oms.extensions import db
from oms.models import Attestation, Person
from oms.models.development import ATTESTATION_CATEGORIES, add_months
from oms.models.people import CATEGORY_LABELS
from oms.permissions import require
from oms.services.development import (apply_latest_attestation, default_next_due, facts_for, is_teacher,
                                      with_attestation_due)
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import render_page_or_partial

from . import bp
from .common import (PER_PAGE, all_schools, choice_arg, form_page, go, list_filters, of_people, one_or_404, page_number,
                     person_or_404, today)
from .forms import AttestationForm

PERIODS = {"soon": _l("В ближайшие 6 месяцев"), "overdue": _l("Срок прошёл"), "year": _l("В ближайшие 12 месяцев"),
           "all": _l("Все со сроком")}


def _filters():
    return list_filters(period=choice_arg("period", PERIODS, "soon"),
                        category=choice_arg("category", {*ATTESTATION_CATEGORIES, "none"}))


@bp.route("/attestation/")
def attestation():
    require("development.view")
    day = today()
    f = _filters()
    stmt, due = with_attestation_due(Person.scoped())
    stmt = stmt.where(is_teacher(), due.is_not(None))
    if f["period"] == "soon":
        stmt = stmt.where(due >= day, due < add_months(day, 6))
    elif f["period"] == "year":
        stmt = stmt.where(due >= day, due < add_months(day, 12))
    elif f["period"] == "overdue":
        stmt = stmt.where(due < day)
    stmt = of_people(stmt, f)
    if f["category"] == "none":
        stmt = stmt.where(Person.category == "")
    elif f["category"]:
        stmt = stmt.where(Person.category == f["category"])
    page = db.paginate(stmt.options(joinedload(Person.school)).order_by(due, Person.last_name, Person.id),
                       page=page_number(), per_page=PER_PAGE, error_out=False)
    facts = facts_for([p.id for p in page.items], day)
    return render_page_or_partial(
        "development/attestation.html", "development/_attestation_table.html", page=page, f=f, facts=facts,
        today=day, schools=all_schools(), PERIODS=PERIODS, CATEGORIES=CATEGORY_LABELS,
        ATTESTATION_CATEGORIES=ATTESTATION_CATEGORIES,
        filtered=bool(f["q"] or f["school"] or f["category"] or f["period"] != "soon"))


def _fill(record: Attestation, form: AttestationForm) -> None:
    record.category = form.category.data
    record.passed_on = form.passed_on.data
    record.order_number = clean(form.order_number.data)
    record.next_due = form.next_due.data or default_next_due(form.passed_on.data)
    record.note = clean(form.note.data)


@bp.route("/people/<int:person_id>/attestations/new", methods=["GET", "POST"])
def attestation_new(person_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    form = AttestationForm()
    if request.method == "GET" and person.category in ATTESTATION_CATEGORIES:
        form.category.data = person.category
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        record = Attestation(tenant_id=current_tenant.id, person_id=person.id)
        _fill(record, form)
        db.session.add(record)
        db.session.flush()
        apply_latest_attestation(person)
        remember_result(url_for("development.person", person_id=person.id, _anchor="attestation"))
        db.session.commit()
        flash(_("Аттестация записана; категория в карточке педагога обновлена по последней аттестации."), "success")
        return go(url_for("development.person", person_id=person.id, _anchor="attestation"))
    status = 422 if request.method == "POST" else 200
    return form_page("development/attestation_form.html", "development/_attestation_form.html", status,
                     form=form, person=person, record=None, conflict=None)


def record_or_404(attestation_id) -> Attestation:
    return one_or_404(Attestation, attestation_id, options=[joinedload(Attestation.person).joinedload(Person.school)])


@bp.route("/attestations/<int:attestation_id>/edit", methods=["GET", "POST"])
def attestation_edit(attestation_id: int):
    record = record_or_404(attestation_id)
    require("development.edit")
    form = AttestationForm(obj=record) if request.method == "GET" else AttestationForm()
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        def apply():
            _fill(record, form)
            apply_latest_attestation(record.person)  # the person's category follows their latest attestation

        conflict = save_versioned(form, record, apply)
        if conflict is None:
            flash(_("Аттестация сохранена."), "success")
            return go(url_for("development.person", person_id=record.person_id, _anchor="attestation"))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("development/attestation_form.html", "development/_attestation_form.html", status,
                     form=form, person=record.person, record=record, conflict=conflict)


@bp.route("/attestations/<int:attestation_id>/delete", methods=["POST"])
def attestation_delete(attestation_id: int):
    record = record_or_404(attestation_id)
    require("development.edit")
    person = record.person
    db.session.delete(record)
    db.session.flush()
    apply_latest_attestation(person)
    db.session.commit()
    flash(_("Запись об аттестации удалена."), "success")
    return go(url_for("development.person", person_id=person.id, _anchor="attestation"))
