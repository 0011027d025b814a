"""Factories for contests and olympiads: a contest with its stage, entries, jury, coordinators; a ВсОШ season,
its stages, results and appeals."""
import itertools
from datetime import date

from oms import files
from oms.extensions import db
from oms.models import (Appeal, Competition, ContestCoordinator, ContestFile, Criterion, Entry, EntryFile, Juror,
                        Stage)
from oms.services import contests as svc

from . import route_arg
from .core import person_in, school_in

_n = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@route_arg("competition_id")
def competition_in(tenant, kind="teachers", criteria=(("Содержание", 1, 10),), **kw):
    comp = Competition(tenant_id=tenant.id, title=kw.pop("title", f"Учитель года {next(_n)}"), kind=kind,
                       start_year=kw.pop("start_year", 2025), **kw)
    db.session.add(comp)
    db.session.flush()
    stage = Stage(tenant_id=tenant.id, competition_id=comp.id, kind="main", date_from=date(2026, 2, 10))
    db.session.add(stage)
    db.session.flush()
    for i, (name, weight, top) in enumerate(criteria, start=1):
        db.session.add(Criterion(tenant_id=tenant.id, stage_id=stage.id, name=name, weight=weight, max_points=top,
                                 position=i))
    db.session.flush()
    return comp


def _upload():
    return files.Upload("положение.pdf", "application/pdf", PDF)


@route_arg("contest_file_id")
def contest_file_in(tenant, comp=None):
    comp = comp or competition_in(tenant)
    row = files.store(ContestFile(tenant_id=tenant.id, competition_id=comp.id), _upload())
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("entry_id")
def entry_in(tenant, comp=None, school=None, **kw):
    comp = comp or competition_in(tenant)
    school = school or school_in(tenant)
    name = kw.pop("pupil_name", f"Петров Иван {next(_n)}")
    stage = kw.pop("stage", None) or svc.first_stage(comp)
    entry = Entry(tenant_id=tenant.id, competition_id=comp.id, stage_id=stage.id, entrant=kw.pop("entrant", "pupil"),
                  pupil_name=name,
                  pupil_key=svc.pupil_key(name, school.id), grade=kw.pop("grade", 9), school_id=school.id,
                  status=kw.pop("status", "admitted"), **kw)
    db.session.add(entry)
    db.session.flush()
    return entry


@route_arg("contest_stage_id")
def contest_stage_in(tenant, comp=None, name="Финал", criteria=(("Выступление", 1, 10),)):
    """A contest's second stage with its own criteria."""
    comp = comp or competition_in(tenant)
    stage = svc.add_stage(comp)
    stage.name = name
    db.session.flush()
    for i, (title, weight, top) in enumerate(criteria, start=1):
        db.session.add(Criterion(tenant_id=tenant.id, stage_id=stage.id, name=title, weight=weight, max_points=top,
                                 position=i))
    db.session.flush()
    return stage


@route_arg("entry_file_id")
def entry_file_in(tenant, entry=None):
    entry = entry or entry_in(tenant)
    row = files.store(EntryFile(tenant_id=tenant.id, entry_id=entry.id), _upload())
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("juror_id")
def juror_in(tenant, comp=None, person=None, **kw):
    comp = comp or competition_in(tenant)
    person = person or person_in(tenant, school_id=school_in(tenant).id)
    juror = Juror(tenant_id=tenant.id, competition_id=comp.id, person_id=person.id, school_id=person.school_id, **kw)
    db.session.add(juror)
    db.session.flush()
    return juror


@route_arg("coordinator_id")
def coordinator_in(tenant, person=None):
    person = person or person_in(tenant, school_id=school_in(tenant).id)
    row = ContestCoordinator(tenant_id=tenant.id, person_id=person.id)
    db.session.add(row)
    db.session.flush()
    return row


@route_arg("season_id")
def season_in(tenant, start_year=2025):
    comp = svc.create_season(tenant.id, start_year)
    db.session.flush()
    return comp


@route_arg("stage_id")
def stage_in(tenant, kind="school"):
    return svc.stage_of(season_in(tenant), kind)


@route_arg("result_id")
def result_in(tenant, stage=None, subject="Математика", score=30.0, school=None, **kw):
    stage = stage or stage_in(tenant)
    comp = db.session.get(Competition, stage.competition_id)
    nom = svc.subject(comp, subject)
    school = school or school_in(tenant)
    name = kw.pop("pupil_name", f"Сидорова Мария {next(_n)}")
    entry = Entry(tenant_id=tenant.id, competition_id=comp.id, stage_id=stage.id, nomination_id=nom.id,
                  entrant="pupil", pupil_name=name, pupil_key=svc.pupil_key(name, school.id),
                  grade=kw.pop("grade", 9), school_id=school.id, score=score, status="admitted", **kw)
    db.session.add(entry)
    db.session.flush()
    return entry


@route_arg("appeal_id")
def appeal_in(tenant, entry=None):
    entry = entry or result_in(tenant)
    row = Appeal(tenant_id=tenant.id, entry_id=entry.id, requested_on=date(2025, 10, 20), reason="Не учтено решение",
                 old_score=entry.score)
    db.session.add(row)
    db.session.flush()
    return row
