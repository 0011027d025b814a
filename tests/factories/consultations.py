"""Factories for the consultation journal."""
import itertools
from datetime import datetime

from oms.extensions import db
from oms.models import Consultation, ConsultationCategory, ConsultationFile, ConsultationSlot

from . import route_arg
from .core import person_in, school_in

_n = itertools.count(1)


@route_arg("consultation_category_id")
def consultation_category_in(tenant, name=None):
    cat = ConsultationCategory(tenant_id=tenant.id, position=next(_n))
    cat.set_name(name or f"Категория {next(_n)}")
    db.session.add(cat)
    db.session.flush()
    return cat


@route_arg("consultation_id")
def consultation_in(tenant, **kw):
    school = kw.pop("school", None) or school_in(tenant)
    asker = kw.pop("asker", None) or person_in(tenant, school_id=school.id)
    c = Consultation(tenant_id=tenant.id, held_at=kw.pop("held_at", datetime(2025, 10, 14, 15, 0)),
                     topic=kw.pop("topic", f"Рабочая программа по ФГОС {next(_n)}"), asker_kind="person",
                     asker_person_id=asker.id, asker_name=asker.full_name, school_id=school.id,
                     status=kw.pop("status", "held"), **kw)
    db.session.add(c)
    db.session.flush()
    return c


@route_arg("consultation_file_id")
def consultation_file_in(tenant, consultation=None):
    c = consultation or consultation_in(tenant)
    row = ConsultationFile(tenant_id=tenant.id, consultation_id=c.id, filename="памятка.pdf",
                           content_type="application/pdf", size=9, sha256="0" * 64, storage="db",
                           content=b"%PDF-1.4\n")
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("consultation_slot_id")
def consultation_slot_in(tenant, consultant=None, starts_at=None):
    slot = ConsultationSlot(tenant_id=tenant.id, consultant_id=(consultant or person_in(tenant)).id,
                            starts_at=starts_at or datetime(2030, 3, 3, 10, 0), minutes=30)
    db.session.add(slot)
    db.session.flush()
    return slot
