"""«Мои объединения»: the associations a leader leads, each run from one page, and its year report.

The association screens themselves — members, meetings, agenda, attendance, decisions, minutes —
are the associations feature's (BodyScreens); these pages gather them for the people who run them.
"""
from datetime import date

from flask import make_response, render_template, request, url_for
from flask_login import current_user

from blueprints.associations.routes import screens
from oms import audit
from oms.extensions import db
from oms.formatting import academic_year
from oms.models.structure import ASSOCIATION_CATEGORIES
from oms.permissions import require
from oms.services import association_report
from oms.services import workspace as ws
from oms.tenancy import current_tenant
from oms.xlsx import content_disposition

from . import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_YEARS = 3  # the current academic year and the two before it


def body_url(body) -> str:
    if body.kind.category in ASSOCIATION_CATEGORIES:
        return url_for("associations.detail", association_id=body.id)
    if body.kind.category == "council":
        return url_for("council.detail", council_id=body.id)
    return url_for("structure.index")


def report_years(today: date) -> list[int]:
    current = ws.academic_start(today)
    return [current - n for n in range(REPORT_YEARS)]


@bp.app_template_global("ws_body_url")
def _body_url_global(body) -> str:
    return body_url(body)


# ---- «Мои объединения» ------------------------------------------------------------------------

@bp.route("/my/")
def leader_home():
    require("workspace.lead")
    today = date.today()
    start_year = ws.academic_start(today)
    cards = ws.summaries(ws.led_associations(current_user), start_year, today)
    return render_template("workspace/leader_home.html", cards=cards, today=today, start_year=start_year,
                           plan_enabled=False)


@bp.route("/my/associations/<int:body_id>/")
def association(body_id: int):
    body = screens.body_or_404(body_id)
    require("association.edit", body)
    today = date.today()
    context = screens.body_context(body)
    return render_template("workspace/association.html", years=report_years(today),
                           start_year=ws.academic_start(today), plan_enabled=False, **context)


@bp.route("/my/associations/<int:body_id>/report.xlsx")
def report(body_id: int):
    body = screens.body_or_404(body_id)
    require("association.edit", body)
    years = report_years(date.today())
    start_year = request.args.get("year", type=int) or years[0]
    if start_year not in years:
        start_year = years[0]
    data = association_report.workbook(association_report.collect(body, start_year), current_tenant)
    # A GET reads in a deferred transaction: end it, so the audit write starts its own (SQLite locking).
    db.session.commit()
    audit.record("export", body, summary=f"Отчёт объединения за {academic_year(start_year)} учебный год")
    db.session.commit()
    response = make_response(data)
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(
        f"Отчёт {body.name} {start_year}-{start_year + 1}.xlsx")
    return response
