"""Answering a survey from «Моё» (a logged-in user with a person record)."""
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.development.common import go, own_person
from oms.extensions import db
from oms.permissions import require
from oms.services import surveys as svc

from . import bp
from .routes import survey_or_404


@bp.route("/<int:survey_id>/answer", methods=["GET", "POST"])
def answer(survey_id: int):
    survey = survey_or_404(survey_id, questions=True)
    require("surveys.answer")
    me = own_person()
    if me is not None and not svc.addresses(survey, me):
        me_refusal = _("Эта анкета адресована другим педагогам.")
    else:
        me_refusal = svc.refusal(survey, me)
    answers, errors = {}, {}
    if request.method == "POST":
        if me_refusal:
            db.session.rollback()
            return render_template("surveys/answer.html", survey=survey, refusal=me_refusal, answers={},
                                   errors={}, action=None), 422
        answers, errors = svc.read_answers(survey, survey.questions, request.form)
        if not errors:
            try:
                svc.submit(survey, answers, me)
            except svc.Refused as refused:
                db.session.rollback()
                return render_template("surveys/answer.html", survey=survey, refusal=str(refused), answers={},
                                       errors={}, action=None), 422
            db.session.commit()
            flash(_("Спасибо! Ваш ответ принят."), "success")
            return go(url_for("me.index"))
    return render_template("surveys/answer.html", survey=survey, refusal=me_refusal, answers=answers,
                           errors=errors, action=url_for("surveys.answer", survey_id=survey.id)), \
        (422 if errors else 200)
