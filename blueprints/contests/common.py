"""Helpers shared by the contest and olympiad screens."""
from flask import abort
from flask_login import current_user
from sqlalchemy import select

from blueprints.development.common import form_page, go, one_or_404, page_number, school_choices  # noqa: F401
from oms.extensions import db
from oms.models import Competition, Entry, Stage
from oms.services import contests as svc


def competition_or_404(competition_id, olympiad: bool = False) -> Competition:
    """A contest under /contests/, a ВсОШ season under /olympiads/: the other way round is 404."""
    return one_or_404(Competition, competition_id, Competition.is_vsosh.is_(olympiad))


def stage_or_404(stage_id, olympiad: bool = True) -> tuple[Stage, Competition]:
    stage = one_or_404(Stage, stage_id)
    return stage, competition_or_404(stage.competition_id, olympiad)


def entry_or_404(entry_id, olympiad: bool = False) -> tuple[Entry, Competition]:
    entry = one_or_404(Entry, entry_id)
    return entry, competition_or_404(entry.competition_id, olympiad)


def deny(action: str, obj=None):
    """403 for a rule of this section (oms.services.contests), recorded in the audit trail like `require`'s."""
    from oms.audit import record_denial

    record_denial(action, obj)
    abort(403)


def require_organiser() -> None:
    if not svc.is_organiser(current_user):
        deny("contests.edit")


def require_submitter(school_id) -> None:
    if not svc.may_submit_for(current_user, school_id):
        deny("contests.submit")


def competition_stage(comp: Competition) -> Stage:
    """A contest's first stage (created with it): entries are submitted there."""
    return svc.first_stage(comp)


def contest_stage_or_404(stage_id) -> tuple[Stage, Competition]:
    """A contest's stage (not a ВсОШ one: those live under /olympiads/)."""
    stage = one_or_404(Stage, stage_id)
    return stage, competition_or_404(stage.competition_id, False)


def entry_stage(entry: Entry, comp: Competition) -> Stage:
    """The stage an entry is in (a stage of this contest in the current district)."""
    if not entry.stage_id:
        return svc.first_stage(comp)
    return one_or_404(Stage, entry.stage_id, Stage.competition_id == comp.id)
