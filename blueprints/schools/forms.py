from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from oms.extensions import db
from oms.forms import text_field
from oms.models import School
from oms.models.people import SCHOOL_KINDS, SITE_FLAGS
from oms.services.people_values import TAG_RE
from oms.text import clean, fold

FIRST_YEAR = 1990


def _year(label):
    last = date.today().year + 1
    return IntegerField(label, validators=[Optional(), NumberRange(FIRST_YEAR, last, f"Год от {FIRST_YEAR} до {last}.")])


class SchoolForm(FlaskForm):
    version = HiddenField()
    name = text_field("Полное название", 400, True, description="Как в уставе: Муниципальное бюджетное общеобразовательное учреждение …")
    short_name = text_field("Краткое название", 200, description="Например: МБОУ СОШ № 1")
    kind = SelectField("Тип", choices=list(SCHOOL_KINDS.items()))
    address = text_field("Адрес", 400)
    head = text_field("Руководитель (ФИО)", 200)
    is_base_site = BooleanField(SITE_FLAGS["base"])
    base_site_year = _year("Год")
    base_site_topic = text_field("Тема", 400)
    is_internship_site = BooleanField(SITE_FLAGS["internship"])
    internship_site_year = _year("Год")
    internship_site_topic = text_field("Тема", 400)
    is_innovation_site = BooleanField(SITE_FLAGS["innovation"])
    innovation_site_year = _year("Год")
    innovation_site_topic = text_field("Тема", 400)
    low_results = BooleanField("Низкие или необъективные результаты")
    low_results_year = _year("Год")

    TEXT_FIELDS = ("name", "short_name", "address", "head", "base_site_topic", "internship_site_topic",
                   "innovation_site_topic")

    def __init__(self, *args, school: School | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def submitted_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def site_rows(self):
        """(flag, year, topic) fields of each site designation, for the template."""
        return [(self[f"is_{code}_site"], self[f"{code}_site_year"], self[f"{code}_site_topic"])
                for code in SITE_FLAGS]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for name in self.TEXT_FIELDS:
            if self[name].data and TAG_RE.search(self[name].data):
                self[name].errors.append("Уберите HTML-разметку (<…>).")
                ok = False
        for flag, year, topic in self.site_rows():
            ok = self._flag_details(flag, year, topic) and ok
        ok = self._flag_details(self.low_results, self.low_results_year, None) and ok
        if ok:
            ok = self._unique()
        return ok

    def _flag_details(self, flag, year, topic) -> bool:
        if flag.data and year.data is None and not year.errors:
            year.errors.append("Укажите год.")
            return False
        if not flag.data and (year.data is not None or (topic is not None and clean(topic.data))):
            what = "год" if topic is None else "год и тему"
            flag.errors.append(f"Отметьте «{flag.label.text}» или очистите {what}.")
            return False
        return True

    def _others(self):
        stmt = School.scoped()
        if self.school is not None and self.school.id:
            stmt = stmt.where(School.id != self.school.id)
        return stmt

    def _unique(self) -> bool:
        key = fold(self.name.data)
        short = fold(self.short_name.data)
        others = db.session.scalars(self._others()).all()
        for other in others:
            if fold(other.name) == key or (fold(other.short_name) == key and other.short_name):
                self.name.errors.append(f"Такое название уже есть у организации «{other.label}».")
                return False
            if short and short in (fold(other.short_name), fold(other.name)):
                self.short_name.errors.append(f"Такое краткое название уже есть у организации «{other.label}».")
                return False
        return True

    def fill(self, school: School) -> None:
        for name in self.TEXT_FIELDS:
            setattr(school, name, clean(self[name].data))
        school.kind = self.kind.data
        for code in SITE_FLAGS:
            on = bool(self[f"is_{code}_site"].data)
            setattr(school, f"is_{code}_site", on)
            setattr(school, f"{code}_site_year", self[f"{code}_site_year"].data if on else None)
            if not on:
                setattr(school, f"{code}_site_topic", "")
        school.low_results = bool(self.low_results.data)
        school.low_results_year = self.low_results_year.data if school.low_results else None
