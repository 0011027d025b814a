"""Moving a practice through the workflow: plain moves, experts, the council, the experts' reviews."""
from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from blueprints.development.common import form_page, go
from oms.concurrency import commit_versioned, version_conflict
from oms.extensions import db
from oms.models import AgendaItem, Body, BodyKind, Meeting
from oms.models.practices import CONCLUSIONS, STATUSES, PracticeReview, ReviewScore
from oms.services import practices as flow
from oms.tenancy import current_tenant
from oms.text import in_russian

from . import bp
from .common import allow, practice_or_404, refuse
from .forms import AgendaForm, CommentForm, CouncilForm, ExpertsForm, review_form


def _back(practice):
    return go(url_for("practices.show", practice_id=practice.id))


def _refused(practice, message: str):
    db.session.rollback()
    flash(message, "error")
    return _back(practice)


@bp.route("/<int:practice_id>/move/<practice_action>", methods=["POST"])
def move(practice_id: int, practice_action: str):
    action = practice_action
    practice = practice_or_404(practice_id, full=True)
    if action not in flow.MOVES or action in ("assign", "agenda", "council", "edit", "revise", "delete"):
        abort(404)
    if not flow.may(action, practice, current_user, practice.rel) and flow.why_not(action, practice, current_user):
        return _refused(practice, flow.why_not(action, practice, current_user))
    allow(action, practice)
    form = CommentForm()
    if not form.validate_on_submit():
        return _refused(practice, " ".join(form.comment.errors) or _("Форма устарела: обновите страницу."))
    try:
        flow.move(practice, action, current_user, practice.rel, form.comment.data or "")
    except flow.Refused as refused:
        return _refused(practice, str(refused))
    db.session.commit()
    flash(_("Статус практики: %(status)s.", status=_(STATUSES[practice.status])), "success")
    return _back(practice)


@bp.route("/<int:practice_id>/experts", methods=["GET", "POST"])
def experts(practice_id: int):
    practice = practice_or_404(practice_id)
    allow("assign", practice)
    form = ExpertsForm()
    if form.validate_on_submit():
        try:
            flow.assign_experts(practice, form.experts.people, current_user, practice.rel)
        except flow.Refused as refused:
            db.session.rollback()
            form.experts.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Эксперты назначены; практика на экспертизе."), "success")
            return _back(practice)
    status = 422 if request.method == "POST" else 200
    return form_page("practices/experts.html", "practices/experts.html", status, form=form, practice=practice)


def council_meetings(field) -> bool:
    """The picker finds the meetings of the district's councils, any year, the latest first; whether there is
    one at all (one query)."""
    field.params = {"category": "council"}
    return db.session.scalar(
        select(Meeting.id).join(Body, Body.id == Meeting.body_id).join(BodyKind, BodyKind.id == Body.kind_id)
        .where(Meeting.tenant_id == current_tenant.id, BodyKind.category == "council").limit(1)) is not None


@bp.route("/<int:practice_id>/agenda", methods=["GET", "POST"])
def agenda(practice_id: int):
    practice = practice_or_404(practice_id)
    allow("agenda", practice)
    form = AgendaForm()
    has_meetings = council_meetings(form.meeting_id)
    if form.validate_on_submit():
        try:
            flow.put_on_agenda(practice, form.meeting_id.data, current_user, practice.rel)
        except flow.Refused as refused:
            db.session.rollback()
            form.meeting_id.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Практика включена в повестку заседания совета."), "success")
            return _back(practice)
    status = 422 if request.method == "POST" else 200
    return form_page("practices/agenda.html", "practices/agenda.html", status, form=form, practice=practice,
                     has_meetings=has_meetings)


@bp.route("/<int:practice_id>/council", methods=["GET", "POST"])
def council(practice_id: int):
    practice = practice_or_404(practice_id)
    allow("council", practice)
    form = CouncilForm()
    has_meetings = council_meetings(form.meeting_id)
    if request.method == "GET":
        form.text.data = flow.decision_text(practice)
        if practice.agenda_item_id:
            form.meeting_id.data = db.session.scalar(
                select(AgendaItem.meeting_id).where(AgendaItem.id == practice.agenda_item_id,
                                                    AgendaItem.tenant_id == current_tenant.id))
    if form.validate_on_submit():
        try:
            flow.record_decision(practice, form.meeting_id.data, form.text.data, current_user, practice.rel)
        except flow.Refused as refused:
            db.session.rollback()
            form.text.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Решение совета записано в протокол заседания; практику можно опубликовать."), "success")
            return _back(practice)
    status = 422 if request.method == "POST" else 200
    return form_page("practices/council.html", "practices/council.html", status, form=form,
                     practice=practice, has_meetings=has_meetings)


# ---- the expert's review -------------------------------------------------------------------------

def _review_or_404(practice, review_id) -> PracticeReview:
    review = db.session.scalar(
        PracticeReview.scoped().where(PracticeReview.id == review_id, PracticeReview.practice_id == practice.id)
        .options(joinedload(PracticeReview.expert), selectinload(PracticeReview.scores)))
    if review is None:
        abort(404)
    return review


def _is_own(review) -> bool:
    return review.expert.user_id is not None and review.expert.user_id == current_user.id


@bp.route("/<int:practice_id>/reviews/<int:practice_review_id>", methods=["GET", "POST"])
def review(practice_id: int, practice_review_id: int):
    practice = practice_or_404(practice_id)
    review = _review_or_404(practice, practice_review_id)
    if not _is_own(review):
        refuse("review", review)
    open_ = practice.status == "review" and review.round == practice.review_round and not review.is_done
    criteria = flow.rubric(current_tenant.id)
    scores = {s.criterion_id: s.points for s in review.scores}
    if request.method == "GET" or not open_:
        form = review_form(criteria, obj=review, scores=scores)
        db.session.commit()  # the default rubric, when the district had none
    else:
        form = review_form(criteria, formdata=request.form)
    conflict = None
    if open_ and request.method == "POST" and form.validate_on_submit():
        conflict = version_conflict(form, review)
        if conflict is None:
            def apply():
                review.conclusion = form.conclusion.data
                review.comment = (form.comment.data or "").strip()
                review.submitted_at = flow.now()
                by_criterion = {s.criterion_id: s for s in review.scores}
                for criterion, field in form.criteria:
                    row = by_criterion.get(criterion.id)
                    if row is None:
                        row = ReviewScore(tenant_id=review.tenant_id, criterion_id=criterion.id)
                        review.scores.append(row)
                    row.points = field.data
            conflict = commit_versioned(form, review, apply)
            if conflict is None:
                flash(_("Экспертное заключение отправлено методисту."), "success")
                return _back(practice)
    elif request.method == "POST" and not open_:
        flash(_("Эта экспертиза уже закрыта: заключение изменить нельзя."), "error")
        return _back(practice)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("practices/review.html", "practices/review.html", status, form=form, practice=practice,
                     review=review, open_=open_, conflict=conflict)


@bp.route("/<int:practice_id>/reviews/<int:practice_review_id>/print")
def review_print(practice_id: int, practice_review_id: int):
    """«Экспертное заключение»: a page to print (the expert's own, or any for the methodist and the admin)."""
    practice = practice_or_404(practice_id)
    review = _review_or_404(practice, practice_review_id)
    if not (_is_own(review) or current_user.role in flow.MANAGERS or "author" in practice.rel):
        refuse("review", review)
    criteria = flow.rubric(current_tenant.id)
    db.session.commit()
    scores = {s.criterion_id: s.points for s in review.scores}
    return render_template("practices/review_print.html", practice=practice, review=review, criteria=criteria,
                           scores=scores, conclusion=CONCLUSIONS.get(review.conclusion, ""), in_russian=in_russian)
