"""An uploaded table waiting for its mapping, preview and confirmation.

The parsed rows live here between the steps of an import so that nothing the
browser sends back is ever trusted as row data; a batch belongs to the user
who uploaded it and expires after a few hours.
"""
from datetime import datetime, timedelta

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import TenantScoped, utcnow

IMPORT_LIFETIME = timedelta(hours=6)


class ImportBatch(TenantScoped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="people")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(default=lambda: utcnow() + IMPORT_LIFETIME, index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    header: Mapped[list] = mapped_column(JSON, default=list)  # the file's column titles
    header_row: Mapped[int] = mapped_column(default=1)  # its row number in the file
    rows: Mapped[list] = mapped_column(JSON, default=list)  # [[file row number, [cell, ...]], ...]
    notes: Mapped[dict] = mapped_column(JSON, default=dict)  # {"long": {"row:col": length}, ...}
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # {column index as str: target field}
    status: Mapped[str] = mapped_column(String(20), default="new")  # new, done
    result: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def audit_label(self) -> str:
        return self.filename

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.expires_at
