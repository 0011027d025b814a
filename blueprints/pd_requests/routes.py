"""PD requests: a teacher's own, the district's list, the status moves, the сводная заявка (page and XLSX)."""
import io

from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy.orm import joinedload

from blueprints.development.common import go, own_person, page_number
from oms import clock
from oms.audit import record
from oms.concurrency import remember_result, submit_once
from oms.extensions import db
from oms.formatting import academic_year
from oms.models import CompetenceArea, PDRequest
from oms.models.development import COURSE_FORMS
from oms.models.pd_requests import PRIORITIES, REQUEST_STATUSES
from oms.permissions import can, require
from oms.services import pd_requests as svc
from oms.services.workspace import academic_start
from oms.tenancy import current_tenant
from oms.text import clean, in_russian
from oms.xlsx import content_disposition, put

from . import bp
from .forms import CompleteForm, RequestForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 30
LABELS = dict(REQUEST_STATUSES=REQUEST_STATUSES, PRIORITIES=PRIORITIES, COURSE_FORMS=COURSE_FORMS)


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else academic_start(clock.today())


def _choices(form):
    form.area_id.set_choices([(a.id, a.name) for a in db.session.scalars(
        CompetenceArea.scoped().order_by(CompetenceArea.position, CompetenceArea.name))])


@bp.route("/")
def index():
    require("pd.request")
    year = _year()
    if not can("pd.manage"):
        me = own_person()
        mine = [] if me is None else db.session.scalars(
            PDRequest.scoped().where(PDRequest.person_id == me.id).options(joinedload(PDRequest.area))
            .order_by(PDRequest.id.desc())).all()
        return render_template("pd_requests/mine.html", mine=mine, person=me, **LABELS)
    status = request.args.get("status") if request.args.get("status") in REQUEST_STATUSES else ""
    stmt = PDRequest.scoped().where(PDRequest.start_year == year)
    if status:
        stmt = stmt.where(PDRequest.status == status)
    page = db.paginate(stmt.options(joinedload(PDRequest.person), joinedload(PDRequest.school))
                       .order_by(PDRequest.id.desc()), page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("pd_requests/index.html", page=page, year=year, status=status,
                           complete=CompleteForm(), **LABELS)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require("pd.request")
    form = RequestForm()
    _choices(form)
    manager = can("pd.manage")
    if request.method == "GET":
        form.provider.data = svc.pd_institute(current_tenant)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        person = None
        if manager:
            person = form.person_id.people[0] if form.person_id.people else None
            if person is None:
                form.person_id.errors.append(_("Укажите педагога."))
        else:
            person = own_person()
            if person is None:
                abort(403)
        if person is not None:
            req = PDRequest(tenant_id=current_tenant.id, person_id=person.id, school_id=person.school_id,
                            area_id=form.area_id.data, topic=clean(form.topic.data), form=form.form.data,
                            hours=form.hours.data, priority=form.priority.data,
                            provider=clean(form.provider.data) or svc.pd_institute(current_tenant),
                            start_year=academic_start(clock.today()), note=(form.note.data or "").strip(),
                            requested_by_id=current_user.id, status="submitted")
            db.session.add(req)
            remember_result(url_for("pd_requests.index"))
            db.session.commit()
            flash(_("Заявка на курсы подана. Её согласует школа."), "success")
            return go(url_for("pd_requests.index"))
    status = 422 if request.method == "POST" else 200
    if status == 422:
        db.session.rollback()
    return render_template("pd_requests/new.html", form=form, manager=manager), status


@bp.route("/<int:pd_request_id>/status", methods=["POST"])
def set_status(pd_request_id: int):
    req = PDRequest.get_or_404(pd_request_id)
    require("pd.manage")
    to = request.form.get("to", "")
    course = None
    if to == "completed":
        form = CompleteForm()
        form.validate()
        course = {"date_from": form.date_from.data, "date_to": form.date_to.data,
                  "certificate": clean(form.certificate.data)}
    try:
        svc.move(req, to, course)
    except svc.MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return go(url_for("pd_requests.index", year=req.start_year)), 422
    db.session.commit()
    flash(_("Заявка: %(s)s.", s=REQUEST_STATUSES[req.status]), "success")
    return go(url_for("pd_requests.index", year=req.start_year))


@bp.route("/summary")
def summary():
    require("pd.manage")
    year = _year()
    rows = svc.summary_rows(current_tenant.id, year)
    return render_template("pd_requests/summary.html", year=year, groups=svc.grouped(rows), total=len(rows),
                           institute=svc.pd_institute(current_tenant), analysis=svc.analysis(current_tenant.id, year),
                           **LABELS)


HEADER = ["№", "Тема (направление) курсов", "Организация ДПО", "Форма обучения", "Часов",
          "Образовательная организация", "ФИО педагога", "Должность", "Приоритет"]
WIDTHS = [6, 44, 34, 16, 8, 36, 32, 24, 12]


@bp.route("/summary.xlsx")
def summary_export():
    """The сводная заявка to the district's PD institute: by topic and provider, then by school."""
    require("pd.manage")
    year = _year()
    rows = svc.summary_rows(current_tenant.id, year)
    wb = Workbook()
    ws = wb.active
    ws.title = "Сводная заявка"
    institute = svc.pd_institute(current_tenant) or "организацию дополнительного профессионального образования"
    put(ws.cell(1, 1), f"Сводная заявка на повышение квалификации педагогических работников на {academic_year(year)} "
                       f"учебный год")
    put(ws.cell(2, 1), f"{current_tenant.authority or current_tenant.name} — в {institute}")
    ws.cell(1, 1).font = Font(bold=True, size=12)
    for col, (title, width) in enumerate(zip(HEADER, WIDTHS), start=1):
        put(ws.cell(4, col), title).font = Font(bold=True)
        ws.cell(4, col).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[ws.cell(4, col).column_letter].width = width
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    for n, r in enumerate(rows, start=1):
        values = [n, r.topic, r.provider, in_russian(COURSE_FORMS.get(r.form, r.form)), r.hours,
                  r.school.name if r.school else "", r.person.full_name, r.person.position,
                  in_russian(PRIORITIES.get(r.priority, ""))]
        for col, value in enumerate(values, start=1):
            put(ws.cell(4 + n, col), value).alignment = Alignment(wrap_text=True, vertical="top")
    put(ws.cell(6 + len(rows), 1), f"Всего заявок: {len(rows)}")
    buf = io.BytesIO()
    wb.save(buf)
    db.session.commit()
    record("export", summary=f"Сводная заявка на ПК {academic_year(year)}: {len(rows)} заявок в XLSX")
    db.session.commit()
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(
        f"Сводная заявка на ПК {year}-{year + 1} {current_tenant.name}.xlsx")
    return response
