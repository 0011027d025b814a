"""Answering through a one-time link, without an account: /s/<district>/<token>.

Not a district page (nobody logs in): the district comes from the URL, is made current for the database's
row-level security, and only the link's own survey is reachable. A used link is refused.
"""
from flask import Blueprint, abort, g, render_template, request

from sqlalchemy.orm import selectinload

from oms import rls
from oms.extensions import db, limiter
from oms.models import Survey, SurveyLink, Tenant
from oms.services import surveys as svc

bp = Blueprint("survey_link", __name__)


def _link_or_404(district: str, token: str):
    tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == district))
    if tenant is None or tenant.is_suspended or len(token) > 100:
        abort(404)
    rls.enter_district(tenant.id)
    g.tenant = tenant
    g.tenant_slug = tenant.slug
    link = db.session.scalar(SurveyLink.scoped().where(SurveyLink.token_digest == svc.digest(token)))
    if link is None:
        abort(404)
    survey = db.session.scalar(Survey.scoped().where(Survey.id == link.survey_id)
                            .options(selectinload(Survey.questions)))
    return link, survey


@bp.route("/s/<district:district>/<token>", methods=["GET", "POST"])
@limiter.limit("60/minute")
def answer(district: str, token: str):
    link, survey = _link_or_404(district, token)
    refusal = svc.refusal(survey, None, link)
    answers, errors = {}, {}
    if request.method == "POST" and not refusal:
        answers, errors = svc.read_answers(survey, survey.questions, request.form)
        if not errors:
            svc.submit(survey, answers, None, link)
            db.session.commit()
            return render_template("surveys/public.html", survey=survey, done=True)
    status = 422 if (request.method == "POST" and (refusal or errors)) else 200
    return render_template("surveys/public.html", survey=survey, refusal=refusal, answers=answers, errors=errors,
                           action=request.path, done=False), status
