"""A teacher's own contests: their entries and results, «мои ученики» (pupils they prepared); for a school
coordinator, their school's entries."""
from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from oms.extensions import db
from oms.models import Competition, Entry, Stage
from oms.models.contests import ENTRY_STATUS_LABELS, RESULT_LABELS, STAGE_LABELS
from oms.permissions import require
from oms.services import contests as svc

from . import bp

LIMIT = 200


def _entries(*where):
    return db.session.execute(
        select(Entry, Competition, Stage).join(Competition, Competition.id == Entry.competition_id)
        .outerjoin(Stage, Stage.id == Entry.stage_id).where(*where)
        .options(joinedload(Entry.school), joinedload(Entry.nomination))
        .order_by(Competition.start_year.desc(), Competition.title, Entry.id).limit(LIMIT)).all()


@bp.route("/contests/mine")
def mine():
    require("contests.view")
    person = svc.person_of(current_user)
    school_id = svc.coordinated_school_id(current_user)
    own = _entries(Entry.person_id == person.id) if person else []
    pupils = _entries(Entry.teacher_id == person.id) if person else []
    school = _entries(Entry.school_id == school_id, Competition.is_vsosh.is_(False)) if school_id else []
    return render_template("contests/mine.html", person=person, own=own, pupils=pupils, school=school,
                           STATUS=ENTRY_STATUS_LABELS, RESULT=RESULT_LABELS, STAGE_LABELS=STAGE_LABELS,
                           name=svc.entrant_name)
