"""PD requests: the status table, the district's PD institute, the сводная заявка and the requested-vs-completed
analysis."""
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Course, PDRequest
from ..models.pd_requests import REQUEST_TRANSITIONS
from ..text import fold

INSTITUTE_WORDS = ("институт", "виро", "тоипкро", "ипк", "повышения квалификации")
IN_SUMMARY = ("approved", "enrolled", "completed")


class MoveRefused(ValueError):
    pass


def pd_institute(tenant) -> str:
    """The district's PD institute, from its preset's partners (ВИРО, ТОИПКРО, ГУДПО «Институт развития
    образования Забайкальского края»); empty when the profile names none."""
    for partner in tenant.partner_list:
        if any(word in fold(partner) for word in INSTITUTE_WORDS):
            return partner
    return ""


def allowed(request: PDRequest) -> tuple[str, ...]:
    return REQUEST_TRANSITIONS.get(request.status, ())


def move(request: PDRequest, to: str, course: dict | None = None) -> None:
    """Move a request along REQUEST_TRANSITIONS; completion needs the course's dates and makes a confirmed Course."""
    if to not in allowed(request):
        raise MoveRefused(_("Из этого состояния заявку так не перевести: обновите страницу."))
    if to == "completed":
        if not course or not course.get("date_from") or not course.get("date_to"):
            raise MoveRefused(_("Укажите даты курсов, чтобы отметить их пройденными."))
        if course["date_to"] < course["date_from"]:
            raise MoveRefused(_("Дата окончания курсов раньше даты начала."))
        record = Course(tenant_id=request.tenant_id, person_id=request.person_id, title=request.topic,
                        provider=request.provider, hours=request.hours, date_from=course["date_from"],
                        date_to=course["date_to"], form=request.form,
                        certificate=(course.get("certificate") or "")[:100], status="confirmed")
        db.session.add(record)
        db.session.flush()
        request.course_id = record.id
    request.status = to


def summary_rows(tenant_id: int, start_year: int) -> list[PDRequest]:
    """The requests that make the сводная заявка: approved by their school (and later ones), one query."""
    return db.session.scalars(
        select(PDRequest).where(PDRequest.tenant_id == tenant_id, PDRequest.start_year == start_year,
                                PDRequest.status.in_(IN_SUMMARY))
        .options(joinedload(PDRequest.person), joinedload(PDRequest.school), joinedload(PDRequest.area))
        .order_by(PDRequest.topic, PDRequest.provider, PDRequest.school_id, PDRequest.id)).all()


def grouped(rows: list[PDRequest]) -> list[dict]:
    """By topic and provider, then by school: the shape of the сводная заявка."""
    groups = {}
    for r in rows:
        key = (r.topic, r.provider, r.form, r.hours)
        g = groups.setdefault(key, {"topic": r.topic, "provider": r.provider, "form": r.form, "hours": r.hours,
                                    "schools": defaultdict(list), "count": 0})
        g["schools"][r.school.name if r.school else ""].append(r.person.full_name)
        g["count"] += 1
    return list(groups.values())


def analysis(tenant_id: int, start_year: int) -> list[dict]:
    """Requested (approved and later) against completed, by competence area or topic."""
    rows = db.session.execute(select(PDRequest.topic, PDRequest.status, PDRequest.area_id)
                              .where(PDRequest.tenant_id == tenant_id, PDRequest.start_year == start_year,
                                     PDRequest.status.in_(IN_SUMMARY))).all()
    out = {}
    for topic, status, _area in rows:
        r = out.setdefault(topic, {"topic": topic, "requested": 0, "completed": 0})
        r["requested"] += 1
        r["completed"] += status == "completed"
    for r in out.values():
        r["percent"] = round(100 * r["completed"] / r["requested"]) if r["requested"] else 0
    return sorted(out.values(), key=lambda r: (-r["requested"], r["topic"]))


