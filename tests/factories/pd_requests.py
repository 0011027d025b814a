"""Factories for PD requests."""
from oms.extensions import db
from oms.models import PDRequest

from . import route_arg
from .core import person_in, school_in


@route_arg("pd_request_id")
def pd_request_in(tenant, person=None, **kw):
    person = person or person_in(tenant, school_id=school_in(tenant).id)
    req = PDRequest(tenant_id=tenant.id, person_id=person.id, school_id=person.school_id,
                    topic=kw.pop("topic", "Формирование функциональной грамотности"), hours=kw.pop("hours", 36),
                    provider=kw.pop("provider", "Институт развития образования"), start_year=kw.pop("start_year", 2025),
                    status=kw.pop("status", "submitted"), **kw)
    db.session.add(req)
    db.session.flush()
    return req
