"""«Моё»: the user's own associations, decisions assigned to them, the month's events and plan items."""
import calendar
from datetime import date

from flask import render_template, url_for
from flask_login import current_user

from oms.formatting import MONTHS
from oms.models.structure import DECISION_STATUSES, MEMBER_ROLES
from oms.permissions import Role, require
from oms.services import workspace as ws

from . import bp


@bp.route("/")
def index():
    require("workspace.me")
    today = date.today()
    person = ws.my_person(current_user)
    context = dict(person=person, today=today, month_label=f"{MONTHS[today.month - 1]} {today.year}",
                   start_year=ws.academic_start(today), memberships=[], decisions=[], month_meetings=[],
                   led_without_rights=[], profile_url=None, month_items=[], plan_enabled=False,
                   DECISION_STATUSES=DECISION_STATUSES, MEMBER_ROLES=MEMBER_ROLES)
    if person is not None:
        memberships = ws.memberships(person)
        month_last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        context.update(
            memberships=memberships,
            decisions=ws.assigned_decisions(person),
            month_meetings=ws.upcoming_meetings({m.body_id for m in memberships}, today, month_last),
            led_without_rights=[m.body for m in memberships if m.role in ws.LEAD_ROLES
                                and m.body.is_association and current_user.role == Role.TEACHER],
            # the registry's person form: for one's own record it offers the contacts and education only
            profile_url=url_for("people.edit", person_id=person.id),
        )
    return render_template("workspace/me.html", **context)

