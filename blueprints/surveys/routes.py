"""The survey list and builder: a survey from a template, its settings and audience, its questions, links."""
from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from blueprints.development.common import go, one_or_404, own_person, page_number
from oms import clock
from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.models import CompetenceArea, Plan, PlanItem, School, Survey, SurveyQuestion, SurveyRespondent, SurveyResponse
from oms.models.surveys import OPTION_SOURCES, PURPOSES, QUESTION_KINDS, SURVEY_STATES
from oms.permissions import can, require
from oms.services import surveys as svc
from oms.tenancy import current_tenant
from oms.text import clean

from . import bp
from .forms import QuestionForm, SurveyForm

PER_PAGE = 30
LABELS = dict(PURPOSES=PURPOSES, QUESTION_KINDS=QUESTION_KINDS, SURVEY_STATES=SURVEY_STATES,
              OPTION_SOURCES=OPTION_SOURCES)


def survey_or_404(survey_id, questions=False) -> Survey:
    options = [selectinload(Survey.questions)] if questions else []
    return one_or_404(Survey, survey_id, options=options)


def response_counts(ids) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(select(SurveyRespondent.survey_id, func.count())
                                   .where(SurveyRespondent.survey_id.in_(ids))
                                   .group_by(SurveyRespondent.survey_id)).all())


@bp.route("/")
def index():
    require("district.view")
    today = clock.today()
    if not can("surveys.manage"):
        return render_template("surveys/mine.html", surveys=for_me(today), today=today, **LABELS)
    q = request.args.get("q", "").strip()[:100]
    stmt = Survey.scoped()
    if q:
        stmt = stmt.where(Survey.title.contains(q, autoescape=True))
    page = db.paginate(stmt.order_by(Survey.id.desc()), page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("surveys/index.html", page=page, q=q, today=today,
                           counts=response_counts([s.id for s in page.items]), **LABELS)


def for_me(today) -> list[tuple[Survey, bool]]:
    """Open surveys addressed to the logged-in user, and whether they have answered (for «Моё» and the list)."""
    me = own_person()
    if me is None:
        return []
    surveys = db.session.scalars(Survey.scoped().where(Survey.opens_on.is_not(None), Survey.opens_on <= today)
                                 .where((Survey.closes_on.is_(None)) | (Survey.closes_on >= today))
                                 .order_by(Survey.closes_on)).all()
    my_events = svc.person_events(me) if any((s.audience or {}).get("event") for s in surveys) else set()
    surveys = [s for s in surveys if svc.addresses(s, me, my_events)]
    done = set(db.session.scalars(select(SurveyRespondent.survey_id).where(
        SurveyRespondent.person_id == me.id, SurveyRespondent.survey_id.in_([s.id for s in surveys])))) \
        if surveys else set()
    return [(s, s.id in done) for s in surveys]


@bp.app_template_global("my_open_surveys")
def my_open_surveys():
    from flask import g

    if g.get("tenant_id") is None or not current_user.is_authenticated:
        return []
    return [s for s, done in for_me(clock.today()) if not done]


def _school_choices(form, survey: Survey | None = None):
    form.schools.choices = [(s.id, s.label) for s in db.session.scalars(
        School.scoped().order_by(School.short_name, School.name))]
    day = form.opens_on.data if form.opens_on.data and not form.opens_on.errors else clock.today()
    start = day.year if day.month >= 9 else day.year - 1
    form.event_id.params = {"years": str(start)}  # found with the picker: the events of the survey's school year
    event_before = (survey.audience or {}).get("event") if survey is not None else None
    form.event_id.keep = {event_before} if event_before else set()  # aimed at before: stays chosen
    years = {start}
    if survey is not None and survey.plan_item_id:  # linked before: its year stays choosable
        linked = db.session.scalar(PlanItem.scoped().join(Plan, Plan.id == PlanItem.plan_id)
                                   .where(PlanItem.id == survey.plan_item_id).with_only_columns(Plan.start_year))
        years |= {linked} if linked is not None else set()
    form.plan_item_id.params = {"years": ",".join(str(y) for y in sorted(years))}  # found with the picker


def _apply_settings(survey: Survey, form) -> bool:
    if form.opens_on.data and form.closes_on.data and form.closes_on.data < form.opens_on.data:
        form.closes_on.errors.append(_("Дата закрытия раньше даты открытия."))
        return False
    survey.title = clean(form.title.data) or survey.title
    survey.purpose = form.purpose.data
    survey.intro = (form.intro.data or "").strip()
    survey.opens_on = form.opens_on.data
    survey.closes_on = form.closes_on.data
    offered = {value for value, _label in form.schools.choices}
    survey.audience = {"schools": [i for i in (form.schools.data or []) if i in offered],
                       "positions": svc.fold_list(form.positions.data), "subjects": svc.fold_list(form.subjects.data),
                       "young": bool(form.young.data), "event": form.event_id.data or None}
    survey.threshold = form.threshold.data
    survey.plan_item_id = form.plan_item_id.data
    return True


@bp.route("/new", methods=["GET", "POST"])
def new():
    require("surveys.manage")
    form = SurveyForm()
    _school_choices(form)
    if request.method == "GET" and request.args.get("template") in svc.TEMPLATES:
        form.template.data = request.args["template"]
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        if not form.template.data and not clean(form.title.data):
            form.title.errors.append(_("Укажите название или выберите шаблон."))
        else:
            survey = Survey(tenant_id=current_tenant.id, created_by_id=current_user.id, title="")
            if _apply_settings(survey, form):
                survey.is_anonymous = bool(form.is_anonymous.data)
                db.session.add(survey)
                db.session.flush()
                if form.template.data:
                    svc.from_template(survey, form.template.data)
                    if clean(form.title.data):
                        survey.title = clean(form.title.data)
                    if request.form.get("anonymity") in ("named", "anonymous"):
                        survey.is_anonymous = request.form["anonymity"] == "anonymous"
                remember_result(url_for("surveys.edit", survey_id=survey.id))
                db.session.commit()
                flash(_("Анкета создана. Проверьте вопросы и откройте её для ответов."), "success")
                return go(url_for("surveys.edit", survey_id=survey.id))
    status = 422 if request.method == "POST" else 200
    if status == 422:
        db.session.rollback()
    return render_template("surveys/new.html", form=form, **LABELS), status


def _settings_form(survey: Survey) -> SurveyForm:
    if request.method == "GET":
        form = SurveyForm(obj=survey)
        aud = survey.audience or {}
        form.schools.data = aud.get("schools", [])
        form.positions.data = ", ".join(aud.get("positions", []))
        form.subjects.data = ", ".join(aud.get("subjects", []))
        form.young.data = aud.get("young", False)
        form.event_id.data = aud.get("event")
    else:
        form = SurveyForm()
    _school_choices(form, survey)
    return form


def _question_form() -> QuestionForm:
    form = QuestionForm()
    form.area_id.set_choices([(a.id, a.name) for a in db.session.scalars(
        CompetenceArea.scoped().order_by(CompetenceArea.position, CompetenceArea.name))])
    return form


def _has_answers(survey: Survey) -> bool:
    return db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id).limit(1)) \
        is not None


def _builder(survey, form, qform, status, conflict=None):
    return render_template("surveys/edit.html", survey=survey, form=form, qform=qform, conflict=conflict,
                           locked=_has_answers(survey), today=clock.today(),
                           answered=response_counts([survey.id]).get(survey.id, 0), **LABELS), status


@bp.route("/<int:survey_id>/", methods=["GET", "POST"])
def edit(survey_id: int):
    survey = survey_or_404(survey_id, questions=True)
    require("surveys.manage")
    form = _settings_form(survey)
    conflict = None
    if request.method == "POST":
        if form.validate_on_submit() and (conflict := version_conflict(form, survey)) is None:
            if _apply_settings(survey, form):
                conflict = commit_versioned(form, survey)
                if conflict is None:
                    flash(_("Настройки анкеты сохранены."), "success")
                    return go(url_for("surveys.edit", survey_id=survey.id))
        db.session.rollback()
        survey = survey_or_404(survey_id, questions=True)
        return _builder(survey, form, _question_form(), 409 if conflict else 422, conflict)
    return _builder(survey, form, _question_form(), 200)


@bp.route("/<int:survey_id>/questions", methods=["POST"])
def question_add(survey_id: int):
    survey = survey_or_404(survey_id, questions=True)
    require("surveys.manage")
    qform = _question_form()
    if _has_answers(survey):
        flash(_("На анкету уже отвечали: вопросы менять нельзя, иначе ответы перестанут совпадать."), "error")
        return go(url_for("surveys.edit", survey_id=survey.id)), 422
    if qform.validate_on_submit():
        kind = qform.kind.data
        options = [o.strip()[:300] for o in (qform.options.data or "").splitlines() if o.strip()][:60]
        if qform.source.data and kind in ("single", "multiple"):
            options = svc.catalogue_options(current_tenant.id, qform.source.data)
        rows = [r.strip()[:300] for r in (qform.rows.data or "").splitlines() if r.strip()][:40]
        problem = svc.question_problem(kind, options, rows)
        lo, hi = qform.scale_min.data or 1, qform.scale_max.data or 5
        if problem:
            (qform.rows if "строки" in problem.lower() else qform.options).errors.append(problem)
        elif kind == "scale" and lo >= hi:
            qform.scale_max.errors.append(_("Верх шкалы должен быть больше низа."))
        else:
            position = max((q.position for q in survey.questions), default=0) + 1
            db.session.add(SurveyQuestion(
                tenant_id=current_tenant.id, survey_id=survey.id, position=position, kind=kind,
                text=clean(qform.text.data), options=options if kind in ("single", "multiple", "matrix") else [],
                rows=rows if kind == "matrix" else [], scale_min=lo, scale_max=hi,
                required=bool(qform.required.data), area_id=qform.area_id.data))
            db.session.commit()
            flash(_("Вопрос добавлен."), "success")
            return go(url_for("surveys.edit", survey_id=survey.id, _anchor="questions"))
    db.session.rollback()
    survey = survey_or_404(survey_id, questions=True)
    return _builder(survey, _settings_form(survey), qform, 422)


@bp.route("/<int:survey_id>/questions/<int:survey_question_id>/delete", methods=["POST"])
def question_delete(survey_id: int, survey_question_id: int):
    survey = survey_or_404(survey_id)
    require("surveys.manage")
    question = one_or_404(SurveyQuestion, survey_question_id, SurveyQuestion.survey_id == survey.id)
    if _has_answers(survey):
        flash(_("На анкету уже отвечали: вопросы менять нельзя, иначе ответы перестанут совпадать."), "error")
        return go(url_for("surveys.edit", survey_id=survey.id)), 422
    db.session.delete(question)
    db.session.commit()
    flash(_("Вопрос удалён."), "success")
    return go(url_for("surveys.edit", survey_id=survey.id, _anchor="questions"))


@bp.route("/<int:survey_id>/delete", methods=["POST"])
def delete(survey_id: int):
    survey = survey_or_404(survey_id)
    require("surveys.manage")
    db.session.delete(survey)
    db.session.commit()
    flash(_("Анкета удалена вместе с ответами."), "success")
    return go(url_for("surveys.index"))


@bp.route("/<int:survey_id>/links", methods=["GET", "POST"])
def links(survey_id: int):
    """One-time links for the audience's people without an account (and unnamed ones): shown once."""
    survey = survey_or_404(survey_id)
    require("surveys.manage")
    made = []
    if request.method == "POST":
        people = svc.people_without_links(survey)
        extra = request.form.get("extra", type=int) or 0
        if not 0 <= extra <= 500:
            abort(422)
        made = svc.make_links(survey, people, extra)
        db.session.commit()
        flash(_("Ссылок создано: %(n)s. Скопируйте их сейчас — потом их не показать.", n=len(made)), "success")
    waiting = len(svc.people_without_links(survey))
    return render_template("surveys/links.html", survey=survey, made=made, waiting=waiting,
                           base=request.host_url.rstrip("/"), slug=current_tenant.slug)


