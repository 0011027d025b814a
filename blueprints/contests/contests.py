"""Contests (professional, pupils', conferences): the list, a contest's card, entries and their review."""
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from oms import clock, files
from oms.audit import record
from oms.concurrency import commit_versioned, remember_result, save_versioned, submit_once, version_conflict
from oms.extensions import db
from oms.models import (Assignment, Competition, ContestFile, Criterion, Entry, EntryFile, Juror, Nomination,
                        School, Stage, TeamMember)
from oms.models.base import search_filter
from oms.models.contests import (ENTRANT_LABELS, ENTRY_STATUS_LABELS, KIND_LABELS, LEVEL_LABELS, RESULT_LABELS)
from oms.permissions import require
from oms.services import contests as svc
from oms.services import evidence
from oms.tenancy import current_tenant
from oms.text import clean, fold

from . import bp
from .common import (competition_or_404, competition_stage, deny, entry_or_404, entry_stage, form_page, go,
                     one_or_404, page_number, require_organiser, require_submitter, school_choices)
from .forms import AssignForm, CompetitionForm, ConfirmForm, DecisionForm, EntryForm, NewCompetitionForm

PER_PAGE = 30


@bp.route("/contests/")
def index():
    require("contests.view")
    year = request.args.get("year", type=int) or svc.academic_start(clock.today())
    q = request.args.get("q", "").strip()[:100]
    stmt = Competition.scoped().where(Competition.is_vsosh.is_(False), Competition.start_year == year)
    if q:
        stmt = stmt.where(*search_filter(Competition, q))
    counts = dict(db.session.execute(
        select(Entry.competition_id, func.count(Entry.id)).join(Competition, Competition.id == Entry.competition_id)
        .where(Competition.tenant_id == current_tenant.id, Competition.start_year == year)
        .group_by(Entry.competition_id)).all())
    page = db.paginate(stmt.order_by(Competition.title), page=page_number(), per_page=PER_PAGE, error_out=False)
    years = set(db.session.scalars(select(Competition.start_year).where(
        Competition.tenant_id == current_tenant.id, Competition.is_vsosh.is_(False)).distinct()))
    years |= {year, svc.academic_start(clock.today())}
    return render_template("contests/index.html", page=page, year=year, years=sorted(years, reverse=True), q=q,
                           counts=counts, KIND_LABELS=KIND_LABELS, LEVEL_LABELS=LEVEL_LABELS)


def _fill(comp: Competition, form: CompetitionForm) -> None:
    comp.title = clean(form.title.data)
    comp.kind = form.kind.data
    comp.level = form.level.data
    comp.is_own = form.is_own.data
    comp.start_year = form.start_year.data
    comp.description = (form.description.data or "").strip()
    comp.jury_order_number = clean(form.jury_order_number.data)
    comp.jury_order_date = form.jury_order_date.data


def _save_own(comp: Competition, form: CompetitionForm) -> None:
    """The contest's own parts: nominations added from the lines, the regulation's file."""
    have = set(db.session.scalars(select(Nomination.name_key).where(Nomination.competition_id == comp.id)))
    for line in (form.nominations.data or "").splitlines():
        name, _sep, grades = line.partition(";")
        name = clean(name)[:200]
        if name and fold(name)[:200] not in have:
            nom = Nomination(tenant_id=comp.tenant_id, competition_id=comp.id, grades=clean(grades)[:40])
            nom.set_name(name)
            db.session.add(nom)
            have.add(nom.name_key)
    for upload in form.regulation.uploads:
        db.session.add(files.store(ContestFile(tenant_id=comp.tenant_id, competition_id=comp.id), upload))


def _save_first_stage(comp: Competition, stage: Stage, form: NewCompetitionForm) -> None:
    """A new contest's first stage: its dates, venue and criteria (later changed on the stage's own form)."""
    stage.date_from, stage.date_to, stage.venue = form.date_from.data, form.date_to.data, clean(form.venue.data)
    for position, (name, weight, top) in enumerate(getattr(form, "criteria_rows", []), start=1):
        db.session.add(Criterion(tenant_id=comp.tenant_id, stage_id=stage.id, name=name, weight=weight,
                                 max_points=top, position=position))
    svc.stage_changed(stage)


@bp.route("/contests/new", methods=["GET", "POST"])
def new():
    require("contests.edit")
    form = NewCompetitionForm()
    if request.method == "GET":
        form.start_year.data = svc.academic_start(clock.today())
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        comp = Competition(tenant_id=current_tenant.id)
        _fill(comp, form)
        db.session.add(comp)
        db.session.flush()
        stage = Stage(tenant_id=comp.tenant_id, competition_id=comp.id, kind="main")
        db.session.add(stage)
        db.session.flush()
        _save_own(comp, form)
        _save_first_stage(comp, stage, form)
        remember_result(url_for("contests.show", competition_id=comp.id))
        db.session.commit()
        flash(_("Конкурс создан."), "success")
        return go(url_for("contests.show", competition_id=comp.id))
    return form_page("contests/form.html", "contests/form.html", 422 if form.errors else 200, form=form, comp=None)


@bp.route("/contests/<int:competition_id>/edit", methods=["GET", "POST"])
def edit(competition_id: int):
    """The contest's own fields; each stage's dates, venue and criteria are on that stage's form."""
    comp = competition_or_404(competition_id)
    require("contests.edit")
    form = CompetitionForm(obj=comp)
    if form.validate_on_submit():
        conflict = save_versioned(form, comp, apply=lambda: (_fill(comp, form), _save_own(comp, form)))
        if conflict is None:
            flash(_("Изменения сохранены."), "success")
            return go(url_for("contests.show", competition_id=comp.id))
        return _contest_form(form, comp, 409, conflict=conflict)
    return _contest_form(form, comp, 422 if form.errors else 200)


def _contest_form(form: CompetitionForm, comp: Competition, status: int, **context):
    stages = svc.stages_of(comp)
    return form_page("contests/form.html", "contests/form.html", status, form=form, comp=comp, stages=stages,
                     **context)


@bp.route("/contests/<int:competition_id>")
def show(competition_id: int):
    require("contests.view")
    comp = competition_or_404(competition_id)
    stage = competition_stage(comp)
    db.session.commit()
    nominations = db.session.scalars(select(Nomination).where(Nomination.competition_id == comp.id)
                                     .order_by(Nomination.name)).all()
    stages = svc.stages_of(comp)
    criteria_of: dict[int, list] = {}
    for crit in db.session.scalars(select(Criterion).join(Stage, Stage.id == Criterion.stage_id)
                                   .where(Stage.competition_id == comp.id).order_by(Criterion.position, Criterion.id)):
        criteria_of.setdefault(crit.stage_id, []).append(crit)
    admitted = dict(db.session.execute(
        select(Entry.stage_id, func.count(Entry.id)).where(Entry.competition_id == comp.id,
                                                           Entry.status == "admitted")
        .group_by(Entry.stage_id)).all())
    jury = db.session.scalars(select(Juror).where(Juror.competition_id == comp.id)
                              .options(joinedload(Juror.person)).order_by(Juror.is_chair.desc(), Juror.id)).all()
    documents = db.session.scalars(select(ContestFile).where(ContestFile.competition_id == comp.id)).all()
    stmt = (select(Entry).where(Entry.competition_id == comp.id, Entry.stage_id == stage.id)
            .options(joinedload(Entry.school), joinedload(Entry.person), joinedload(Entry.nomination)))
    organiser = svc.is_organiser(current_user)
    own_school = svc.coordinated_school_id(current_user)
    if not organiser:  # a coordinator sees their school's entries; others only the published rating
        stmt = stmt.where(Entry.school_id == (own_school or -1))
    entries = db.session.scalars(stmt.order_by(Entry.id)).all()
    me = svc.juror_of(current_user, comp)
    mine = svc.assigned_entries(me) if me else []
    return render_template("contests/show.html", comp=comp, stage=stage, nominations=nominations, stages=stages,
                           criteria_of=criteria_of, admitted=admitted, jury=jury, documents=documents, entries=entries, organiser=organiser,
                           may_submit=organiser or own_school is not None, me=me, mine=mine,
                           may_lock=svc.may_lock(current_user, comp), name=svc.entrant_name,
                           KIND_LABELS=KIND_LABELS, LEVEL_LABELS=LEVEL_LABELS, STATUS=ENTRY_STATUS_LABELS,
                           ENTRANT=ENTRANT_LABELS, RESULT=RESULT_LABELS, confirm=ConfirmForm())


@bp.route("/contests/<int:competition_id>/files/<int:contest_file_id>")
def contest_file(competition_id: int, contest_file_id: int):
    require("contests.view")
    comp = competition_or_404(competition_id)
    return files.send(one_or_404(ContestFile, contest_file_id, ContestFile.competition_id == comp.id))


# ---- entries ---------------------------------------------------------------------------------------

def _entry_form(comp: Competition, entry: Entry | None = None) -> EntryForm:
    form = EntryForm(obj=entry)
    form.nomination_id.set_choices([(n.id, n.name) for n in db.session.scalars(
        select(Nomination).where(Nomination.competition_id == comp.id).order_by(Nomination.name))])
    own = svc.coordinated_school_id(current_user)
    schools = school_choices()
    form.schools = {}
    for school in db.session.scalars(School.scoped()):
        for label in (school.name, school.short_name, school.label):
            if label:
                form.schools.setdefault(fold(label), school.id)
    if not svc.is_organiser(current_user):
        schools = [s for s in schools if s[0] == own or (entry is not None and s[0] == entry.school_id)]
    form.school_id.set_choices(schools)
    form.person_id.first_school_id = form.teacher_id.first_school_id = own
    return form


def _fill_members_form(form: EntryForm, entry: Entry) -> None:
    """An edited team's members back into the two fields: pupils as lines, teachers in the picker."""
    members = db.session.scalars(select(TeamMember).where(TeamMember.entry_id == entry.root_id)
                                 .options(joinedload(TeamMember.school)).order_by(TeamMember.position)).all()
    form.members.data = "\n".join(f"{m.full_name}; {m.grade or ''}; {m.school.label if m.school else ''}"
                                   for m in members if m.person_id is None)
    form.member_people.data = [m.person_id for m in members if m.person_id is not None]


def _apply_entry(entry: Entry, form: EntryForm, person, teacher, school_id) -> None:
    kind = form.entrant.data
    entry.entrant, entry.nomination_id, entry.school_id = kind, form.nomination_id.data, school_id
    entry.person_id = person.id if person else None
    entry.teacher_id = teacher.id if teacher else None
    entry.pupil_name = clean(form.pupil_name.data) if not person else ""
    entry.grade = form.grade.data if kind == "pupil" else None
    entry.consent = form.consent.data
    entry.consent_date = form.consent_date.data if form.consent.data else None
    entry.topic = clean(form.topic.data)
    entry.pupil_key = svc.pupil_key(entry.pupil_name or (person.full_name if person else ""), school_id)


def _duplicate(entry_id, stage: Stage, nomination_id, key: str) -> bool:
    """The same entrant twice in one nomination of a stage."""
    stmt = select(Entry.id).where(Entry.stage_id == stage.id, Entry.pupil_key == key,
                                  Entry.nomination_id.is_(None) if nomination_id is None
                                  else Entry.nomination_id == nomination_id)
    if entry_id is not None:
        stmt = stmt.where(Entry.id != entry_id)
    return db.session.scalar(stmt.limit(1)) is not None


def _save_entry(comp: Competition, form: EntryForm, entry: Entry | None):
    """Create or update an entry from a valid form; returns the entry, or None with the form's errors set."""
    person = form.person_id.people[0] if form.entrant.data == "teacher" else None
    teacher = form.teacher_id.people[0] if form.teacher_id.data and form.entrant.data != "teacher" else None
    school_id = person.school_id if person is not None else form.school_id.data
    if person is not None and not svc.may_submit_for(current_user, school_id):
        form.person_id.errors.append(_("Заявку педагога подаёт координатор его школы или методист."))
        return None
    require_submitter(school_id)
    stage = entry_stage(entry, comp) if entry is not None else competition_stage(comp)
    key = svc.pupil_key(clean(form.pupil_name.data) if not person else person.full_name, school_id)
    if _duplicate(entry.id if entry else None, stage, form.nomination_id.data, key):
        form.pupil_name.errors.append(_("Этот участник уже подал заявку в этой номинации."))
        return None
    created = entry is None
    if not created:
        locked = svc.shared_lock(entry)
        same_team = svc.same_members(form.team_members() if form.entrant.data == "team" else [],
                                     svc.team_of(entry))
        if locked is not None and not (same_team and not form.materials.uploads):
            message = _("Результаты этапа «%(stage)s» утверждены: состав команды и материалы, общие для всех "
                        "этапов, больше не меняются.", stage=locked.label)
            (form.materials.errors if same_team else form.members.errors).append(message)
            return None
    if created:
        entry = Entry(tenant_id=comp.tenant_id, competition_id=comp.id, stage_id=stage.id,
                      submitted_by_id=current_user.id)
        db.session.add(entry)
    _apply_entry(entry, form, person, teacher, school_id)
    db.session.flush()
    if form.entrant.data == "team":
        svc.set_members(entry, form.team_members())
    else:
        for row in db.session.scalars(select(TeamMember).where(TeamMember.entry_id == entry.root_id)):
            db.session.delete(row)
    for upload in form.materials.uploads:
        db.session.add(files.store(EntryFile(tenant_id=comp.tenant_id, entry_id=entry.root_id), upload))
    if not created:
        svc.follow_edit(entry)
    return entry


class _NotSaved(Exception):
    """The form's errors (say, the same entrant twice) stopped the save: nothing is committed."""


def _save_entry_or_raise(comp: Competition, form: EntryForm, entry: Entry) -> None:
    if _save_entry(comp, form, entry) is None:
        raise _NotSaved()


@bp.route("/contests/<int:competition_id>/entries/new", methods=["GET", "POST"])
def entry_new(competition_id: int):
    require("contests.view")
    comp = competition_or_404(competition_id)
    if not (svc.is_organiser(current_user) or svc.coordinated_school_id(current_user)):
        deny("contests.submit")
    form = _entry_form(comp)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if request.method == "GET" and comp.kind == "teachers":
        form.entrant.data = "teacher"
    if form.validate_on_submit():
        entry = _save_entry(comp, form, None)
        if entry is not None:
            remember_result(url_for("contests.entry", entry_id=entry.id))
            db.session.commit()
            flash(_("Заявка подана."), "success")
            return go(url_for("contests.entry", entry_id=entry.id))
    return form_page("contests/entry_form.html", "contests/entry_form.html", 422 if request.method == "POST" else 200,
                     form=form, comp=comp, entry=None)


@bp.route("/contests/entries/<int:entry_id>/edit", methods=["GET", "POST"])
def entry_edit(entry_id: int):
    """The submitter edits while the entry is «подана»; the organisers until the stage's results are locked."""
    require("contests.view")
    entry, comp = entry_or_404(entry_id)
    if not _entry_visible(entry, comp):
        deny("contests.entry")
    refusal = svc.edit_refusal(current_user, entry, entry_stage(entry, comp))
    if refusal:
        flash(refusal, "error")
        if request.method == "POST":
            from oms.audit import record_denial

            record_denial("contests.entry_edit", entry)
            db.session.commit()
            return _render_entry(entry, comp, DecisionForm(obj=entry), 403)
        return go(url_for("contests.entry", entry_id=entry.id))
    form = _entry_form(comp, entry)
    if request.method == "GET":
        form.person_id.data = entry.person_id
        form.teacher_id.data = entry.teacher_id
        _fill_members_form(form, entry)
    if form.validate_on_submit():
        # Two people editing at once: a form opened at an older version of the entry is a conflict (409), the
        # user's values stay in the form next to the saved ones; a save racing past this check is caught too.
        conflict = version_conflict(form, entry)
        if conflict is None:
            try:
                conflict = commit_versioned(form, entry, lambda: _save_entry_or_raise(comp, form, entry))
            except svc.Refused as refused:
                form.members.errors = list(form.members.errors) + [str(refused)]
            except _NotSaved:
                pass
            else:
                if conflict is None:
                    flash(_("Заявка изменена."), "success")
                    return go(url_for("contests.entry", entry_id=entry.id))
        if conflict is not None:
            return form_page("contests/entry_form.html", "contests/entry_form.html", 409, form=form, comp=comp,
                             entry=entry, conflict=conflict)
        db.session.rollback()
        entry, comp = entry_or_404(entry_id)
    return form_page("contests/entry_form.html", "contests/entry_form.html", 422 if request.method == "POST" else 200,
                     form=form, comp=comp, entry=entry)


def _entry_visible(entry: Entry, comp: Competition):
    """Organisers, the submitting school's coordinator, the jurors it is assigned to, and the teacher it is."""
    if svc.is_organiser(current_user):
        return True
    if entry.school_id is not None and svc.coordinated_school_id(current_user) == entry.school_id:
        return True
    person = svc.person_of(current_user)
    if person is not None and person.id in (entry.person_id, entry.teacher_id):
        return True
    me = svc.juror_of(current_user, comp)
    return bool(me and db.session.scalar(select(Assignment.id).where(Assignment.juror_id == me.id,
                                                                     Assignment.entry_id == entry.id)))


@bp.route("/contests/entries/<int:entry_id>")
def entry(entry_id: int):
    require("contests.view")
    entry, comp = entry_or_404(entry_id)
    if not _entry_visible(entry, comp):
        deny("contests.entry")
    return _render_entry(entry, comp, DecisionForm(obj=entry))


def _render_entry(entry: Entry, comp: Competition, decision: DecisionForm, status: int = 200):
    entry = db.session.scalar(select(Entry).where(Entry.id == entry.id).options(
        joinedload(Entry.school), joinedload(Entry.person), joinedload(Entry.teacher), joinedload(Entry.nomination)))
    materials = db.session.scalars(select(EntryFile).where(EntryFile.entry_id == entry.root_id)).all()
    stage = entry_stage(entry, comp)
    members = svc.members_of([entry]).get(entry.id, [])
    jury = db.session.scalars(select(Juror).where(Juror.competition_id == comp.id)
                              .options(joinedload(Juror.person))).all()
    assigned = set(db.session.scalars(select(Assignment.juror_id).where(Assignment.entry_id == entry.id)))
    assign = AssignForm()
    assign.juror_id.set_choices([(j.id, j.person.full_name if j.person else j.outsider_name) for j in jury
                                 if j.id not in assigned and not svc.recused(j, entry)])
    return render_template("contests/entry.html", entry=entry, comp=comp, materials=materials, jury=jury,
                           stage=stage, members=members,
                           edit_refusal=svc.edit_refusal(current_user, entry, stage),
                           assigned=assigned, assign=assign, decision=decision,
                           organiser=svc.is_organiser(current_user), name=svc.entrant_name,
                           may_withdraw=entry.school_id is not None
                           and svc.coordinated_school_id(current_user) == entry.school_id,
                           me=svc.juror_of(current_user, comp), recused=svc.recused,
                           STATUS=ENTRY_STATUS_LABELS, ENTRANT=ENTRANT_LABELS), status


@bp.route("/contests/entries/<int:entry_id>/files/<int:entry_file_id>")
def entry_file(entry_id: int, entry_file_id: int):
    require("contests.view")
    entry, comp = entry_or_404(entry_id)
    if not _entry_visible(entry, comp):
        deny("contests.entry")
    return files.send(one_or_404(EntryFile, entry_file_id, EntryFile.entry_id == entry.root_id))


@bp.route("/contests/entries/<int:entry_id>/decision", methods=["POST"])
def entry_decision(entry_id: int):
    entry, comp = entry_or_404(entry_id)
    require_organiser()
    form = DecisionForm()
    if form.validate_on_submit():
        stage = entry_stage(entry, comp)
        try:
            svc.decide_entry(entry, stage, form.status.data, clean(form.reason.data))
        except svc.Refused as refused:
            flash(str(refused), "error")
            return go(url_for("contests.entry", entry_id=entry.id)), 422
        svc.stage_changed(stage)
        db.session.commit()
        flash(_("Решение по заявке сохранено."), "success")
        return go(url_for("contests.entry", entry_id=entry.id))
    return _render_entry(entry, comp, form, 422)


@bp.route("/contests/entries/<int:entry_id>/assign", methods=["POST"])
def entry_assign(entry_id: int):
    entry, comp = entry_or_404(entry_id)
    require_organiser()
    form = AssignForm()
    jury = db.session.scalars(select(Juror).where(Juror.competition_id == comp.id)).all()
    form.juror_id.set_choices([(j.id, str(j.id)) for j in jury])
    if form.validate_on_submit():
        juror = next(j for j in jury if j.id == form.juror_id.data)
        try:
            svc.assign(juror, entry)
        except svc.Refused as refused:
            flash(str(refused), "error")
            return go(url_for("contests.entry", entry_id=entry.id)), 422
        db.session.commit()
        flash(_("Работа назначена члену жюри."), "success")
    return go(url_for("contests.entry", entry_id=entry.id))


@bp.route("/contests/<int:competition_id>/delete", methods=["POST"])
def delete(competition_id: int):
    """A contest goes with everything it holds: entries (pupils' data and consents), materials, scores."""
    comp = competition_or_404(competition_id)
    require("contests.edit")
    if ConfirmForm().validate_on_submit():
        record("delete", comp, summary=f"Конкурс «{comp.title}» со всеми заявками")
        for stage_id in db.session.scalars(select(Stage.id).where(Stage.competition_id == comp.id)).all():
            evidence.activity_deleted("contest_stage", stage_id)
        # Each entry is recorded as deleted (pupils' data went with it), copies in later stages too.
        svc.delete_entries(db.session.scalars(select(Entry).where(Entry.competition_id == comp.id)).all())
        db.session.flush()
        db.session.delete(comp)
        db.session.commit()
        flash(_("Конкурс удалён."), "success")
    return go(url_for("contests.index"))


@bp.route("/contests/entries/<int:entry_id>/delete", methods=["POST"])
def entry_delete(entry_id: int):
    """The organisers delete any entry; a coordinator withdraws their school's entry while it is not reviewed."""
    entry, comp = entry_or_404(entry_id)
    own = (entry.status == "submitted" and entry.school_id is not None
           and svc.coordinated_school_id(current_user) == entry.school_id)
    if not (svc.is_organiser(current_user) or own):
        deny("contests.entry")
    if ConfirmForm().validate_on_submit():
        stages = {entry.stage_id} | {c.stage_id for c in svc.copies_of(entry)}
        svc.delete_entries([entry] + svc.copies_of(entry))  # its copies in later stages go with it, each recorded
        db.session.flush()
        for stage in db.session.scalars(select(Stage).where(Stage.id.in_(stages))):
            svc.stage_changed(stage)
        db.session.commit()
        flash(_("Заявка удалена."), "success")
    return go(url_for("contests.show", competition_id=comp.id))
