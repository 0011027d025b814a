from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from oms.concurrency import VersionField
from oms.extensions import db
from oms.fields import WholeNumberField
from oms.forms import Form, max_len, ru_date_field, text_field
from oms.models import Person
from oms.models.people import CATEGORY_LABELS
from oms.services import people_values as values
from oms.text import clean, fold

YOUNG_CHOICES = [("auto", _l("Определить по стажу (меньше 3 лет — да)")), ("yes", _l("Да")), ("no", _l("Нет"))]
NO_SCHOOL = ""


class VersionedForm(Form):
    version = VersionField()


def _check(parser, data) -> None:
    """Run a people_values parser on a filled field: its ValueError becomes the field's error."""
    if data:
        try:
            parser(data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class SelfForm(VersionedForm):
    """What a teacher keeps in their own record."""

    education = text_field(_l("Образование"), 400, description=_l("Например: высшее педагогическое, ЗабГУ, 2012"))
    phone = text_field(_l("Телефон"), 60)
    email = text_field(_l("Электронная почта"), 254)

    def validate_phone(self, field):
        _check(values.phone, field.data)

    def validate_email(self, field):
        _check(values.email, field.data)

    def fill(self, person: Person) -> None:
        person.education = clean(self.education.data)
        person.phone = values.phone(self.phone.data or "")
        person.email = values.email(self.email.data or "")


class PersonForm(SelfForm):
    last_name = text_field(_l("Фамилия"), 100, True)
    first_name = text_field(_l("Имя"), 100, True)
    middle_name = text_field(_l("Отчество"), 100)
    school_id = SelectField(_l("Образовательная организация"), choices=[], default=NO_SCHOOL)
    position = text_field(_l("Должность"), 200, description=_l("Например: учитель, заместитель директора по УВР"))
    subjects = text_field(_l("Предметы"), 400, description=_l("Через точку с запятой: Математика; Физика"))
    category = SelectField(_l("Квалификационная категория"), choices=list(CATEGORY_LABELS.items()))
    category_date = ru_date_field(_l("Дата присвоения категории"))
    experience_years = WholeNumberField(_l("Педагогический стаж, лет"), validators=[
        Optional(), NumberRange(0, values.MAX_EXPERIENCE, _l("От %(min)s до %(max)s лет."))])
    young = SelectField(_l("Молодой специалист"), choices=YOUNG_CHOICES, default="auto")
    notes = TextAreaField(_l("Примечание"), validators=[Optional(), max_len(2000)])
    user_id = SelectField(_l("Учётная запись пользователя"), choices=[], default="")

    def __init__(self, *args, schools=(), users=(), person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.school_id.choices = [(NO_SCHOOL, _("— без организации (специалист органа управления)"))] + [
            (str(s.id), s.label) for s in schools]
        self.user_id.choices = [("", _("— не связана —"))] + [(str(u.id), f"{u.full_name} ({u.email})") for u in users]
        # An empty link comes from the object as None: it is the "none" choice.
        self.school_id.data = self.school_id.data or NO_SCHOOL
        self.user_id.data = self.user_id.data or ""
        if person is not None and not self.is_submitted():
            derived = values.is_young(person.experience_years)
            self.young.data = "auto" if person.is_young_specialist == derived else (
                "yes" if person.is_young_specialist else "no")

    def validate_last_name(self, field):
        _check(lambda v: values.name_part(v, "last_name"), field.data)

    def validate_first_name(self, field):
        _check(lambda v: values.name_part(v, "first_name"), field.data)

    def validate_middle_name(self, field):
        _check(lambda v: values.name_part(v, "middle_name", required=False), field.data)

    def validate_subjects(self, field):
        _check(values.subjects, field.data)

    def validate_category_date(self, field):
        if field.data:
            _check(values.a_date, field.data.strftime("%d.%m.%Y"))

    def school_value(self) -> int | None:
        return int(self.school_id.data) if self.school_id.data else None

    def full_name(self) -> str:
        return " ".join(p for p in (clean(self.last_name.data), clean(self.first_name.data),
                                    clean(self.middle_name.data)) if p)

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        stmt = Person.scoped().where(Person.name_key == fold(self.full_name())[:320])
        school_id = self.school_value()
        stmt = stmt.where(Person.school_id == school_id if school_id else Person.school_id.is_(None))
        if self.person is not None and self.person.id:
            stmt = stmt.where(Person.id != self.person.id)
        if db.session.scalar(stmt.with_only_columns(Person.id).limit(1)) is not None:
            self.last_name.errors.append(_("Педагог с таким ФИО уже есть в этой организации.") if school_id else
                                         _("Педагог с таким ФИО уже есть среди специалистов без организации."))
            return False
        return True

    def fill(self, person: Person) -> None:
        super().fill(person)
        person.last_name = clean(self.last_name.data)
        person.first_name = clean(self.first_name.data)
        person.middle_name = clean(self.middle_name.data)
        person.school_id = self.school_value()
        person.user_id = int(self.user_id.data) if self.user_id.data else None
        person.position = clean(self.position.data)
        person.subjects = values.subjects(self.subjects.data or "")
        person.category = self.category.data or ""
        person.category_date = self.category_date.data
        person.experience_years = self.experience_years.data
        person.is_young_specialist = {"yes": True, "no": False}.get(
            self.young.data, values.is_young(self.experience_years.data))
        person.notes = (self.notes.data or "").strip()


class UploadForm(Form):
    file = FileField(_l("Файл с педагогами (.xlsx или .csv)"))


class ConfirmForm(Form):
    """Only the CSRF token: the rows come from the stored batch, never from the browser."""
