"""What leaders and teachers may not do, walked over every district URL that changes something.

A teacher changes nothing but their own profile; a leader changes nothing outside the associations they
lead. The walk creates every object of a URL in the district (nobody's association), sends the change with
a valid CSRF token and expects 403 — and a new URL added later is walked too.
"""
import re

import pytest

from factories import ROUTE_ARGS, load_all
from oms.extensions import db
from oms.models import AuditEvent

load_all()
INT_ARG = re.compile(r"<int:(\w+)>")
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
# A teacher's own records: proposing a course for a methodist to confirm (issue 7), withdrawing the proposal;
# proposing a practice for the bank (issue 13; the walk's post is refused as bad input, 422);
# booking a consultation slot, requesting a course, answering a survey addressed to them (issue 15).
SELF_SERVICE = ("/<district:slug>/development/me/", "/<district:slug>/practices/new",
                "/<district:slug>/consultations/slots/<int:consultation_slot_id>/book",
                "/<district:slug>/pd-requests/new", "/<district:slug>/surveys/<int:survey_id>/answer")
# One's own registration for an event, its feedback, one's own calendar link (issue 12).
SELF_SERVICE_ENDINGS = ("/register", "/unregister", "/feedback", "/calendar/feed", "/calendar/feed/revoke")
# What a leader may do beyond their associations: propose a question for the council's agenda (issue 12).
LEADER_MAY = ("/council/<int:council_id>/proposals",)
# Refusals: 403, or 404 where the walk's objects are not children of the URL's parent (loaded through it).
REFUSED = (403, 404)


def _change_rules(app, role=None):
    rules = [r for r in app.url_map.iter_rules() if "slug" in r.arguments and r.methods & CHANGES
             and not r.rule.startswith(SELF_SERVICE) and not r.rule.endswith(SELF_SERVICE_ENDINGS)
             and not (role == "leader" and r.rule.endswith(LEADER_MAY))]
    return sorted(rules, key=lambda r: r.rule)


def _plan_year(tenant) -> str:
    """A plan's year in the URL: the plan the plan factories put items in."""
    from factories.plan import plan_in

    return plan_in(tenant).year_slug


STRING_ARGS = {"year": _plan_year, "practice_action": lambda tenant: "archive"}


def _url(rule, tenant):
    url = rule.rule.replace("<district:slug>", tenant.slug)
    for name in INT_ARG.findall(rule.rule):
        url = url.replace(f"<int:{name}>", str(ROUTE_ARGS[name](tenant).id))
    for name in re.findall(r"<(?:\w+:)?(\w+)>", url):
        value = STRING_ARGS[name](tenant) if name in STRING_ARGS else "x"
        url = re.sub(rf"<(?:\w+:)?{name}>", value, url)
    db.session.commit()
    return url


@pytest.mark.parametrize("role", ["teacher", "leader"])
def test_every_change_outside_ones_own_is_refused(make_browser, district, role):
    b = make_browser(getattr(district, role).email)
    failures, forbidden = [], 0
    changes = db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action.in_(("create", "update", "delete")),
                                                            AuditEvent.user_id == getattr(district, role).id)
    for rule in _change_rules(b.client.application, role):
        url = _url(rule, district.tenant)
        method = sorted(rule.methods & CHANGES)[0]
        resp = b.client.open(url, method=method, data={"csrf_token": b.token, "name": "x", "text": "x"})
        forbidden += resp.status_code == 403
        if resp.status_code not in REFUSED:
            failures.append(f"{method} {url} -> {resp.status_code}")
    assert not failures, "\n".join(failures)
    assert db.session.scalar(changes) == 0  # nothing was changed by this user
    denials = db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "denied"))
    assert forbidden > len(_change_rules(b.client.application, role)) // 2
    assert denials == forbidden  # each refusal is in the audit trail
