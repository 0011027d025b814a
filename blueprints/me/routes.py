"""«Моё»: the user's own associations, decisions assigned to them, the month's events and plan items, their own
development in brief."""
import calendar

from flask import current_app, render_template, url_for
from flask_babel import format_date
from flask_login import current_user

from oms import clock
from blueprints.development.summary import summary_for
from oms.models.structure import DECISION_STATUSES, MEMBER_ROLE_LABELS
from oms.permissions import Role, require
from oms.services import events, workspace as ws
from oms.services.news import my_notices
from oms.tenancy import current_tenant

from . import bp


@bp.route("/")
def index():
    require("workspace.me")
    today = clock.today()
    person = ws.my_person(current_user)
    plan = ws.working_plan(today)
    news = my_notices(current_user, person, current_tenant.id, today) if "documents.news" in \
        current_app.view_functions else []
    context = dict(person=person, today=today, month_label=format_date(today, "LLLL y").capitalize(),
                   plan=plan, start_year=plan.start_year if plan else ws.academic_start(today), memberships=[],
                   decisions=[], month_meetings=[], month_items=[], my_items=[], mine_ids=set(),
                   led_without_rights=[], profile_url=None, news=news,
                   news_unread=sum(1 for row in news if not row.is_read),
                   registrations=[], suggested=[],
                   DECISION_STATUSES=DECISION_STATUSES, MEMBER_ROLES=MEMBER_ROLE_LABELS)
    if person is not None:
        memberships = ws.memberships(person)
        body_ids = {m.body_id for m in memberships}
        leads = any(m.role in ws.LEAD_ROLES and m.body.is_association for m in memberships)
        month_last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        my_items = ws.my_items(plan, person, body_ids, leads)
        context.update(
            memberships=memberships,
            decisions=ws.assigned_decisions(person),
            month_meetings=ws.upcoming_meetings(body_ids, today, month_last),
            # events of this month come only from the plan of the year today is in
            month_items=ws.month_items(plan, today),
            my_items=my_items,
            mine_ids={row.item.id for row in my_items},
            led_without_rights=[m.body for m in memberships if m.role in ws.LEAD_ROLES
                                and m.body.is_association and current_user.role == Role.TEACHER],
            # the registry's person form: for one's own record it offers the contacts and education only
            profile_url=url_for("people.edit", person_id=person.id),
            mine=summary_for(person, today),
        )
        now = clock.now_local(current_tenant.time_zone)
        registrations = events.coming_registrations(person.id, now)
        context.update(registrations=registrations,
                       suggested=events.suggested_for(person, now, {r.event_id for r in registrations}))
    return render_template("workspace/me.html", **context)

