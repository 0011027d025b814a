"""Contest and olympiad stages as evidence of plan items (held = `stage_held`: results locked, or the date passed
with results entered; participants = its entrants) and as calendar entries (their dates and venues)."""
import functools

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func
from sqlalchemy.orm import joinedload

from oms.current import current_tenant_id
from oms.extensions import db
from oms.formatting import ru_date
from oms.models import Stage
from oms.services import contests as svc
from oms.services import evidence
from oms.services.calendar import Entry, register_source

KIND = "contest_stage"


def stage_url(stage) -> str:
    if stage.competition.is_vsosh:
        return url_for("contests.stage", stage_id=stage.id)
    return url_for("contests.contest_stage", contest_stage_id=stage.id)  # each stage its own page


def stage_title(stage) -> str:
    comp = stage.competition
    if comp.is_vsosh:
        return f"{stage.label}: " + str(_l("олимпиада %(year)s/%(next)s", year=comp.start_year,
                                           next=comp.start_year + 1))
    return f"{comp.title}: {stage.label}"  # an unnamed stage has a derived name (Stage.label)


def stage_label(stage) -> str:
    when = ru_date(stage.date_from) if stage.date_from else str(_l("дата не назначена"))
    return f"{stage_title(stage)} — {when}"


def load(ids) -> dict:
    stages = db.session.scalars(Stage.scoped().where(Stage.id.in_(ids))
                                .options(joinedload(Stage.competition))).all()
    held = svc.stages_held(stages)
    found = {}
    for s in stages:
        h = held[s.id]
        extra = "" if h["done"] else str(_l("результаты не утверждены"))
        found[s.id] = evidence.Activity(kind=KIND, id=s.id, title=stage_label(s), url=stage_url(s),
                                        on=h["date"], held=h["done"], participants=h["participants"] or None,
                                        extra=extra)
    return found


def pick_params(item) -> dict:
    """The picker finds the stages of the contests and olympiads of the item's plan year."""
    return {"years": str(item.plan.start_year)}


def dated(first, last, filters) -> list[Entry]:
    if filters.get("body") or filters.get("school"):
        return []  # a district's stage is no body's nor school's row (every reader sees the contests)
    params = {"tenant_id": current_tenant_id(), "first": first, "last": last}
    return [Entry(kind=KIND, uid=f"contest-stage-{s.id}", title=stage_title(s), start=s.date_from,
                  end=s.date_to, url=stage_url(s), where=s.venue)
            for s in db.session.scalars(_dated_statement(), params)]


@functools.cache
def _dated_statement():
    """The stages of some days, a select built once (its parameters: tenant_id, first, last)."""
    return (Stage.scoped_by_param().where(Stage.date_from.is_not(None), Stage.date_from <= bindparam("last"),
                                          func.coalesce(Stage.date_to, Stage.date_from) >= bindparam("first"))
            .options(joinedload(Stage.competition)).order_by(Stage.date_from, Stage.id))


evidence.register(evidence.Kind(code=KIND, label=_l("Этап конкурса или олимпиады"), load=load,
                                pick="contest_stage", pick_params=pick_params))
register_source(KIND, _l("Этапы конкурсов и олимпиад"), dated)
