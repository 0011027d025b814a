"""The mail outbox: every letter of the app is a row here; `flask send-mail` sends what is unsent.

A request only adds a row (it never waits on SMTP); a letter stays until the server accepts it (nothing is
lost while SMTP is down); `key`, when given, is unique, so the same letter is never queued twice (a daily
digest keyed by person and day, say). Not a district table: password links go out before any district.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class OutboxMail(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
