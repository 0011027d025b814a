"""Stored files: one mixin that every record with attachments uses (practices, documents, contests, …).

A feature declares its own table, e.g.

    class PracticeFile(StoredFileMixin, TenantScoped, db.Model):
        id: Mapped[int] = mapped_column(primary_key=True)
        practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)

and fills it with `oms.files.store(PracticeFile(practice_id=…), upload)`; the file goes with its record.
The content column is deferred: listing files never loads their bytes.
"""
from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, declared_attr, deferred, mapped_column

from .base import Timestamped


class StoredFileMixin(Timestamped):
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage: Mapped[str] = mapped_column(String(20), default="db")
    storage_key: Mapped[str | None] = mapped_column(String(400))

    @declared_attr
    def content(cls) -> Mapped[bytes | None]:
        return deferred(mapped_column(LargeBinary))

    @property
    def kind_label(self) -> str:
        from ..files import KINDS

        kind = KINDS.get(self.content_type)
        return kind.label if kind else ""
