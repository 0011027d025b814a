"""Forms of teachers' development: courses, deficits, route steps, mentoring, attestation, the catalogue."""
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.widgets import MonthInput
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation, ValidationError

from oms import clock
from oms.concurrency import FormTokenField, VersionField
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.forms import Form, max_len, required, text_field
from oms.picker import PersonPickerField, PickerField
from oms.models.development import (ATTESTATION_CATEGORIES, COURSE_FORMS, DEFICIT_SOURCES, DEFICIT_STATUSES,
                                    MIN_COURSE_HOURS, STEP_KINDS)

DATE_MESSAGE = _l("Введите дату в формате дд.мм.гггг.")
MONTH_MESSAGE = _l("Укажите месяц в формате мм.гггг.")
EARLIEST = date(1970, 1, 1)


class RuDateField(DateField):
    """A date typed as 2025-09-01 (the date picker) or 01.09.2025; anything else gets a Russian message."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d.%m.%Y"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DATE_MESSAGE) from None

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%Y-%m-%d") if self.data else ""


def date_field(label, required_field=False, message=_l("Укажите дату.")):
    validators = [InputRequired(message)] if required_field else [Optional()]
    return RuDateField(label, validators=validators)


class MonthField(StringField):
    """A month as 2026-03 (the month picker) or 03.2026; the data is the first day of the month."""

    widget = MonthInput()

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_text = raw
        if not raw:
            return
        try:
            if "." in raw:
                month, year = raw.split(".")
            else:
                year, month = raw.split("-")
            self.data = date(int(year), int(month), 1)
        except ValueError:
            raise ValueError(MONTH_MESSAGE) from None
        if not 1990 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(MONTH_MESSAGE)

    def _value(self):
        if self.data:
            return self.data.strftime("%Y-%m")
        return getattr(self, "raw_text", "")

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            raise StopValidation(_("Укажите месяц."))


def _not_in_future(field, message):
    if field.data and field.data > clock.today():
        raise ValidationError(message)


def _not_too_old(field):
    if field.data and field.data < EARLIEST:
        raise ValidationError(_("Проверьте год: дата слишком ранняя."))


class CourseFields:
    title = StringField(_l("Название программы (курса)"),
                        validators=[required(_l("Введите название курса.")), max_len(500)])
    provider = StringField(_l("Организация, проводившая обучение"),
                           validators=[required(_l("Укажите организацию, проводившую обучение.")), max_len(300)])
    hours = WholeNumberField(_l("Объём, часов"), validators=[
        InputRequired(_l("Укажите объём программы в часах.")),
        # NumberRange puts the limits into %(min)s and %(max)s
        NumberRange(min=MIN_COURSE_HOURS, max=3000,
                    message=_l("Программа повышения квалификации — не менее %(min)s часов (и не более %(max)s)."))])
    date_from = date_field(_l("Начало обучения"), True, _l("Укажите дату начала обучения."))
    date_to = date_field(_l("Окончание обучения"), True, _l("Укажите дату окончания обучения."))
    form = ChoiceField(_l("Форма обучения"), choices=list(COURSE_FORMS.items()))
    certificate = text_field(_l("Номер удостоверения"), 100)

    def validate_date_from(self, field):
        _not_too_old(field)

    def validate_date_to(self, field):
        _not_too_old(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("Окончание не может быть раньше начала обучения."))
        if field.data and self.date_from.data and (field.data - self.date_from.data).days > 730:
            raise ValidationError(_("Курс длится больше двух лет: проверьте даты."))


class CourseForm(CourseFields, Form):
    form_token = FormTokenField()
    version = VersionField()


class ProposeCourseForm(CourseFields, Form):
    """A teacher's own course, for a methodist to confirm: it must have ended already."""
    form_token = FormTokenField()

    def validate_date_to(self, field):
        CourseFields.validate_date_to(self, field)
        _not_in_future(field, _("Предложить можно только пройденный курс: окончание ещё не наступило."))


class RejectForm(Form):
    reason = TextAreaField(_l("Причина отклонения"),
                           validators=[required(_l("Напишите причину: педагог увидит её.")), max_len(500)])


class AreaForm(Form):
    form_token = FormTokenField()
    name = StringField(_l("Область компетенций"), validators=[required(_l("Введите название области.")), max_len(200)])
    position = WholeNumberField(_l("Порядок в списке"), validators=[
        Optional(), NumberRange(min=0, max=999, message=_l("Число от %(min)s до %(max)s."))])


class DeficitForm(Form):
    form_token = FormTokenField()
    area_id = IdSelectField(_l("Область компетенций"), required_message=_l("Выберите область компетенций."))
    source = ChoiceField(_l("Как выявлен"), choices=list(DEFICIT_SOURCES.items()))
    found_on = date_field(_l("Дата выявления"), True, _l("Укажите, когда выявлен дефицит."))
    note = TextAreaField(_l("В чём проявляется"), validators=[Optional(), max_len(2000)])

    def validate_found_on(self, field):
        _not_too_old(field)
        _not_in_future(field, _("Дата выявления не может быть в будущем."))


class DeficitEditForm(DeficitForm):
    status = ChoiceField(_l("Статус"), choices=list(DEFICIT_STATUSES.items()))
    version = VersionField()


class StepForm(Form):
    form_token = FormTokenField()
    deficit_id = IdSelectField(_l("Какой дефицит закрывает"), required=False, blank=_l("— без привязки к дефициту —"))
    kind = ChoiceField(_l("Вид шага"), choices=list(STEP_KINDS.items()))
    title = StringField(_l("Содержание шага"), validators=[max_len(500)])  # required for some kinds: see below
    plan_item_id = PickerField(_l("Мероприятие плана"), kind="plan_item")
    course_id = IdSelectField(_l("Пройденный курс (если уже есть запись)"), required=False, blank=_l("— нет —"))
    mentorship_id = IdSelectField(_l("Наставничество"), required=False, blank=_l("— выберите пару —"))
    due_month = MonthField(_l("Срок (месяц)"))
    note = text_field(_l("Примечание"), 500)
    version = VersionField()

    def validate_title(self, field):
        if self.kind.data in ("course", "self_study") and not (field.data or "").strip():
            raise ValidationError(_("Опишите шаг: название курса или тему самообразования."))

    def validate_plan_item_id(self, field):
        if self.kind.data == "plan_item" and not field.data:
            raise ValidationError(_("Выберите мероприятие плана."))

    def validate_mentorship_id(self, field):
        if self.kind.data == "mentoring" and not field.data and not (self.title.data or "").strip():
            raise ValidationError(_("Выберите наставническую пару или опишите шаг."))


class MentorshipForm(Form):
    form_token = FormTokenField()
    mentee_id = PersonPickerField(_l("Наставляемый (молодой специалист)"), required=True,
                                  required_message=_l("Выберите наставляемого."))
    mentor_id = PersonPickerField(_l("Наставник"), required=True, required_message=_l("Выберите наставника."))
    body_id = IdSelectField(_l("Объединение"), required=False, blank=_l("— без объединения —"))
    date_from = date_field(_l("Начало"), True, _l("Укажите дату начала наставничества."))
    date_to = date_field(_l("Окончание"))
    goals = TextAreaField(_l("Цели и задачи"), validators=[Optional(), max_len(3000)])
    result = TextAreaField(_l("Итоги"), validators=[Optional(), max_len(3000)])
    version = VersionField()

    def validate_mentor_id(self, field):
        if field.data and field.data == self.mentee_id.data:
            raise ValidationError(_("Наставник и наставляемый должны быть разными людьми."))

    def validate_date_from(self, field):
        _not_too_old(field)

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("Окончание не может быть раньше начала."))


class MentoringMeetingForm(Form):
    form_token = FormTokenField()
    held_on = date_field(_l("Дата встречи"), True, _l("Укажите дату встречи."))
    topic = StringField(_l("Тема"), validators=[required(_l("Введите тему встречи.")), max_len(300)])
    note = TextAreaField(_l("Что сделано, договорённости"), validators=[Optional(), max_len(3000)])

    def validate_held_on(self, field):
        _not_too_old(field)


class AttestationForm(Form):
    form_token = FormTokenField()
    category = ChoiceField(_l("Результат аттестации"), choices=list(ATTESTATION_CATEGORIES.items()))
    passed_on = date_field(_l("Дата аттестации (приказа)"), True, _l("Укажите дату аттестации."))
    order_number = text_field(_l("Номер приказа"), 100)
    next_due = date_field(_l("Следующая аттестация — не позднее"))
    note = text_field(_l("Примечание"), 500)
    version = VersionField()

    def validate_passed_on(self, field):
        _not_too_old(field)
        _not_in_future(field, _("Дата аттестации не может быть в будущем."))

    def validate_next_due(self, field):
        if field.data and self.passed_on.data and field.data <= self.passed_on.data:
            raise ValidationError(_("Срок следующей аттестации должен быть позже даты аттестации."))
