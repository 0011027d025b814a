"""Factories for surveys."""
from datetime import date

from oms.extensions import db
from oms.models import Survey, SurveyQuestion
from oms.models.surveys import ProposedDeficit

from . import route_arg
from .core import person_in
from .development import area_in


@route_arg("survey_id")
def survey_in(tenant, **kw):
    questions = kw.pop("questions", None)
    survey = Survey(tenant_id=tenant.id, title=kw.pop("title", "Мониторинг потребностей педагогов"),
                    opens_on=kw.pop("opens_on", date(2025, 10, 1)), closes_on=kw.pop("closes_on", date(2025, 12, 31)),
                    **kw)
    db.session.add(survey)
    db.session.flush()
    for n, q in enumerate(questions if questions is not None else [
            {"kind": "single", "text": "Нужна ли вам помощь?", "options": ["Да", "Нет"]}], start=1):
        db.session.add(SurveyQuestion(tenant_id=tenant.id, survey_id=survey.id, position=n, **q))
    db.session.flush()
    return survey


@route_arg("survey_question_id")
def survey_question_in(tenant, survey=None):
    survey = survey or survey_in(tenant, questions=[])
    q = SurveyQuestion(tenant_id=tenant.id, survey_id=survey.id, kind="text", text="Ваши предложения")
    db.session.add(q)
    db.session.flush()
    return q


@route_arg("proposed_deficit_id")
def proposed_deficit_in(tenant, survey=None):
    survey = survey or survey_in(tenant, threshold=2)
    p = ProposedDeficit(tenant_id=tenant.id, survey_id=survey.id, person_id=person_in(tenant).id,
                        area_id=area_in(tenant).id, score=1)
    db.session.add(p)
    db.session.flush()
    return p
