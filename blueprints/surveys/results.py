"""A survey's results: response rate by school, charts per question, raw answers as XLSX, and for a
self-analysis the deficits it proposes, reviewed by the methodist before they are created."""
from flask import flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from blueprints.development.common import go, one_or_404
from oms import clock
from oms.audit import record
from oms.extensions import db
from oms.models import Person, PlanItem, School, SurveyResponse
from oms.models.surveys import ProposedDeficit
from oms.permissions import require
from oms.services import surveys as svc
from oms.xlsx import SheetRows, content_disposition, save_with_rows

from . import bp
from .routes import LABELS, survey_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/<int:survey_id>/results")
def results(survey_id: int):
    survey = survey_or_404(survey_id, questions=True)
    require("surveys.manage")
    school_id = request.args.get("school", type=int)
    schools = db.session.scalars(School.scoped().order_by(School.short_name, School.name)).all()
    proposals = db.session.scalars(
        ProposedDeficit.scoped().where(ProposedDeficit.survey_id == survey.id, ProposedDeficit.status == "proposed")
        .options(joinedload(ProposedDeficit.person), joinedload(ProposedDeficit.area))
        .order_by(ProposedDeficit.id).limit(200)).all() if survey.threshold is not None else []
    item = db.session.scalar(PlanItem.scoped().where(PlanItem.id == survey.plan_item_id)) \
        if survey.plan_item_id else None
    return render_template("surveys/results.html", survey=survey, r=svc.results(survey, survey.questions, school_id),
                           plan_item=item,
                           rate=svc.response_rate(survey), schools=schools, school_id=school_id, today=clock.today(),
                           proposals=proposals, **LABELS)


@bp.route("/<int:survey_id>/export.xlsx")
def export(survey_id: int):
    """The raw answers, one row per response (named surveys: with the person and the school)."""
    survey = survey_or_404(survey_id, questions=True)
    require("surveys.manage")
    responses = db.session.execute(select(SurveyResponse.answers, SurveyResponse.person_id, SurveyResponse.school_id,
                                          SurveyResponse.submitted_on).where(SurveyResponse.survey_id == survey.id)
                                   .order_by(SurveyResponse.id)).all()
    people, schools = {}, {}
    if not survey.is_anonymous:
        people = {p.id: p.full_name for p in db.session.scalars(Person.scoped().where(
            Person.id.in_({r.person_id for r in responses if r.person_id})))}
        schools = {s.id: s.name for s in db.session.scalars(School.scoped())}
    wb = Workbook()  # the rows go in as XML text (oms.xlsx.SheetRows): 5,000 answers in well under a second
    ws = wb.active
    ws.title = "Ответы"
    ws.freeze_panes = "A2"
    rows = SheetRows(ws)
    head = ["№"] + ([] if survey.is_anonymous else ["ФИО", "Образовательная организация", "Дата"])
    head += [q.text for q in survey.questions]
    plain = [0] * len(head)
    rows.append(head, plain)
    for n, r in enumerate(responses, start=1):
        named = [] if survey.is_anonymous else [people.get(r.person_id, ""), schools.get(r.school_id, ""),
                                                r.submitted_on.strftime("%d.%m.%Y") if r.submitted_on else ""]
        rows.append([n] + named + [svc.answer_text(q, r.answers.get(str(q.id))) for q in survey.questions], plain)
    data = save_with_rows(wb, [rows])
    db.session.commit()
    record("export", survey, summary=f"Ответы анкеты в XLSX: {len(responses)}")
    db.session.commit()
    response = make_response(data)
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(f"Ответы {survey.title[:80]}.xlsx")
    return response


@bp.route("/<int:survey_id>/proposals", methods=["POST"])
def propose(survey_id: int):
    survey = survey_or_404(survey_id, questions=True)
    require("surveys.manage")
    added = svc.propose_deficits(survey, survey.questions)
    db.session.commit()
    flash(_("Предложено дефицитов: %(n)s. Просмотрите их и подтвердите нужные.", n=added), "success")
    return go(url_for("surveys.results", survey_id=survey.id, _anchor="proposals"))


@bp.route("/<int:survey_id>/proposals/<int:proposed_deficit_id>", methods=["POST"])
def review(survey_id: int, proposed_deficit_id: int):
    survey = survey_or_404(survey_id)
    require("development.edit")
    proposal = one_or_404(ProposedDeficit, proposed_deficit_id, ProposedDeficit.survey_id == survey.id,
                          ProposedDeficit.status == "proposed")
    if request.form.get("decision") == "accept":
        source = "self_assessment" if survey.purpose == "self_analysis" else "diagnostic"
        svc.accept_proposal(proposal, source)
        flash(_("Дефицит записан педагогу."), "success")
    else:
        proposal.status = "dismissed"
        flash(_("Предложение отклонено."), "success")
    db.session.commit()
    return go(url_for("surveys.results", survey_id=survey.id, _anchor="proposals"))


