"""Mentoring (наставничество): pairs, their meetings log, young specialists left without a mentor."""
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import not_, or_
from sqlalchemy.orm import aliased, joinedload, selectinload

from oms.concurrency import remember_result, save_versioned, submit_once
from oms.extensions import db
from oms.models import MentoringMeeting, Mentorship, Person
from oms.permissions import can, require
from oms.services.development import has_active_mentor
from oms.tenancy import current_tenant
from oms.text import clean, fold
from oms.views import is_htmx, render_page_or_partial

from . import bp
from .common import (PER_PAGE, all_schools, associations, choice_arg, form_page, go, list_filters, one_or_404,
                     page_number, person_or_404, today)
from .forms import MentoringMeetingForm, MentorshipForm

PAIR_FILTERS = {"active": _l("Действующие"), "finished": _l("Завершённые"), "all": _l("Все")}
UNMENTORED_SHOWN = 8


def pair_or_404(mentorship_id) -> Mentorship:
    return one_or_404(Mentorship, mentorship_id, options=[
        joinedload(Mentorship.mentor).joinedload(Person.school),
        joinedload(Mentorship.mentee).joinedload(Person.school), joinedload(Mentorship.body),
        selectinload(Mentorship.meetings)], populate_existing=True)


def _filters():
    return list_filters(status=choice_arg("status", PAIR_FILTERS, "active"))


@bp.route("/mentoring/")
def mentoring():
    require("development.view")
    day = today()
    f = _filters()
    mentor, mentee = aliased(Person), aliased(Person)
    stmt = (Mentorship.scoped().join(mentor, mentor.id == Mentorship.mentor_id)
            .join(mentee, mentee.id == Mentorship.mentee_id))
    for word in fold(f["q"]).split():
        stmt = stmt.where(or_(mentor.search_key.contains(word, autoescape=True),
                              mentee.search_key.contains(word, autoescape=True)))
    if f["school"]:
        stmt = stmt.where(or_(mentee.school_id == f["school"], mentor.school_id == f["school"]))
    active = (Mentorship.date_from <= day) & or_(Mentorship.date_to.is_(None), Mentorship.date_to >= day)
    if f["status"] == "active":
        stmt = stmt.where(active)
    elif f["status"] == "finished":
        stmt = stmt.where(not_(active))
    page = db.paginate(
        stmt.options(joinedload(Mentorship.mentor).joinedload(Person.school),
                     joinedload(Mentorship.mentee).joinedload(Person.school), joinedload(Mentorship.body))
        .order_by(mentee.last_name, mentee.first_name, Mentorship.date_from.desc(), Mentorship.id),
        page=page_number(), per_page=PER_PAGE, error_out=False)
    meeting_counts = _meeting_counts([p.id for p in page.items])
    unmentored_stmt = Person.scoped().where(Person.is_young_specialist.is_(True), not_(has_active_mentor(day)))
    unmentored_total = db.session.scalar(unmentored_stmt.with_only_columns(db.func.count(Person.id)))
    unmentored = db.session.scalars(unmentored_stmt.options(joinedload(Person.school))
                                    .order_by(Person.last_name, Person.first_name).limit(UNMENTORED_SHOWN)).all()
    return render_page_or_partial(
        "development/mentoring.html", "development/_pairs_table.html", page=page, f=f, today=day,
        schools=all_schools(), meeting_counts=meeting_counts, unmentored=unmentored,
        unmentored_total=unmentored_total, PAIR_FILTERS=PAIR_FILTERS,
        filtered=bool(f["q"] or f["school"] or f["status"] != "active"))


def _meeting_counts(ids) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(
        db.select(MentoringMeeting.mentorship_id, db.func.count(MentoringMeeting.id))
        .where(MentoringMeeting.mentorship_id.in_(ids)).group_by(MentoringMeeting.mentorship_id)).all())


def _fill_choices(form: MentorshipForm) -> None:
    form.body_id.set_choices([(b.id, b.name) for b in associations()])


def _fill(pair: Mentorship, form: MentorshipForm) -> None:
    pair.mentee_id = form.mentee_id.data
    pair.mentor_id = form.mentor_id.data
    pair.body_id = form.body_id.data
    pair.date_from = form.date_from.data
    pair.date_to = form.date_to.data
    pair.goals = (form.goals.data or "").strip()
    pair.result = (form.result.data or "").strip()


@bp.route("/mentoring/new", methods=["GET", "POST"])
def mentorship_new():
    require("development.edit")
    form = MentorshipForm()
    _fill_choices(form)
    if request.method == "GET":
        mentee_id = request.args.get("mentee_id", type=int)
        if mentee_id:
            form.mentee_id.data = person_or_404(mentee_id).id
        form.date_from.data = today()
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        pair = Mentorship(tenant_id=current_tenant.id)
        _fill(pair, form)
        db.session.add(pair)
        db.session.flush()
        remember_result(url_for("development.mentorship", mentorship_id=pair.id))
        db.session.commit()
        flash(_("Наставническая пара создана."), "success")
        return go(url_for("development.mentorship", mentorship_id=pair.id))
    status = 422 if request.method == "POST" else 200
    return form_page("development/mentorship_form.html", "development/_mentorship_form.html", status, form=form,
                     pair=None, conflict=None)


@bp.route("/mentoring/<int:mentorship_id>/")
def mentorship(mentorship_id: int):
    pair = pair_or_404(mentorship_id)
    require("mentoring.view", pair)
    form = MentoringMeetingForm()
    form.held_on.data = today()
    return render_template("development/mentorship.html", pair=pair, form=form, today=today(),
                           can_log=can("mentoring.log", pair))


@bp.route("/mentoring/<int:mentorship_id>/edit", methods=["GET", "POST"])
def mentorship_edit(mentorship_id: int):
    pair = pair_or_404(mentorship_id)
    require("development.edit")
    form = MentorshipForm(obj=pair) if request.method == "GET" else MentorshipForm()
    _fill_choices(form)
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        conflict = save_versioned(form, pair, lambda: _fill(pair, form))
        if conflict is None:
            flash(_("Сведения о наставничестве сохранены."), "success")
            return go(url_for("development.mentorship", mentorship_id=pair.id))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("development/mentorship_form.html", "development/_mentorship_form.html", status, form=form,
                     pair=pair, conflict=conflict)


@bp.route("/mentoring/<int:mentorship_id>/delete", methods=["POST"])
def mentorship_delete(mentorship_id: int):
    pair = Mentorship.get_or_404(mentorship_id)
    require("development.edit")
    db.session.delete(pair)
    db.session.commit()
    flash(_("Наставническая пара удалена вместе с журналом встреч."), "success")
    return go(url_for("development.mentoring"))


@bp.route("/mentoring/<int:mentorship_id>/meetings", methods=["POST"])
def mentoring_meeting_add(mentorship_id: int):
    pair = pair_or_404(mentorship_id)
    require("mentoring.log", pair)
    form = MentoringMeetingForm()
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        remember_result(url_for("development.mentorship", mentorship_id=pair.id))
        db.session.add(MentoringMeeting(tenant_id=current_tenant.id, mentorship_id=pair.id,
                                        held_on=form.held_on.data, topic=clean(form.topic.data),
                                        note=(form.note.data or "").strip()))
        db.session.commit()
        if not is_htmx():
            flash(_("Встреча записана в журнал."), "success")
            return go(url_for("development.mentorship", mentorship_id=pair.id))
        pair = pair_or_404(mentorship_id)
        form = MentoringMeetingForm(formdata=None)
        form.held_on.data = today()
        return render_template("development/_meetings_log.html", pair=pair, form=form, can_log=True,
                               saved=True)
    return render_template("development/_meetings_log.html" if is_htmx() else "development/mentorship.html",
                           pair=pair, form=form, can_log=True, today=today()), 422


@bp.route("/mentoring/<int:mentorship_id>/meetings/<int:mentoring_meeting_id>/delete", methods=["POST"])
def mentoring_meeting_delete(mentorship_id: int, mentoring_meeting_id: int):
    pair = pair_or_404(mentorship_id)
    require("mentoring.log", pair)  # before the meeting is looked up: a refusal tells nothing about it
    meeting = one_or_404(MentoringMeeting, mentoring_meeting_id, MentoringMeeting.mentorship_id == pair.id)
    db.session.delete(meeting)
    db.session.commit()
    if is_htmx():
        pair = pair_or_404(mentorship_id)
        form = MentoringMeetingForm(formdata=None)
        form.held_on.data = today()
        return render_template("development/_meetings_log.html", pair=pair, form=form, can_log=True)
    flash(_("Запись журнала удалена."), "success")
    return go(url_for("development.mentorship", mentorship_id=pair.id))

