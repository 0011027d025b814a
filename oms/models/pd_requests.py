"""Requests for professional development (заявки на повышение квалификации).

A teacher (or the methodist on a school's behalf) requests a topic or competence area; the school's approval is
recorded by the district's methodist or admin on the school's word (the app has no school-administrator role:
a school sends its list, the methodist marks what it approved); the approved requests make the сводная заявка
to the district's PD institute; enrolment and completion turn a request into a confirmed course record.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TenantScoped, Timestamped

REQUEST_STATUSES = {"submitted": _l("Подана"), "approved": _l("Согласована школой"),
                    "enrolled": _l("Зачислен на курсы"), "completed": _l("Курсы пройдены"),
                    "rejected": _l("Отклонена")}
# Who may move a request where: one table (checked by oms.services.pd_requests.move).
REQUEST_TRANSITIONS = {"submitted": ("approved", "rejected"), "approved": ("enrolled", "rejected"),
                       "enrolled": ("completed", "rejected")}
PRIORITIES = {"high": _l("Высокий"), "normal": _l("Обычный"), "low": _l("Низкий")}


class PDRequest(TenantScoped, Timestamped, db.Model):
    audit_type_label = _l("Заявка на повышение квалификации")
    audit_field_labels = {"priority": _l("Приоритет"), "requested_by_id": _l("Кто подал")}

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("competence_area.id", ondelete="SET NULL"), index=True)
    topic: Mapped[str] = mapped_column(String(500))
    form: Mapped[str] = mapped_column(String(20), default="distance")
    hours: Mapped[int] = mapped_column(default=36)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    provider: Mapped[str] = mapped_column(String(300), default="")
    start_year: Mapped[int] = mapped_column(index=True)  # the school year 2025/2026 is 2025
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    person = relationship("Person", lazy="raise_on_sql")
    school = relationship("School", lazy="raise_on_sql")
    area = relationship("CompetenceArea", lazy="raise_on_sql")
    course = relationship("Course", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return (self.topic or "")[:200]
