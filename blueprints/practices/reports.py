"""The register of practices (XLSX), the counts for the year's analysis, the author's certificate, the rubric."""
import io

from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from blueprints.development.common import form_page, go
from oms import clock
from oms.audit import record
from oms.concurrency import commit_versioned, version_conflict
from oms.extensions import db
from oms.formatting import academic_year
from oms.models import Decision, Meeting, School
from oms.models.practices import (KINDS, LEVELS, STATUSES, Practice, PracticeArea, PracticeAuthor,
                                  RubricCriterion)
from oms.permissions import require
from oms.services import practices as flow
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import delete_unless_referenced
from oms.xlsx import content_disposition, row_values

from . import bp
from .common import practice_or_404, refuse
from .forms import CriterionForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["№", "Название практики", "Авторы", "Образовательная организация", "Предметы", "Уровень образования",
          "Вид практики", "Области компетенций", "Учебный год", "Статус", "Решение совета", "Опубликована"]
WIDTHS = [6, 48, 36, 36, 22, 24, 24, 36, 12, 18, 36, 14]


def _registered():
    """The practices of the register: everything past the proposal (drafts are the authors' own)."""
    return Practice.scoped().where(Practice.status != "draft")


@bp.route("/export.xlsx")
def export():
    require("practices.export")
    practices = db.session.scalars(
        _registered().options(joinedload(Practice.school),
                              selectinload(Practice.authors).joinedload(PracticeAuthor.person),
                              selectinload(Practice.areas).joinedload(PracticeArea.area),
                              joinedload(Practice.decision).joinedload(Decision.meeting))
        .order_by(Practice.start_year, Practice.title, Practice.id)).all()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Реестр практик")
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append(row_values(HEADER))
    for n, p in enumerate(practices, start=1):
        decision = ""
        if p.decision is not None:
            m = p.decision.meeting
            decision = f"Протокол № {m.number} от {m.held_on:%d.%m.%Y}"
        ws.append(row_values([n, p.title, ", ".join(a.person.full_name for a in p.authors),
                              p.school.name if p.school else "", p.subjects, LEVELS.get(p.level, ""),
                              KINDS.get(p.kind, ""), ", ".join(a.area.name for a in p.areas),
                              academic_year(p.start_year), STATUSES.get(p.status, ""), decision,
                              p.published_at.strftime("%d.%m.%Y") if p.published_at else ""]))
    _counts_sheets(wb)
    buf = io.BytesIO()
    wb.save(buf)
    db.session.commit()
    record("export", summary=f"Реестр практик: {len(practices)} записей в XLSX")
    db.session.commit()
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(f"Реестр практик {current_tenant.name}.xlsx")
    return response


def counts() -> dict:
    """Practices of the register by school, by subject and by academic year (with the published ones)."""
    published = func.sum(func.cast(Practice.status == "published", db.Integer))
    by_school = db.session.execute(
        _registered().with_only_columns(School.name, func.count(Practice.id), published)
        .outerjoin(School, School.id == Practice.school_id).group_by(School.name)
        .order_by(func.count(Practice.id).desc(), School.name)).all()
    by_year = db.session.execute(
        _registered().with_only_columns(Practice.start_year, func.count(Practice.id), published)
        .group_by(Practice.start_year).order_by(Practice.start_year)).all()
    subject_rows = db.session.execute(_registered().with_only_columns(Practice.subjects, Practice.status)).all()
    by_subject: dict[str, list[int]] = {}
    for subjects, status in subject_rows:
        for s in [x.strip() for x in (subjects or "").split(";") if x.strip()] or [""]:
            row = by_subject.setdefault(s, [0, 0])
            row[0] += 1
            row[1] += status == "published"
    return {"school": [(name or "", total, int(pub or 0)) for name, total, pub in by_school],
            "year": [(academic_year(y), total, int(pub or 0)) for y, total, pub in by_year],
            "subject": sorted(((s, t, p) for s, (t, p) in by_subject.items()), key=lambda r: (-r[1], r[0]))}


def _counts_sheets(wb) -> None:
    found = counts()
    for key, title, first in (("school", "По организациям", "Образовательная организация"),
                              ("subject", "По предметам", "Предмет"), ("year", "По годам", "Учебный год")):
        ws = wb.create_sheet(title)
        ws.column_dimensions["A"].width = 48
        ws.append(row_values([first, "Всего в реестре", "Опубликовано"]))
        for name, total, pub in found[key]:
            ws.append(row_values([name or "—", total, pub]))


@bp.route("/stats/")
def stats():
    require("practices.export")
    return render_template("practices/stats.html", counts=counts())


# ---- the author's certificate --------------------------------------------------------------------

@bp.route("/<int:practice_id>/certificate")
def certificate(practice_id: int):
    """«Справка о включении практики в муниципальный банк педагогического опыта», to print."""
    practice = practice_or_404(practice_id)
    if practice.status not in ("published", "archived"):
        abort(404)
    if not ("author" in practice.rel or current_user.role in flow.MANAGERS):
        refuse("certificate", practice)
    meeting = None
    if practice.decision_id:
        meeting = db.session.scalar(select(Meeting).join(Decision, Decision.meeting_id == Meeting.id)
                                    .where(Decision.id == practice.decision_id,
                                           Meeting.tenant_id == current_tenant.id))
    return render_template("practices/certificate.html", practice=practice, meeting=meeting, today=clock.today(),
                           LEVELS=LEVELS, KINDS=KINDS)


# ---- the rubric ------------------------------------------------------------------------------------

@bp.route("/rubric/", methods=["GET", "POST"])
def rubric():
    require("practices.rubric" if request.method == "POST" else "district.view")
    criteria = flow.rubric(current_tenant.id)
    db.session.commit()
    form = CriterionForm(formdata=None)
    if request.method == "POST":
        form = CriterionForm()
        if form.validate_on_submit():
            db.session.add(RubricCriterion(tenant_id=current_tenant.id, name=clean(form.name.data),
                                           max_points=form.max_points.data,
                                           position=max((c.position for c in criteria), default=0) + 1))
            db.session.commit()
            flash(_("Критерий добавлен."), "success")
            return go(url_for("practices.rubric"))
    status = 422 if request.method == "POST" else 200
    return render_template("practices/rubric.html", criteria=criteria, form=form), status


@bp.route("/rubric/<int:rubric_criterion_id>/edit", methods=["GET", "POST"])
def criterion_edit(rubric_criterion_id: int):
    criterion = RubricCriterion.get_or_404(rubric_criterion_id)
    require("practices.rubric")
    form = CriterionForm(obj=criterion) if request.method == "GET" else CriterionForm()
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        conflict = version_conflict(form, criterion)
        if conflict is None:
            def apply():
                criterion.name = clean(form.name.data)
                criterion.max_points = form.max_points.data
            conflict = commit_versioned(form, criterion, apply)
            if conflict is None:
                flash(_("Критерий сохранён."), "success")
                return go(url_for("practices.rubric"))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("practices/criterion.html", "practices/criterion.html", status, form=form,
                     criterion=criterion, conflict=conflict)


@bp.route("/rubric/<int:rubric_criterion_id>/delete", methods=["POST"])
def criterion_delete(rubric_criterion_id: int):
    criterion = RubricCriterion.get_or_404(rubric_criterion_id)
    require("practices.rubric")

    def respond(status=200, error=None):
        return go(url_for("practices.rubric"))

    return delete_unless_referenced(criterion, criterion.name, _("Критерий «%(name)s» удалён.", name=criterion.name),
                                    respond)
