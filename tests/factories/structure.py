"""Factories for the district's structure: body kinds, bodies, members, meetings, directions, functions."""
import itertools
from datetime import date

from oms.extensions import db
from oms.models import (AgendaItem, Attendance, Body, BodyKind, BodyMember, Decision, Direction, Function,
                        FunctionAssignee, Meeting)

from . import route_arg
from .core import person_in

_n = itertools.count(1)


@route_arg("kind_id")
def kind_in(tenant, category="association", level="municipal", **kw):
    n = next(_n)
    kind = BodyKind(tenant_id=tenant.id, code=kw.pop("code", f"kind{n}"), name=kw.pop("name", f"Вид {n}"),
                    category=category, level=level, position=n, **kw)
    db.session.add(kind)
    db.session.flush()
    return kind


@route_arg("body_id", "association_id")
def association_in(tenant, kind=None, **kw):
    kind = kind or kind_in(tenant, "association")
    n = next(_n)
    body = Body(tenant_id=tenant.id, kind_id=kind.id, name=kw.pop("name", f"Методическое объединение {n}"), **kw)
    db.session.add(body)
    db.session.flush()
    return body


@route_arg("council_id")
def council_in(tenant, **kw):
    return association_in(tenant, kind=kw.pop("kind", None) or kind_in(tenant, "council"),
                          name=kw.pop("name", "Методический совет"), **kw)


@route_arg("member_id")
def member_in(tenant, body=None, person=None, role="member", **kw):
    member = BodyMember(tenant_id=tenant.id, body_id=(body or association_in(tenant)).id,
                        person_id=(person or person_in(tenant)).id, role=role, **kw)
    db.session.add(member)
    db.session.flush()
    return member


@route_arg("meeting_id")
def meeting_in(tenant, body=None, **kw):
    meeting = Meeting(tenant_id=tenant.id, body_id=(body or association_in(tenant)).id,
                      number=kw.pop("number", str(next(_n))), held_on=kw.pop("held_on", date(2025, 10, 1)), **kw)
    db.session.add(meeting)
    db.session.flush()
    return meeting


@route_arg("item_id")
def agenda_item_in(tenant, meeting=None, **kw):
    item = AgendaItem(tenant_id=tenant.id, meeting_id=(meeting or meeting_in(tenant)).id,
                      title=kw.pop("title", "Вопрос повестки"), position=kw.pop("position", 1), **kw)
    db.session.add(item)
    db.session.flush()
    return item


@route_arg("attendance_id")
def attendance_in(tenant, meeting=None, person=None, **kw):
    row = Attendance(tenant_id=tenant.id, meeting_id=(meeting or meeting_in(tenant)).id,
                     person_id=(person or person_in(tenant)).id, is_guest=kw.pop("is_guest", True), **kw)
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("decision_id")
def decision_in(tenant, meeting=None, **kw):
    decision = Decision(tenant_id=tenant.id, meeting_id=(meeting or meeting_in(tenant)).id,
                        text=kw.pop("text", "Принять к сведению"), **kw)
    db.session.add(decision)
    db.session.flush()
    return decision


@route_arg("direction_id")
def direction_in(tenant, **kw):
    n = next(_n)
    direction = Direction(tenant_id=tenant.id, name=kw.pop("name", f"Направление {n}"),
                          position=kw.pop("position", n), **kw)
    db.session.add(direction)
    db.session.flush()
    return direction


@route_arg("function_id")
def function_in(tenant, direction=None, **kw):
    n = next(_n)
    function = Function(tenant_id=tenant.id, direction_id=(direction or direction_in(tenant)).id,
                        text=kw.pop("text", f"Функция {n}"), clause=kw.pop("clause", f"3.{n}"),
                        position=kw.pop("position", n), **kw)
    db.session.add(function)
    db.session.flush()
    return function


@route_arg("assignee_id")
def assignee_in(tenant, function=None, person=None):
    row = FunctionAssignee(tenant_id=tenant.id, function_id=(function or function_in(tenant)).id,
                           person_id=(person or person_in(tenant, school_id=None)).id)
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("proposal_id")
def proposal_in(tenant, body=None, **kw):
    from oms.models import AgendaProposal

    row = AgendaProposal(tenant_id=tenant.id, body_id=(body or council_in(tenant)).id,
                         title=kw.pop("title", "Об обобщении опыта"), **kw)
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("rule_id")
def composition_rule_in(tenant, body=None, **kw):
    from oms.models import CompositionRule

    row = CompositionRule(tenant_id=tenant.id, body_id=(body or council_in(tenant)).id,
                          title=kw.pop("title", "Методист по дошкольному образованию"), **kw)
    db.session.add(row)
    db.session.flush()
    return row
