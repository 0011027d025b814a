"""A contest's stages: add, edit, delete (name, dates, venue, criteria); a stage's page with its entries; the jury
assigned in bulk (ticked entries × ticked jurors) or spread automatically; entries admitted to the next stage
(ticked ones, or the top N). The plan items a stage carries out are linked on its page (oms.services.evidence)."""
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from oms.extensions import db
from oms.models import Assignment, Criterion, Entry, Juror, Nomination, Stage
from oms.models.contests import ENTRANT_LABELS, ENTRY_STATUS_LABELS, RESULT_LABELS
from oms.permissions import require
from oms.services import contests as svc
from oms.services import evidence
from oms.text import clean, fold

from . import bp
from .common import competition_or_404, contest_stage_or_404, form_page, go, require_organiser
from .forms import AdvanceForm, ConfirmForm, DistributeForm, StageForm


def _save_stage(stage: Stage, form: StageForm) -> None:
    stage.name = clean(form.name.data)
    stage.date_from, stage.date_to, stage.venue = form.date_from.data, form.date_to.data, clean(form.venue.data)
    stage.jurors_per_entry = form.jurors_per_entry.data
    existing = {fold(c.name): c for c in db.session.scalars(select(Criterion).where(Criterion.stage_id == stage.id))}
    kept = set()
    for position, (name, weight, top) in enumerate(getattr(form, "criteria_rows", []), start=1):
        crit = existing.get(fold(name))
        if crit is None:
            crit = Criterion(tenant_id=stage.tenant_id, stage_id=stage.id, name=name)
            db.session.add(crit)
        crit.weight, crit.max_points, crit.position = weight, top, position
        kept.add(fold(name))
    for key, crit in existing.items():
        if key not in kept:  # a criterion taken off the list goes with its scores
            db.session.delete(crit)
    svc.stage_changed(stage)


@bp.route("/contests/<int:competition_id>/stages/new", methods=["GET", "POST"])
def stage_new(competition_id: int):
    comp = competition_or_404(competition_id)
    require("contests.edit")
    form = StageForm()
    if form.validate_on_submit():
        stage = svc.add_stage(comp)
        db.session.flush()
        _save_stage(stage, form)
        db.session.commit()
        flash(_("Этап добавлен."), "success")
        return go(url_for("contests.contest_stage", contest_stage_id=stage.id))
    return form_page("contests/stage_form.html", "contests/stage_form.html", 422 if form.errors else 200,
                     form=form, comp=comp, stage=None)


@bp.route("/contests/stages/<int:contest_stage_id>/edit", methods=["GET", "POST"])
def stage_edit(contest_stage_id: int):
    stage, comp = contest_stage_or_404(contest_stage_id)
    require("contests.edit")
    form = StageForm(obj=stage)
    if request.method == "GET":
        crits = db.session.scalars(select(Criterion).where(Criterion.stage_id == stage.id)
                                   .order_by(Criterion.position)).all()
        form.criteria.data = "\n".join(f"{c.name}; {c.weight:g}; {c.max_points:g}" for c in crits)
        form.name.data = stage.label
    if form.validate_on_submit():
        if stage.locked_at is not None and form.criteria_rows != _criteria_rows(stage):
            form.criteria.errors = list(form.criteria.errors) + [
                _("Результаты этапа утверждены: критерии больше не меняются.")]
        else:
            _save_stage(stage, form)
            db.session.commit()
            flash(_("Изменения сохранены."), "success")
            return go(url_for("contests.contest_stage", contest_stage_id=stage.id))
    return form_page("contests/stage_form.html", "contests/stage_form.html", 422 if request.method == "POST" else 200,
                     form=form, comp=comp, stage=stage)


def _criteria_rows(stage: Stage) -> list:
    return [(c.name, c.weight, c.max_points) for c in db.session.scalars(
        select(Criterion).where(Criterion.stage_id == stage.id).order_by(Criterion.position))]


@bp.route("/contests/stages/<int:contest_stage_id>/delete", methods=["POST"])
def stage_delete(contest_stage_id: int):
    stage, comp = contest_stage_or_404(contest_stage_id)
    require("contests.edit")
    if ConfirmForm().validate_on_submit():
        try:
            svc.delete_stage(stage)
        except svc.Refused as refused:
            flash(str(refused), "error")
            return go(url_for("contests.contest_stage", contest_stage_id=stage.id)), 422
        evidence.activity_deleted("contest_stage", stage.id)
        db.session.commit()
        flash(_("Этап удалён."), "success")
    return go(url_for("contests.show", competition_id=comp.id))


@bp.route("/contests/stages/<int:contest_stage_id>")
def contest_stage(contest_stage_id: int):
    require("contests.view")
    stage, comp = contest_stage_or_404(contest_stage_id)
    organiser = svc.is_organiser(current_user)
    own_school = svc.coordinated_school_id(current_user)
    stmt = (select(Entry).where(Entry.stage_id == stage.id)
            .options(joinedload(Entry.school), joinedload(Entry.person), joinedload(Entry.nomination)))
    if not organiser:
        stmt = stmt.where(Entry.school_id == (own_school or -1))
    entries = db.session.scalars(stmt.order_by(Entry.id)).all()
    members = svc.members_of(entries)
    criteria = db.session.scalars(select(Criterion).where(Criterion.stage_id == stage.id)
                                  .order_by(Criterion.position)).all()
    jury = db.session.scalars(select(Juror).where(Juror.competition_id == comp.id)
                              .options(joinedload(Juror.person)).order_by(Juror.is_chair.desc(), Juror.id)).all()
    assigned: dict[int, list] = {}
    if organiser and entries:
        jurors = {j.id: j for j in jury}
        for juror_id, entry_id in db.session.execute(select(Assignment.juror_id, Assignment.entry_id).where(
                Assignment.entry_id.in_(select(Entry.id).where(Entry.stage_id == stage.id)))):
            assigned.setdefault(entry_id, []).append(jurors[juror_id])
    me = svc.juror_of(current_user, comp)
    mine = [e for e in svc.assigned_entries(me) if e.stage_id == stage.id] if me else []
    later = svc.next_stage(stage)
    passed = set(db.session.scalars(select(Entry.origin_id).where(Entry.stage_id == later.id))) if later else set()
    distribute = DistributeForm(per_entry=stage.jurors_per_entry)
    distribute.nomination_id.set_choices([(n.id, n.name) for n in db.session.scalars(
        select(Nomination).where(Nomination.competition_id == comp.id).order_by(Nomination.name))])
    return render_template("contests/contest_stage.html", comp=comp, stage=stage, entries=entries, members=members,
                           criteria=criteria, jury=jury, assigned=assigned, organiser=organiser, me=me, mine=mine,
                           later=later, passed=passed, distribute=distribute, advance=AdvanceForm(),
                           confirm=ConfirmForm(), name=svc.entrant_name, recused=svc.recused,
                           may_lock=svc.may_lock(current_user, comp), STATUS=ENTRY_STATUS_LABELS,
                           ENTRANT=ENTRANT_LABELS, RESULT=RESULT_LABELS)


def _ticked(stage: Stage, name: str, model, *where) -> list:
    ids = {int(v) for v in request.form.getlist(name) if v.isdigit()}
    if not ids:
        return []
    stmt = select(model).where(model.id.in_(ids), *where)
    stmt = stmt.options(joinedload(model.person))
    return db.session.scalars(stmt).all()


def _back(stage: Stage):
    return go(url_for("contests.contest_stage", contest_stage_id=stage.id))


def _refuse(stage: Stage, message: str):
    flash(message, "error")
    return _back(stage), 422


@bp.route("/contests/stages/<int:contest_stage_id>/assign", methods=["POST"])
def stage_assign(contest_stage_id: int):
    """Ticked jurors to ticked entries of the stage; a juror of an entry's own school is skipped (recusal)."""
    stage, comp = contest_stage_or_404(contest_stage_id)
    require_organiser()
    if not ConfirmForm().validate_on_submit():
        return _refuse(stage, _("Форма устарела: обновите страницу и повторите."))
    if stage.locked_at is not None:
        return _refuse(stage, _("Результаты этапа утверждены: назначения больше не меняются."))
    entries = _ticked(stage, "entry", Entry, Entry.stage_id == stage.id, Entry.status == "admitted")
    jurors = _ticked(stage, "juror", Juror, Juror.competition_id == comp.id)
    if not entries or not jurors:
        return _refuse(stage, _("Отметьте допущенные работы и членов жюри."))
    added, skipped = svc.assign_many(jurors, entries)
    db.session.commit()
    flash(_("Назначено работ: %(n)s.", n=added), "success")
    if skipped:
        flash(_("Не назначено из-за самоотвода (своя школа): %(pairs)s.", pairs="; ".join(
            f"{j.person.full_name if j.person_id else j.outsider_name} — {svc.entrant_name(e)}"
            for j, e in skipped[:20])), "warning")
    return _back(stage)


@bp.route("/contests/stages/<int:contest_stage_id>/distribute", methods=["POST"])
def stage_distribute(contest_stage_id: int):
    """«Распределить автоматически»: the stage's admitted entries (or one nomination's) over the whole jury."""
    stage, comp = contest_stage_or_404(contest_stage_id)
    require_organiser()
    form = DistributeForm()
    form.nomination_id.set_choices([(n.id, n.name) for n in db.session.scalars(
        select(Nomination).where(Nomination.competition_id == comp.id))])
    if not form.validate_on_submit():
        return _refuse(stage, " ".join(str(e) for errors in form.errors.values() for e in errors))
    if stage.locked_at is not None:
        return _refuse(stage, _("Результаты этапа утверждены: назначения больше не меняются."))
    stmt = (select(Entry).where(Entry.stage_id == stage.id, Entry.status == "admitted")
            .options(joinedload(Entry.person)))
    if form.nomination_id.data:
        stmt = stmt.where(Entry.nomination_id == form.nomination_id.data)
    entries = db.session.scalars(stmt).all()
    if not entries:
        return _refuse(stage, _("Допущенных работ для распределения нет."))
    jury = db.session.scalars(select(Juror).where(Juror.competition_id == comp.id)
                              .options(joinedload(Juror.person))).all()
    try:
        added = svc.distribute(stage, jury, entries, form.per_entry.data)
    except svc.Refused as refused:
        db.session.rollback()
        return _refuse(stage, str(refused))
    db.session.commit()
    flash(_("Работы распределены: новых назначений %(n)s.", n=added), "success")
    return _back(stage)


@bp.route("/contests/stages/<int:contest_stage_id>/advance", methods=["POST"])
def stage_advance(contest_stage_id: int):
    """Admit ticked entries (or the top N by this stage's protocol) to the next stage."""
    stage, comp = contest_stage_or_404(contest_stage_id)
    require_organiser()
    form = AdvanceForm()
    if not form.validate_on_submit():
        return _refuse(stage, " ".join(str(e) for errors in form.errors.values() for e in errors))
    if form.top.data:
        _criteria, rows = svc.stage_table(comp, stage)
        entries = svc.top_entries(rows, form.top.data)
    else:
        entries = _ticked(stage, "entry", Entry, Entry.stage_id == stage.id)
    if not entries:
        return _refuse(stage, _("Отметьте участников или укажите, сколько первых мест проходит."))
    try:
        added = svc.advance(stage, entries, current_user)
    except svc.Refused as refused:
        db.session.rollback()
        return _refuse(stage, str(refused))
    target = svc.next_stage(stage)
    svc.stage_changed(target)
    db.session.commit()
    flash(_("На этап «%(stage)s» допущено: %(n)s.", stage=target.label, n=added), "success")
    return _back(stage)
