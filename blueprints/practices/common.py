"""Helpers shared by the practice bank's screens."""
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from oms.extensions import db
from oms.models import Person
from oms.models.practices import Practice, PracticeArea, PracticeAuthor, PracticeReview
from oms.services import practices as flow

PER_PAGE = 20


def refuse(action: str, obj=None):
    """403 for a move the workflow table does not give the user, recorded in the audit trail like require()."""
    from oms.audit import record_denial

    record_denial(f"practices.{action}", obj)
    abort(403)


def allow(action: str, practice) -> None:
    if not flow.may(action, practice, current_user, practice.rel):
        refuse(action, practice)


def practice_or_404(practice_id, full: bool = False) -> Practice:
    """The current district's practice; 404 also when the user may not see it (no hint it exists)."""
    try:
        practice_id = int(practice_id)
    except (TypeError, ValueError):
        abort(404)
    options = [joinedload(Practice.school), selectinload(Practice.authors).joinedload(PracticeAuthor.person)
               .joinedload(Person.school)]
    if full:
        options += [selectinload(Practice.areas).joinedload(PracticeArea.area), selectinload(Practice.files),
                    selectinload(Practice.reviews).joinedload(PracticeReview.expert),
                    selectinload(Practice.reviews).selectinload(PracticeReview.scores),
                    selectinload(Practice.history)]
    practice = db.session.scalar(Practice.scoped().where(Practice.id == practice_id).options(*options)
                                 .execution_options(populate_existing=True))
    if practice is None:
        abort(404)
    rel = flow.relations(practice, current_user)
    if not flow.can_see(practice, current_user, rel):
        abort(404)
    practice.rel = rel
    return practice
