
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import NumberRange, Optional

from blueprints.people.forms import VersionedForm
from oms import clock
from oms.extensions import db
from oms.fields import WholeNumberField
from oms.forms import text_field
from oms.models import School
from oms.models.people import SCHOOL_KIND_LABELS, SITE_FLAG_LABELS
from oms.services.people_values import TAG_RE
from oms.text import clean, fold

FIRST_YEAR = 1990


def _next_year() -> int:
    return clock.today().year + 1


def _year(label):
    return WholeNumberField(label, validators=[Optional(), NumberRange(FIRST_YEAR, _next_year,
                                                                   _l("Год от %(min)s до %(max)s."))])


class SchoolForm(VersionedForm):
    name = text_field(_l("Полное название"), 400, True,
                      description=_l("Как в уставе: Муниципальное бюджетное общеобразовательное учреждение …"))
    short_name = text_field(_l("Краткое название"), 200, description=_l("Например: МБОУ СОШ № 1"))
    kind = SelectField(_l("Тип"), choices=list(SCHOOL_KIND_LABELS.items()))
    address = text_field(_l("Адрес"), 400)
    head = text_field(_l("Руководитель (ФИО)"), 200)
    is_base_site = BooleanField(SITE_FLAG_LABELS["base"])
    base_site_year = _year(_l("Год"))
    base_site_topic = text_field(_l("Тема"), 400)
    is_internship_site = BooleanField(SITE_FLAG_LABELS["internship"])
    internship_site_year = _year(_l("Год"))
    internship_site_topic = text_field(_l("Тема"), 400)
    is_innovation_site = BooleanField(SITE_FLAG_LABELS["innovation"])
    innovation_site_year = _year(_l("Год"))
    innovation_site_topic = text_field(_l("Тема"), 400)
    low_results = BooleanField(_l("Низкие или необъективные результаты"))
    low_results_year = _year(_l("Год"))

    TEXT_FIELDS = ("name", "short_name", "address", "head", "base_site_topic", "internship_site_topic",
                   "innovation_site_topic")

    def __init__(self, *args, school: School | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def site_rows(self):
        """(flag, year, topic) fields of each site designation, for the template."""
        return [(self[f"is_{code}_site"], self[f"{code}_site_year"], self[f"{code}_site_topic"])
                for code in SITE_FLAG_LABELS]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for name in self.TEXT_FIELDS:
            if self[name].data and TAG_RE.search(self[name].data):
                self[name].errors.append(_("Уберите HTML-разметку (<…>)."))
                ok = False
        for flag, year, topic in self.site_rows():
            ok = self._flag_details(flag, year, topic) and ok
        ok = self._flag_details(self.low_results, self.low_results_year, None) and ok
        if ok:
            ok = self._unique()
        return ok

    def _flag_details(self, flag, year, topic) -> bool:
        if flag.data and year.data is None and not year.errors:
            year.errors.append(_("Укажите год."))
            return False
        if not flag.data and (year.data is not None or (topic is not None and clean(topic.data))):
            flag.errors.append(_("Отметьте «%(flag)s» или очистите год.", flag=flag.label.text) if topic is None
                               else _("Отметьте «%(flag)s» или очистите год и тему.", flag=flag.label.text))
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
                self.name.errors.append(_("Такое название уже есть у организации «%(name)s».", name=other.label))
                return False
            if short and short in (fold(other.short_name), fold(other.name)):
                self.short_name.errors.append(_("Такое краткое название уже есть у организации «%(name)s».",
                                                name=other.label))
                return False
        return True

    def fill(self, school: School) -> None:
        for name in self.TEXT_FIELDS:
            setattr(school, name, clean(self[name].data))
        school.kind = self.kind.data
        for code in SITE_FLAG_LABELS:
            on = bool(self[f"is_{code}_site"].data)
            setattr(school, f"is_{code}_site", on)
            setattr(school, f"{code}_site_year", self[f"{code}_site_year"].data if on else None)
            if not on:
                setattr(school, f"{code}_site_topic", "")
        school.low_results = bool(self.low_results.data)
        school.low_results_year = self.low_results_year.data if school.low_results else None
