"""Factories for the foundation's objects."""
import itertools

from oms.extensions import db
from oms.models import Person, School, User

from . import route_arg

_n = itertools.count(1)


@route_arg("user_id")
def user_in(tenant, **kw):
    n = next(_n)
    user = User(tenant_id=tenant.id, email=f"factory{n}-{tenant.slug}@example.org",
                full_name=kw.pop("full_name", f"Сотрудник {n}"), role=kw.pop("role", "teacher"), **kw)
    db.session.add(user)
    db.session.flush()
    return user


@route_arg("school_id")
def school_in(tenant, **kw):
    n = next(_n)
    school = School(tenant_id=tenant.id, name=kw.pop("name", f"МБОУ «Средняя школа № {n}»"),
                    short_name=kw.pop("short_name", f"СШ № {n}"), **kw)
    db.session.add(school)
    db.session.flush()
    return school


@route_arg("person_id")
def person_in(tenant, **kw):
    n = next(_n)
    person = Person(tenant_id=tenant.id, last_name=kw.pop("last_name", f"Иванова{n}"),
                    first_name=kw.pop("first_name", "Анна"), middle_name=kw.pop("middle_name", "Петровна"),
                    position=kw.pop("position", "учитель"), **kw)
    db.session.add(person)
    db.session.flush()
    return person
