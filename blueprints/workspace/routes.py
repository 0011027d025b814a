"""«Мои объединения»: the associations a leader leads, each run from one page, and its year report.

The association screens themselves — members, meetings, agenda, attendance, decisions, minutes —
are the associations feature's (BodyScreens); these pages gather them for the people who run them.
"""
from datetime import date

from flask import make_response, render_template, request, url_for
from flask_login import current_user

from blueprints.associations.routes import screens
from blueprints.plan.lookups import Rights, item_options
from oms import audit
from oms import clock
from oms.extensions import db
from oms.formatting import academic_year
from oms.models import PlanItem
from oms.models.structure import ASSOCIATION_CATEGORIES
from oms.permissions import require
from oms.services import association_report, plans
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


def report_years(today: date, working: int | None = None) -> list[int]:
    """The years a report may be asked for, newest first: the current academic year, the two before it,
    and the year of the plan these pages work on."""
    current = ws.academic_start(today)
    years = {current - n for n in range(REPORT_YEARS)}
    if working is not None:
        years.add(working)
    return sorted(years, reverse=True)


@bp.app_template_global("ws_body_url")
def _body_url_global(body) -> str:
    return body_url(body)


# ---- «Мои объединения» ------------------------------------------------------------------------

@bp.route("/my/")
def leader_home():
    require("workspace.lead")
    today = clock.today()
    plan = ws.working_plan(today)
    start_year = plan.start_year if plan else ws.academic_start(today)
    cards = ws.summaries(ws.led_associations(current_user), start_year, today)
    ws.attach_items(cards, plan)
    return render_template("workspace/leader_home.html", cards=cards, today=today, start_year=start_year,
                           plan=plan)


@bp.route("/my/associations/<int:body_id>/")
def association(body_id: int):
    body = screens.body_or_404(body_id)
    require("association.edit", body)
    today = clock.today()
    plan = ws.working_plan(today)
    start_year = plan.start_year if plan else ws.academic_start(today)
    context = screens.body_context(body)
    context.update(_plan_section(body, plan, start_year))
    return render_template("workspace/association.html", years=report_years(today, start_year), **context)


def _plan_section(body, plan, start_year) -> dict:
    """What the plan feature's partial of an association's items needs (plan/_body_items.html)."""
    items, numbers = [], None
    if plan is not None:
        items = db.session.scalars(ws.item_query(plan).where(PlanItem.body_id == body.id)
                                   .options(*item_options())).all()
        numbers = plans.numbering(plan)
    return {"plan": plan, "items": items, "numbers": numbers, "start_year": start_year,
            "rights": Rights.of(plan) if plan else None, "plans": plans.district_plans()}


@bp.route("/my/associations/<int:body_id>/report.xlsx")
def report(body_id: int):
    body = screens.body_or_404(body_id)
    require("association.edit", body)
    today = clock.today()
    plan = ws.working_plan(today)
    working = plan.start_year if plan else ws.academic_start(today)
    start_year = request.args.get("year", type=int)
    if start_year not in report_years(today, working):
        start_year = working
    data = association_report.workbook(association_report.collect(body, start_year), current_tenant)
    # A GET reads in a deferred transaction: end it, so the audit write starts its own (SQLite locking).
    db.session.commit()
    audit.record_and_commit("export", body, summary=f"Отчёт объединения за {academic_year(start_year)} учебный год")
    db.session.commit()
    response = make_response(data)
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(
        f"Отчёт {body.name} {start_year}-{start_year + 1}.xlsx")
    return response
