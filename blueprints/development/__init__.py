"""Teachers' development: courses, deficits and individual routes, mentoring, attestation; the district
dashboard on the home page."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("development", __name__, url_prefix="/development")


@bp.app_template_global("development_dashboard")
def development_dashboard():
    """The dashboard of the current district for the home page, or None for those who may not see it."""
    from flask import g

    from oms.permissions import can
    from oms.services.dashboard import district_dashboard

    if g.get("tenant_id") is None or not can("development.view"):
        return None
    if "development_dashboard" not in g:
        from flask import current_app, url_for

        board = district_dashboard(g.tenant_id)
        if board.plan is not None and board.plan.get("total") and "plan.show" in current_app.view_functions:
            start = board.plan["start_year"]
            board.plan_url = url_for("plan.show", year=f"{start}-{start + 1}")
        elif board.plan is not None and "plan.index" in current_app.view_functions:
            board.plan_url = url_for("plan.index")
        g.development_dashboard = board
    return g.development_dashboard



@bp.app_template_filter("month_year")
def month_year(value) -> str:
    """«март 2026», «March 2026»: the month in the page's language."""
    from flask_babel import format_date

    return format_date(value, "LLLL y") if value else ""



@bp.app_template_global("my_development")
def my_development():
    """The logged-in user's own development in brief (for a personal home page), or None without a person
    record: the last course, whether one is due, open deficits, the next route steps, mentors, the next
    attestation. A constant handful of queries."""
    from flask import g

    from .common import own_person, today
    from .summary import summary_for

    if g.get("tenant_id") is None:
        return None
    person = own_person()
    return summary_for(person, today()) if person is not None else None


from . import attestation, courses, deficits, mentoring, routes, steps  # noqa: E402,F401
