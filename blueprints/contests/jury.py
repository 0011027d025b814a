"""A contest's jury: members, scoring, the protocol and rating (page and XLSX), the lock, results, diplomas;
and the schools' coordinators."""
from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from blueprints.people.records import xlsx_response
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import ContestCoordinator, Criterion, Juror, Person, Score
from oms.models.contests import ENTRANT_KINDS, RESULT_LABELS, RESULTS
from oms.permissions import require
from oms.services import contests as svc
from oms.text import clean
from oms.xlsx import row_values

from . import bp
from .common import (competition_or_404, contest_stage_or_404, deny, entry_or_404, entry_stage, form_page, go,
                     one_or_404, require_organiser, school_choices)
from .forms import ConfirmForm, CoordinatorForm, JurorForm, ResultForm


@bp.route("/contests/<int:competition_id>/jury", methods=["GET", "POST"])
def jury_add(competition_id: int):
    comp = competition_or_404(competition_id)
    require("contests.edit")
    form = JurorForm()
    form.school_id.set_choices(school_choices())
    form.person_id.exclude = set(db.session.scalars(select(Juror.person_id).where(
        Juror.competition_id == comp.id, Juror.person_id.is_not(None))))
    if form.validate_on_submit():
        person = form.person_id.people[0] if form.person_id.data else None
        juror = Juror(tenant_id=comp.tenant_id, competition_id=comp.id, person_id=person.id if person else None,
                      outsider_name="" if person else clean(form.outsider_name.data),
                      outsider_org="" if person else clean(form.outsider_org.data),
                      school_id=svc.juror_school(person, form.school_id.data), is_chair=form.is_chair.data)
        db.session.add(juror)
        db.session.commit()
        flash(_("Член жюри добавлен."), "success")
        return go(url_for("contests.show", competition_id=comp.id))
    return form_page("contests/juror_form.html", "contests/juror_form.html", 422 if request.method == "POST" else 200,
                     form=form, comp=comp)


@bp.route("/contests/<int:competition_id>/jury/<int:juror_id>/delete", methods=["POST"])
def jury_delete(competition_id: int, juror_id: int):
    comp = competition_or_404(competition_id)
    require("contests.edit")
    juror = one_or_404(Juror, juror_id, Juror.competition_id == comp.id)
    if ConfirmForm().validate_on_submit():
        db.session.delete(juror)
        db.session.commit()
        flash(_("Член жюри удалён из состава."), "success")
    return go(url_for("contests.show", competition_id=comp.id))


@bp.route("/contests/entries/<int:entry_id>/score", methods=["GET", "POST"])
def score(entry_id: int):
    require("contests.view")
    entry, comp = entry_or_404(entry_id)
    juror = svc.juror_of(current_user, comp)
    if juror is None:
        deny("contests.score")
    stage = entry_stage(entry, comp)
    criteria = db.session.scalars(select(Criterion).where(Criterion.stage_id == stage.id)
                                  .order_by(Criterion.position)).all()
    errors, values, status = [], {}, 200
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        for crit in criteria:
            raw = request.form.get(f"c{crit.id}", "").strip().replace(",", ".")
            values[crit.id] = raw
        points = {}
        for crit in criteria:
            raw = values[crit.id]
            try:
                points[crit.id] = float(raw) if raw else None
            except ValueError:
                errors.append(_("«%(name)s»: введите число.", name=crit.name))
        if not errors:
            try:
                errors = svc.score_entry(juror, entry, stage, points)
            except svc.Refused as refused:
                errors = [str(refused)]
        if not errors:
            db.session.commit()
            flash(_("Баллы сохранены."), "success")
            return go(url_for("contests.show", competition_id=comp.id))
        db.session.rollback()
        status = 422
    elif svc.recused(juror, entry) or not entry.id in {e.id for e in svc.assigned_entries(juror)}:
        deny("contests.score")
    else:
        values = {s.criterion_id: f"{s.points:g}" for s in db.session.scalars(
            select(Score).where(Score.entry_id == entry.id, Score.juror_id == juror.id))}
    return render_template("contests/score.html", entry=entry, comp=comp, stage=stage, criteria=criteria,
                           values=values, errors=errors, form=ConfirmForm(), name=svc.entrant_name), status


def _table(comp, stage):
    criteria, rows = svc.stage_table(comp, stage)
    return stage, criteria, rows


def _comp_stage(competition_id):
    """A contest's overall pages show its current stage (the last one with admitted entries)."""
    comp = competition_or_404(competition_id)
    return comp, svc.current_stage(comp)


def _stage(contest_stage_id):
    stage, comp = contest_stage_or_404(contest_stage_id)
    return comp, stage


def _protocol(comp, stage):
    require("contests.view")
    if not (svc.is_organiser(current_user) or svc.juror_of(current_user, comp)):
        deny("contests.protocol")
    stage, criteria, rows = _table(comp, stage)
    jury = db.session.scalars(select(Juror).where(Juror.competition_id == comp.id)
                              .options(joinedload(Juror.person))).all()
    return render_template("contests/protocol.html", comp=comp, stage=stage, criteria=criteria, rows=rows,
                           jury=jury, name=svc.entrant_name, RESULT=RESULT_LABELS, result_form=ResultForm(),
                           may_lock=svc.may_lock(current_user, comp), organiser=svc.is_organiser(current_user),
                           several=svc.next_stage(stage) is not None or stage.position > 1, confirm=ConfirmForm())


@bp.route("/contests/<int:competition_id>/protocol")
def protocol(competition_id: int):
    require("contests.view")
    return _protocol(*_comp_stage(competition_id))


@bp.route("/contests/stages/<int:contest_stage_id>/protocol")
def contest_stage_protocol(contest_stage_id: int):
    require("contests.view")
    return _protocol(*_stage(contest_stage_id))


def _protocol_xlsx(comp, stage):
    if not (svc.is_organiser(current_user) or svc.juror_of(current_user, comp)):
        deny("contests.protocol")
    stage, criteria, rows = _table(comp, stage)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Протокол")
    ws.append(row_values([f"Протокол жюри: {comp.title}"]))
    ws.append(row_values([f"Этап: {stage.audit_label}"]))
    if comp.jury_order_number:
        ws.append(row_values([f"Состав жюри утверждён приказом № {comp.jury_order_number} "
                              f"от {ru_date(comp.jury_order_date)}"]))
    ws.append(row_values(["Место", "Участник", "Вид", "ОО", "Номинация"] + [c.name for c in criteria]
                         + ["Итого", "Итог", "Состав команды"]))
    for row in rows:
        e = row.entry
        ws.append(row_values([row.place, svc.entrant_name(e), ENTRANT_KINDS.get(e.entrant, ""),
                              e.school.label if e.school else "", e.nomination.name if e.nomination else ""]
                             + [row.by_criterion.get(c.id) for c in criteria]
                             + [row.total, RESULTS.get(e.result, ""), "; ".join(m.full_name for m in row.members)]))
    return xlsx_response(wb, f"Протокол — {comp.title[:80]}.xlsx", audit_summary=f"Протокол конкурса «{comp.title}»")


@bp.route("/contests/<int:competition_id>/protocol.xlsx")
def protocol_xlsx(competition_id: int):
    require("contests.view")
    return _protocol_xlsx(*_comp_stage(competition_id))


@bp.route("/contests/stages/<int:contest_stage_id>/protocol.xlsx")
def contest_stage_protocol_xlsx(contest_stage_id: int):
    require("contests.view")
    return _protocol_xlsx(*_stage(contest_stage_id))


def _rating(comp, stage):
    stage, criteria, rows = _table(comp, stage)
    return render_template("contests/rating.html", comp=comp, stage=stage, rows=rows, public_name=svc.public_name,
                           public_members=svc.public_members, RESULT=RESULT_LABELS)


@bp.route("/contests/<int:competition_id>/rating")
def rating(competition_id: int):
    """The published rating: a pupil's name only with the parent's consent."""
    require("contests.view")
    return _rating(*_comp_stage(competition_id))


@bp.route("/contests/stages/<int:contest_stage_id>/rating")
def contest_stage_rating(contest_stage_id: int):
    require("contests.view")
    return _rating(*_stage(contest_stage_id))


def _rating_xlsx(comp, stage):
    stage, _criteria, rows = _table(comp, stage)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Рейтинг")
    ws.append(row_values([f"Рейтинг участников: {comp.title}"]))
    ws.append(row_values([f"Этап: {stage.audit_label}"]))
    ws.append(row_values(["Место", "Участник", "ОО", "Номинация", "Баллы", "Итог", "Состав команды"]))
    for row in rows:
        e = row.entry
        ws.append(row_values([row.place, svc.public_name(e), e.school.label if e.school else "",
                              e.nomination.name if e.nomination else "", row.total, RESULTS.get(e.result, ""),
                              "; ".join(svc.public_members(e, row.members))]))
    return xlsx_response(wb, f"Рейтинг — {comp.title[:80]}.xlsx")


@bp.route("/contests/<int:competition_id>/rating.xlsx")
def rating_xlsx(competition_id: int):
    """The published rating as a spreadsheet: names as on the page (initials without a parent's consent)."""
    require("contests.view")
    return _rating_xlsx(*_comp_stage(competition_id))


@bp.route("/contests/stages/<int:contest_stage_id>/rating.xlsx")
def contest_stage_rating_xlsx(contest_stage_id: int):
    require("contests.view")
    return _rating_xlsx(*_stage(contest_stage_id))


def _lock(comp, stage):
    if not svc.may_lock(current_user, comp):
        deny("contests.lock")
    if ConfirmForm().validate_on_submit():
        stage, _criteria, rows = _table(comp, stage)
        if stage.locked_at is None:
            svc.lock(stage, current_user)
            svc.default_results(rows, final=svc.next_stage(stage) is None)
            svc.stage_changed(stage)
            db.session.commit()
            flash(_("Результаты утверждены: баллы больше не меняются."), "success")
    return go(url_for("contests.contest_stage_protocol", contest_stage_id=stage.id))


@bp.route("/contests/<int:competition_id>/lock", methods=["POST"])
def lock(competition_id: int):
    require("contests.view")
    return _lock(*_comp_stage(competition_id))


@bp.route("/contests/stages/<int:contest_stage_id>/lock", methods=["POST"])
def contest_stage_lock(contest_stage_id: int):
    require("contests.view")
    return _lock(*_stage(contest_stage_id))


@bp.route("/contests/entries/<int:entry_id>/result", methods=["POST"])
def entry_result(entry_id: int):
    entry, comp = entry_or_404(entry_id)
    require_organiser()
    form = ResultForm()
    if form.validate_on_submit():
        entry.result = form.result.data
        db.session.commit()
    return go(url_for("contests.contest_stage_protocol", contest_stage_id=entry_stage(entry, comp).id))


def _diplomas(comp, stage):
    require_organiser()
    stage, _criteria, rows = _table(comp, stage)
    return render_template("contests/diplomas.html", comp=comp, stage=stage,
                           rows=[r for r in rows if r.entry.result], name=svc.entrant_name, RESULT=RESULT_LABELS)


@bp.route("/contests/<int:competition_id>/diplomas")
def diplomas(competition_id: int):
    """Printable diplomas (winners, prize-winners) and certificates (participants) of a locked contest; a team's
    members each get their own."""
    require("contests.view")
    return _diplomas(*_comp_stage(competition_id))


@bp.route("/contests/stages/<int:contest_stage_id>/diplomas")
def contest_stage_diplomas(contest_stage_id: int):
    require("contests.view")
    return _diplomas(*_stage(contest_stage_id))


# ---- coordinators ----------------------------------------------------------------------------------

@bp.route("/contests/coordinators", methods=["GET", "POST"])
def coordinators():
    require("contests.edit")
    form = CoordinatorForm()
    form.person_id.exclude = set(db.session.scalars(select(ContestCoordinator.person_id)))
    if form.validate_on_submit():
        person = form.person_id.people[0]
        if person.school_id is None:
            form.person_id.errors.append(_("Координатор должен работать в школе."))
        else:
            db.session.add(ContestCoordinator(tenant_id=person.tenant_id, person_id=person.id))
            db.session.commit()
            flash(_("Координатор назначен."), "success")
            return go(url_for("contests.coordinators"))
    rows = db.session.scalars(ContestCoordinator.scoped().options(
        joinedload(ContestCoordinator.person).joinedload(Person.school))).all()
    return render_template("contests/coordinators.html", form=form, rows=rows, confirm=ConfirmForm()), (
        422 if form.errors else 200)


@bp.route("/contests/coordinators/<int:coordinator_id>/delete", methods=["POST"])
def coordinator_delete(coordinator_id: int):
    require("contests.edit")
    row = one_or_404(ContestCoordinator, coordinator_id)
    if ConfirmForm().validate_on_submit():
        db.session.delete(row)
        db.session.commit()
        flash(_("Координатор снят."), "success")
    return go(url_for("contests.coordinators"))
