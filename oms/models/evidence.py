"""Links between plan items and the activities that carry them out (their evidence).

One row per (item, kind of activity, activity id). The kinds — a meeting of any body, an event, and what
other sections register later (contest stages, consultations, practices, courses) — are listed in
oms.services.evidence; the table itself knows nothing about them, so a new kind needs no schema change.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TenantScoped, utcnow


class PlanItemLink(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item = relationship("PlanItem", lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("item_id", "kind", "object_id", name="uq_plan_item_link"),
                      Index("ix_plan_item_link_kind_object", "kind", "object_id"))
