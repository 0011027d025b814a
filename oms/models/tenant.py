"""The district (tenant) and its profile."""
from datetime import date

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamped

MODEL_KINDS = ("department", "centre_department", "distributed", "department_service")

# A regulation's act, typed in the nominative, and its instrumental: «утверждено постановлением …».
INSTRUMENTAL = {"приказ": "приказом", "постановление": "постановлением", "распоряжение": "распоряжением",
                "решение": "решением"}

DEFAULT_TERMS = {
    "service": "Методическая служба",
    "council": "Методический совет",
    "council_short": "Методсовет",
    "association": "Методическое объединение",
    "associations": "Методические объединения",
    "plan": "План работы",
}


class Tenant(Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(300), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    authority: Mapped[str] = mapped_column(String(300), default="")
    # «приказом <authority_genitive>»: who approves the plan, in the genitive (prefilled from the preset)
    authority_genitive: Mapped[str] = mapped_column(String(300), default="")
    service_name: Mapped[str] = mapped_column(String(300), default="")
    service_name_genitive: Mapped[str] = mapped_column(String(300), default="")
    service_abbr: Mapped[str] = mapped_column(String(40), default="")
    head_title: Mapped[str] = mapped_column(String(200), default="")
    model_kind: Mapped[str] = mapped_column(String(40), default="department")
    act_kind: Mapped[str] = mapped_column(String(60), default="")
    act_issuer: Mapped[str] = mapped_column(String(300), default="")
    act_issuer_genitive: Mapped[str] = mapped_column(String(300), default="")
    act_title: Mapped[str] = mapped_column(String(300), default="")
    act_number: Mapped[str] = mapped_column(String(60), default="")
    act_date: Mapped[date | None]
    partners: Mapped[str] = mapped_column(Text, default="")  # one per line
    terms: Mapped[dict] = mapped_column(JSON, default=dict)
    # Lists from the preset the UI suggests: staff positions, council roles, required documents.
    catalogues: Mapped[dict] = mapped_column(JSON, default=dict)
    preset: Mapped[str] = mapped_column(String(40), default="")
    # IANA name; the calendar's times (and its iCalendar feed) are this zone's local times.
    time_zone: Mapped[str] = mapped_column(String(60), default="Europe/Moscow")
    is_suspended: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def act_by(self) -> str:
        """The district's act in the instrumental case: «утверждено постановлением …»."""
        kind = (self.act_kind or "").strip()
        return INSTRUMENTAL.get(kind.lower(), kind)

    @property
    def act_issuer_of(self) -> str:
        """Who issued the district's act, in the genitive (as typed; else the nominative)."""
        return self.act_issuer_genitive or self.act_issuer

    @property
    def plan_approver_of(self) -> str:
        """Whose order approves the plan, in the genitive: «приказом Отдела образования …»."""
        return self.authority_genitive or self.authority

    def term(self, key: str) -> str:
        return (self.terms or {}).get(key) or DEFAULT_TERMS.get(key, key)

    @property
    def partner_list(self) -> list[str]:
        return [p.strip() for p in (self.partners or "").splitlines() if p.strip()]

    @property
    def service_label(self) -> str:
        return self.service_abbr or self.service_name or self.term("service")

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"
