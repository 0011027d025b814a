"""ВсОШ: seasons, stages with their subject × grade settings, results (typed or imported), the next stage's
list, appeals, the lock, the protocol and the published rating, analytics."""
from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from blueprints.people.records import xlsx_response
from oms import clock
from oms.extensions import db
from oms.models import Appeal, Competition, Entry, Nomination, StageSubject
from oms.models.contests import OLYMPIAD_STAGES, RESULT_LABELS, RESULTS, STAGE_LABELS
from oms.permissions import require
from oms.services import contests as svc
from oms.tenancy import current_tenant
from oms.text import clean
from oms.xlsx import row_values

from . import bp
from .common import competition_or_404, entry_or_404, form_page, go, one_or_404, school_choices, stage_or_404
from .forms import (AppealDecisionForm, AppealForm, ConfirmForm, ResultEntryForm, ResultForm, ScoreForm, SeasonForm,
                    SettingForm)

NEXT = dict(zip(svc.VSOSH_STAGES, svc.VSOSH_STAGES[1:]))


@bp.route("/olympiads/")
def olympiads():
    require("contests.view")
    seasons = db.session.scalars(Competition.scoped().where(Competition.is_vsosh.is_(True))
                                 .order_by(Competition.start_year.desc())).all()
    form = SeasonForm()
    form.offer_years(_years_to_open({s.start_year for s in seasons}))
    return render_template("contests/olympiads.html", seasons=seasons, form=form,
                           organiser=svc.is_organiser(current_user))


def _years_to_open(opened: set[int]) -> list[int]:
    """The school years around today's whose season is not open yet: the current one first, then the next."""
    start = svc.academic_start(clock.today())
    return [y for y in (start, start + 1, start - 1) if y not in opened]


@bp.route("/olympiads/new", methods=["POST"])
def season_new():
    require("contests.edit")
    form = SeasonForm()
    form.offer_years(_years_to_open(set(db.session.scalars(
        select(Competition.start_year).where(Competition.tenant_id == current_tenant.id,
                                             Competition.is_vsosh.is_(True))))))
    if form.validate_on_submit():
        comp = svc.create_season(current_tenant.id, form.start_year.data)
        db.session.commit()
        return go(url_for("contests.season", season_id=comp.id))
    flash(" ".join(str(e) for errs in form.errors.values() for e in errs), "error")
    return go(url_for("contests.olympiads"))


@bp.route("/olympiads/<int:season_id>")
def season(season_id: int):
    require("contests.view")
    comp = competition_or_404(season_id, olympiad=True)
    stages = svc.stages_of(comp)
    held = {s.id: svc.stage_held(s) for s in stages}
    subjects = db.session.scalars(select(Nomination).where(Nomination.competition_id == comp.id)
                                  .order_by(Nomination.name)).all()
    return render_template("contests/season.html", comp=comp, stages=stages, held=held, subjects=subjects)


def _subject_filter(comp):
    subjects = db.session.scalars(select(Nomination).where(Nomination.competition_id == comp.id)
                                  .order_by(Nomination.name)).all()
    chosen = request.args.get("subject", type=int)
    if chosen not in {s.id for s in subjects}:
        chosen = subjects[0].id if subjects else None
    return subjects, chosen, request.args.get("grade", type=int)


@bp.route("/olympiads/stages/<int:stage_id>")
def stage(stage_id: int):
    require("contests.view")
    stage, comp = stage_or_404(stage_id)
    subjects, chosen, grade = _subject_filter(comp)
    settings = db.session.scalars(select(StageSubject).where(StageSubject.stage_id == stage.id,
                                                             StageSubject.nomination_id == chosen)
                                  .options(joinedload(StageSubject.nomination))
                                  .order_by(StageSubject.grade)).all()
    organiser = svc.is_organiser(current_user)
    rows = svc.with_places(svc.olympiad_rows(stage, chosen, grade)) if chosen else []
    maxima = {(s.nomination_id, s.grade): s for s in settings}
    appeals = {a.entry_id: a for a in db.session.scalars(
        select(Appeal).join(Entry, Entry.id == Appeal.entry_id).where(Entry.stage_id == stage.id))}
    add = ResultEntryForm()
    add.school_id.set_choices(school_choices())
    return render_template("contests/stage.html", comp=comp, stage=stage, subjects=subjects, chosen=chosen, grade=grade,
                           settings=settings, rows=rows, maxima=maxima, organiser=organiser, appeals=appeals,
                           setting_form=SettingForm(), add=add, confirm=ConfirmForm(), RESULT=RESULT_LABELS,
                           next_kind=NEXT.get(stage.kind), STAGE_LABELS=STAGE_LABELS, public_name=svc.public_name)


@bp.route("/olympiads/stages/<int:stage_id>/settings", methods=["POST"])
def stage_setting(stage_id: int):
    stage, comp = stage_or_404(stage_id)
    require("contests.edit")
    form = SettingForm()
    if form.validate_on_submit():
        nom = svc.subject(comp, clean(form.subject.data))
        row = svc.setting(stage, nom.id, form.grade.data)
        if row is None:
            row = StageSubject(tenant_id=comp.tenant_id, stage_id=stage.id, nomination_id=nom.id, grade=form.grade.data)
            db.session.add(row)
        row.held_on, row.venue = form.held_on.data, clean(form.venue.data)
        row.max_points, row.threshold = form.max_points.data, form.threshold.data
        row.quota_percent = form.quota_percent.data if form.quota_percent.data is not None else 25
        db.session.commit()
        flash(_("Параметры предмета сохранены."), "success")
        return go(url_for("contests.stage", stage_id=stage.id, subject=nom.id))
    return render_template("contests/setting_form.html", form=form, stage=stage, comp=comp), 422


@bp.route("/olympiads/stages/<int:stage_id>/results", methods=["POST"])
def result_add(stage_id: int):
    stage, comp = stage_or_404(stage_id)
    require("contests.edit")
    form = ResultEntryForm()
    form.school_id.set_choices(school_choices())
    if form.validate_on_submit():
        if stage.locked_at is not None:
            form.score.errors.append(_("Результаты этапа утверждены: баллы больше не меняются."))
        else:
            nom = svc.subject(comp, clean(form.subject.data))
            name = clean(form.pupil_name.data)
            key = svc.pupil_key(name, form.school_id.data)
            if db.session.scalar(select(Entry.id).where(Entry.stage_id == stage.id, Entry.nomination_id == nom.id,
                                                        Entry.pupil_key == key)):
                form.pupil_name.errors.append(_("Результат этого участника по этому предмету на этапе уже есть."))
            else:
                conf = svc.setting(stage, nom.id, form.grade.data)
                entry = Entry(tenant_id=comp.tenant_id, competition_id=comp.id, stage_id=stage.id,
                              nomination_id=nom.id, entrant="pupil", pupil_name=name, pupil_key=key,
                              grade=form.grade.data, school_id=form.school_id.data, consent=form.consent.data,
                              status="admitted", submitted_by_id=current_user.id)
                try:
                    svc.set_score(entry, stage, form.score.data, conf.max_points if conf else None)
                except svc.Refused as refused:
                    form.score.errors.append(str(refused))
                else:
                    db.session.add(entry)
                    svc.stage_changed(stage)
                    db.session.commit()
                    flash(_("Результат добавлен."), "success")
                    return go(url_for("contests.stage", stage_id=stage.id, subject=nom.id))
    return render_template("contests/result_form.html", form=form, stage=stage, comp=comp), 422


def _olympiad_entry(entry_id):
    entry, comp = entry_or_404(entry_id, olympiad=True)
    stage, _comp = stage_or_404(entry.stage_id)
    return entry, comp, stage


@bp.route("/olympiads/results/<int:result_id>/score", methods=["POST"])
def result_score(result_id: int):
    entry, comp, stage = _olympiad_entry(result_id)
    require("contests.edit")
    form = ScoreForm()
    if form.validate_on_submit():
        conf = svc.setting(stage, entry.nomination_id, entry.grade)
        try:
            svc.set_score(entry, stage, form.score.data, conf.max_points if conf else None)
        except svc.Refused as refused:
            flash(str(refused), "error")
            return go(url_for("contests.stage", stage_id=stage.id, subject=entry.nomination_id)), 422
        db.session.commit()
        flash(_("Баллы сохранены."), "success")
    else:
        flash(" ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return go(url_for("contests.stage", stage_id=stage.id, subject=entry.nomination_id)), 422
    return go(url_for("contests.stage", stage_id=stage.id, subject=entry.nomination_id))


@bp.route("/olympiads/results/<int:result_id>/result", methods=["POST"])
def result_status(result_id: int):
    entry, comp, stage = _olympiad_entry(result_id)
    require("contests.edit")
    form = ResultForm()
    if form.validate_on_submit():
        entry.result = form.result.data
        db.session.commit()
    return go(url_for("contests.stage", stage_id=stage.id, subject=entry.nomination_id))


@bp.route("/olympiads/stages/<int:stage_id>/lock", methods=["POST"])
def stage_lock(stage_id: int):
    stage, comp = stage_or_404(stage_id)
    require("contests.edit")
    if ConfirmForm().validate_on_submit():
        svc.lock(stage, current_user)
        svc.stage_changed(stage)
        db.session.commit()
        flash(_("Результаты этапа утверждены: баллы больше не меняются."), "success")
    return go(url_for("contests.stage", stage_id=stage.id))


# ---- the next stage -------------------------------------------------------------------------------

def _next_args(stage, comp):
    if stage.kind not in NEXT:
        abort(404)
    subjects, chosen, grade = _subject_filter(comp)
    return subjects, chosen, grade


@bp.route("/olympiads/stages/<int:stage_id>/next", methods=["GET", "POST"])
def next_list(stage_id: int):
    require("contests.view")
    stage, comp = stage_or_404(stage_id)
    subjects, chosen, grade = _next_args(stage, comp)
    settings = db.session.scalars(select(StageSubject).where(StageSubject.stage_id == stage.id,
                                                             StageSubject.nomination_id == chosen)
                                  .order_by(StageSubject.grade)).all() if chosen else []
    grades = [s.grade for s in settings]
    if grade not in grades:
        grade = grades[0] if grades else None
    nom = next((s for s in subjects if s.id == chosen), None)
    if request.method == "POST":
        require("contests.edit")
        if ConfirmForm().validate_on_submit() and nom and grade:
            try:
                added = svc.promote(comp, stage.kind, nom, grade, current_user)
            except svc.Refused as refused:
                flash(str(refused), "error")
            else:
                db.session.commit()
                flash(_("Добавлено в список следующего этапа: %(n)s.", n=added), "success")
        return go(url_for("contests.next_list", stage_id=stage.id, subject=chosen, grade=grade))
    rows = svc.next_stage_list(comp, stage.kind, nom, grade) if nom and grade else []
    conf = next((s for s in settings if s.grade == grade), None)
    return render_template("contests/next.html", comp=comp, stage=stage, subjects=subjects, chosen=chosen, grade=grade,
                           grades=grades, rows=rows, conf=conf, next_label=STAGE_LABELS[NEXT[stage.kind]],
                           organiser=svc.is_organiser(current_user), confirm=ConfirmForm())


@bp.route("/olympiads/stages/<int:stage_id>/next.xlsx")
def next_xlsx(stage_id: int):
    """The list for the next stage (e.g. the regional stage's list from the municipal one), every subject and
    grade with a threshold."""
    require("contests.edit")
    stage, comp = stage_or_404(stage_id)
    if stage.kind not in NEXT:
        abort(404)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Список")
    ws.append(row_values([f"{OLYMPIAD_STAGES[NEXT[stage.kind]]} {comp.start_year}/{comp.start_year + 1}: "
                          "список участников"]))
    ws.append(row_values(["Предмет", "Класс", "ФИО", "ОО", "Баллы", "Основание"]))
    settings = db.session.scalars(select(StageSubject).where(StageSubject.stage_id == stage.id)
                                  .options(joinedload(StageSubject.nomination))
                                  .order_by(StageSubject.nomination_id, StageSubject.grade)).all()
    for conf in settings:
        for c in svc.next_stage_list(comp, stage.kind, conf.nomination, conf.grade):
            ws.append(row_values([conf.nomination.name, c.grade, c.name, c.school_label, c.score,
                                  "проходной балл" if c.reason == "threshold" else "победитель/призёр прошлого года"]))
    return xlsx_response(wb, f"Список — {OLYMPIAD_STAGES[NEXT[stage.kind]]}.xlsx",
                         audit_summary=f"Список участников: {OLYMPIAD_STAGES[NEXT[stage.kind]]}")


@bp.route("/olympiads/stages/<int:stage_id>/protocol.xlsx")
def stage_protocol_xlsx(stage_id: int):
    require("contests.edit")
    stage, comp = stage_or_404(stage_id)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Протокол")
    ws.append(row_values([f"Протокол: {OLYMPIAD_STAGES.get(stage.kind, '')}, {comp.title}"]))
    ws.append(row_values(["Предмет", "Класс", "Место", "ФИО", "ОО", "Баллы", "Статус", "Согласие родителя"]))
    for e, place in svc.with_places(svc.olympiad_rows(stage)):
        ws.append(row_values([e.nomination.name if e.nomination else "", e.grade, place, e.pupil_name,
                              e.school.label if e.school else "", e.score, RESULTS.get(e.result, ""),
                              "да" if e.consent else "нет"]))
    return xlsx_response(wb, f"Протокол — {OLYMPIAD_STAGES.get(stage.kind, '')}.xlsx",
                         audit_summary=f"Протокол олимпиады: {OLYMPIAD_STAGES.get(stage.kind, '')}")


@bp.route("/olympiads/stages/<int:stage_id>/rating")
def stage_rating(stage_id: int):
    """The published rating: names only with a parent's consent, initials otherwise. Constant queries."""
    require("contests.view")
    stage, comp = stage_or_404(stage_id)
    subjects, chosen, grade = _subject_filter(comp)
    rows = svc.with_places(svc.olympiad_rows(stage, chosen, grade)) if chosen else []
    return render_template("contests/stage_rating.html", comp=comp, stage=stage, subjects=subjects, chosen=chosen,
                           grade=grade, rows=rows, public_name=svc.public_name, RESULT=RESULT_LABELS)


@bp.route("/olympiads/stages/<int:stage_id>/rating.xlsx")
def stage_rating_xlsx(stage_id: int):
    """The published rating of a stage, every subject and grade, as a spreadsheet (initials without consent)."""
    require("contests.view")
    stage, comp = stage_or_404(stage_id)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Рейтинг")
    ws.append(row_values([f"Рейтинг: {OLYMPIAD_STAGES.get(stage.kind, '')}, {comp.title}"]))
    ws.append(row_values(["Предмет", "Класс", "Место", "Участник", "ОО", "Баллы", "Статус"]))
    for e, place in svc.with_places(svc.olympiad_rows(stage)):
        ws.append(row_values([e.nomination.name if e.nomination else "", e.grade, place, svc.public_name(e),
                              e.school.label if e.school else "", e.score, RESULTS.get(e.result, "")]))
    return xlsx_response(wb, f"Рейтинг — {OLYMPIAD_STAGES.get(stage.kind, '')}.xlsx")


# ---- appeals --------------------------------------------------------------------------------------

@bp.route("/olympiads/results/<int:result_id>/appeal", methods=["GET", "POST"])
def appeal(result_id: int):
    entry, comp, stage = _olympiad_entry(result_id)
    require("contests.edit")
    form = AppealForm()
    history = db.session.scalars(select(Appeal).where(Appeal.entry_id == entry.id).order_by(Appeal.id)).all()
    if form.validate_on_submit():
        svc.request_appeal(entry, form.reason.data.strip())
        db.session.commit()
        flash(_("Апелляция зарегистрирована."), "success")
        return go(url_for("contests.appeal", result_id=entry.id))
    conf = svc.setting(stage, entry.nomination_id, entry.grade)
    return form_page("contests/appeal.html", "contests/appeal.html", 422 if form.errors else 200, form=form,
                     entry=entry, comp=comp, stage=stage, history=history, decide=AppealDecisionForm(), conf=conf)


@bp.route("/olympiads/appeals/<int:appeal_id>/decide", methods=["POST"])
def appeal_decide(appeal_id: int):
    row = one_or_404(Appeal, appeal_id)
    entry, comp, stage = _olympiad_entry(row.entry_id)
    require("contests.edit")
    form = AppealDecisionForm()
    if form.validate_on_submit():
        conf = svc.setting(stage, entry.nomination_id, entry.grade)
        try:
            svc.decide_appeal(row, entry, stage, form.decision.data == "upheld", form.new_score.data,
                              conf.max_points if conf else None, current_user)
        except svc.Refused as refused:
            flash(str(refused), "error")
            return go(url_for("contests.appeal", result_id=entry.id)), 422
        db.session.commit()
        flash(_("Решение по апелляции сохранено."), "success")
    return go(url_for("contests.appeal", result_id=entry.id))


@bp.route("/olympiads/analytics")
def analytics():
    require("contests.view")
    years = db.session.scalars(select(Competition.start_year).where(
        Competition.tenant_id == current_tenant.id, Competition.is_vsosh.is_(True))
        .order_by(Competition.start_year.desc())).all()
    year = request.args.get("year", type=int)
    year = year if year in years else None
    data = svc.analytics(current_tenant.id, year)
    top = max([row[1] for row in data["by_subject"]] or [1])
    return render_template("contests/analytics.html", data=data, top=top, STAGE_LABELS=STAGE_LABELS, years=years,
                           year=year)



@bp.route("/olympiads/results/<int:result_id>/delete", methods=["POST"])
def result_delete(result_id: int):
    entry, comp, stage = _olympiad_entry(result_id)
    require("contests.edit")
    if stage.locked_at is not None:
        flash(_("Результаты этапа утверждены: баллы больше не меняются."), "error")
        return go(url_for("contests.stage", stage_id=stage.id, subject=entry.nomination_id)), 422
    if ConfirmForm().validate_on_submit():
        db.session.delete(entry)
        svc.stage_changed(stage)
        db.session.commit()
        flash(_("Результат удалён."), "success")
    return go(url_for("contests.stage", stage_id=stage.id, subject=entry.nomination_id))
