"""The district's schools and people (teachers, the authority's specialists)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_, fold
from .base import Searchable, TenantScoped, Timestamped

# Label dicts: the plain dict of N_() texts is Russian, for the XLSX lists and the data archive; its
# *_LABELS twin is what screens show, in the user's language.
SCHOOL_KINDS = {"school": N_("Школа"), "kindergarten": N_("Детский сад"),
                "additional": N_("Учреждение доп. образования")}
SCHOOL_KIND_LABELS = {code: _l(text) for code, text in SCHOOL_KINDS.items()}
SITE_FLAGS = {"base": N_("Базовая площадка"), "internship": N_("Стажировочная площадка"),
              "innovation": N_("Инновационная площадка")}
SITE_FLAG_LABELS = {code: _l(text) for code, text in SITE_FLAGS.items()}
CATEGORIES = {"": N_("Без категории"), "szd": N_("Соответствие занимаемой должности"),
              "first": N_("Первая"), "highest": N_("Высшая")}
CATEGORY_LABELS = {code: _l(text) for code, text in CATEGORIES.items()}


class School(TenantScoped, Searchable, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    short_name: Mapped[str] = mapped_column(String(200), default="")
    name_key: Mapped[str] = mapped_column(String(400), default="")
    kind: Mapped[str] = mapped_column(String(20), default="school")
    address: Mapped[str] = mapped_column(String(400), default="")
    head: Mapped[str] = mapped_column(String(200), default="")
    is_base_site: Mapped[bool] = mapped_column(default=False)
    base_site_year: Mapped[int | None]
    base_site_topic: Mapped[str] = mapped_column(String(400), default="")
    is_internship_site: Mapped[bool] = mapped_column(default=False)
    internship_site_year: Mapped[int | None]
    internship_site_topic: Mapped[str] = mapped_column(String(400), default="")
    is_innovation_site: Mapped[bool] = mapped_column(default=False)
    innovation_site_year: Mapped[int | None]
    innovation_site_topic: Mapped[str] = mapped_column(String(400), default="")
    low_results: Mapped[bool] = mapped_column(default=False)
    low_results_year: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (UniqueConstraint("tenant_id", "name_key"),)
    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return f"{self.name} {self.short_name}"

    def refresh_keys(self) -> None:
        self.name_key = fold(self.name)[:400]

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def site_flags(self) -> list[str]:
        return [code for code in SITE_FLAGS if getattr(self, f"is_{code}_site")]


def full_name(last_name, first_name, middle_name) -> str:
    """A person's full name from the three columns (for a list that selects only them)."""
    return " ".join(p for p in (last_name, first_name, middle_name) if p)


def short_name(last_name, first_name, middle_name) -> str:
    """Иванова А. П., from the three columns."""
    initials = "".join(f"{p[0]}. " for p in (first_name, middle_name) if p)
    return f"{last_name} {initials}".strip()


class Person(TenantScoped, Searchable, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    name_key: Mapped[str] = mapped_column(String(320), default="", index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    position: Mapped[str] = mapped_column(String(200), default="")
    subjects: Mapped[str] = mapped_column(String(400), default="")  # "Математика; Физика"
    category: Mapped[str] = mapped_column(String(20), default="")
    category_date: Mapped[date | None]
    experience_years: Mapped[int | None]
    is_young_specialist: Mapped[bool] = mapped_column(default=False)
    education: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), unique=True)
    version: Mapped[int] = mapped_column(default=1)

    school: Mapped[School | None] = relationship(lazy="raise_on_sql")
    user = relationship("User", lazy="raise_on_sql")

    # One person per full name within a school, and one among the district's specialists (no school: NULL is
    # never equal to NULL in a unique constraint, so a partial index of its own).
    __table_args__ = (UniqueConstraint("tenant_id", "name_key", "school_id"),
                      Index("uq_person_tenant_id_name_key_no_school", "tenant_id", "name_key", unique=True,
                            sqlite_where=text("school_id IS NULL"), postgresql_where=text("school_id IS NULL")))
    __mapper_args__ = {"version_id_col": version}

    def search_text(self) -> str:
        return f"{self.last_name} {self.first_name} {self.middle_name} {self.position} {self.subjects}"

    def refresh_keys(self) -> None:
        self.name_key = fold(self.full_name)[:320]

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.middle_name)

    @property
    def short_name(self) -> str:
        """Иванова А. П."""
        return short_name(self.last_name, self.first_name, self.middle_name)

    @property
    def subject_list(self) -> list[str]:
        return [s.strip() for s in (self.subjects or "").split(";") if s.strip()]

    audit_label = full_name

