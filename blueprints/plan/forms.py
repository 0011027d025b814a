"""Forms of the plan: an item's content, its execution, approving and reopening, import."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms import Form as PlainForm
from wtforms.validators import NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from oms import clock
from oms.concurrency import VersionField
from oms.fields import WholeNumberField
from oms.forms import Form, max_len, required, text_field
from oms.picker import PeoplePickerField, PersonPickerField

try:  # WTForms >= 3.3 renders Choice tuples; older versions take plain tuples
    from wtforms.fields.choices import Choice
except ImportError:  # pragma: no cover
    def Choice(value, label, selected, render_kw):  # noqa: N802
        return (value, label, selected, render_kw)
from oms.models.plan import ACADEMIC_MONTHS, ACT_KIND_LABELS, ITEM_STATUS_LABELS, MONTH_LABELS, months_of


def _to_id(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class IdSelectField(SelectField):
    """A select of ids the view took from the current district; "" is none.

    Anything else a client sends (another district's id, garbage) is refused with a message in the user's
    language.
    """

    def __init__(self, label=None, validators=None, required_message=None, **kw):
        super().__init__(label, validators, coerce=_to_id, validate_choice=False, **kw)
        self.required_message = required_message
        self.invalid = False

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = _to_id(valuelist[0])
            except (TypeError, ValueError):
                self.data, self.invalid = None, True

    def iter_choices(self):
        yield Choice("", "—", self.data is None, {})
        for value, label in self.choices:
            yield Choice(value, label, value == self.data, {})

    def has_groups(self):
        return False

    def pre_validate(self, form):
        if self.invalid or (self.data is not None and self.data not in {v for v, _label in self.choices}):
            raise StopValidation(_("Выберите значение из списка."))
        if self.data is None and self.required_message:
            raise StopValidation(self.required_message)


class MonthsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, **kw):
        super().__init__(label, coerce=int, validate_choice=False,
                         choices=[(m, MONTH_LABELS[m]) for m in ACADEMIC_MONTHS], **kw)

    def process_data(self, value):
        super().process_data(months_of(value) if isinstance(value, int) else value)  # a row keeps a bit mask

    def process_formdata(self, valuelist):
        try:
            self.data = sorted({int(v) for v in valuelist}, key=ACADEMIC_MONTHS.index)
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        if self.data is None or any(m not in ACADEMIC_MONTHS for m in self.data):
            raise StopValidation(_("Отметьте месяцы из списка."))


def _outside_plan_year(plan) -> str:
    return _("Дата должна быть в пределах %(year)s учебного года (%(first)s – %(last)s).", year=plan.label,
             first=f"{plan.first_day:%d.%m.%Y}", last=f"{plan.last_day:%d.%m.%Y}")


def date_field(label):
    return DateField(label, validators=[Optional()], format=["%Y-%m-%d", "%d.%m.%Y"])


class VersionedForm(Form):
    version = VersionField()


class ItemForm(VersionedForm):
    direction_id = IdSelectField(_l("Направление"), required_message=_l("Выберите направление деятельности."))
    function_id = IdSelectField(_l("Функция (по положению)"))
    form_id = IdSelectField(_l("Форма проведения"))
    title = TextAreaField(_l("Мероприятие"), validators=[required(_l("Укажите название мероприятия.")), max_len(1000)])
    months = MonthsField(_l("Месяцы"))
    date_from = date_field(_l("Дата начала"))
    date_to = date_field(_l("Дата окончания"))
    audience = text_field(_l("Участники"), 500)
    responsible = PeoplePickerField(_l("Ответственные"))
    responsible_note = text_field(_l("Ответственные (текстом, кроме выбранных)"), 500)
    body_id = IdSelectField(_l("Организатор (совет, объединение)"))
    venue_school_id = IdSelectField(_l("Место проведения"))
    expected_result = TextAreaField(_l("Ожидаемый результат"), validators=[Optional(), max_len(1000)])

    def __init__(self, *args, plan=None, **kw):
        super().__init__(*args, **kw)
        self.plan = plan

    def validate_date_to(self, field):
        if field.data and not self.date_from.data:
            raise ValidationError(_("Укажите и дату начала."))
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("Дата окончания раньше даты начала."))
        plan = self.plan
        if field.data and plan and not plan.first_day <= field.data <= plan.last_day:
            raise ValidationError(_outside_plan_year(plan))

    def validate_date_from(self, field):
        plan = self.plan
        if field.data and plan and not plan.first_day <= field.data <= plan.last_day:
            raise ValidationError(_outside_plan_year(plan))

    def validate_months(self, field):
        if not field.data and not self.date_from.data:
            raise ValidationError(_("Отметьте месяц (месяцы) или укажите даты проведения."))


STATUS_CHOICES = list(ITEM_STATUS_LABELS.items())


class ExecutionForm(VersionedForm):
    status = SelectField(_l("Отметка о выполнении"), choices=STATUS_CHOICES)
    actual_date = date_field(_l("Дата проведения"))
    participants_count = WholeNumberField(_l("Число участников"), validators=[
        Optional(), NumberRange(min=0, max=100000, message=_l("Введите целое число от 0 до 100 000."))])
    result_note = TextAreaField(_l("Результат (кратко)"), validators=[Optional(), max_len(2000)])
    moved_to_month = IdSelectField(_l("Перенесено на месяц"), choices=[(m, MONTH_LABELS[m]) for m in ACADEMIC_MONTHS])
    cancel_reason = text_field(_l("Причина отмены"), 500)
    override_note = text_field(_l("Почему отметка расходится с фактом"), 1000)

    def __init__(self, *args, plan=None, has_evidence=False, **kw):
        super().__init__(*args, **kw)
        self.plan = plan
        self.has_evidence = has_evidence

    def validate_actual_date(self, field):
        if self.status.data != "done":
            return  # the date of a done mark only; the view clears it otherwise
        plan = self.plan
        if field.data and plan and not plan.first_day <= field.data <= plan.last_day:
            raise ValidationError(_outside_plan_year(plan))
        if field.data and field.data > clock.today():
            raise ValidationError(_("Дата проведения не может быть в будущем."))

    def validate(self, extra_validators=None):
        """What a mark needs depends on its status; empty optional fields skip their own validators."""
        ok = super().validate(extra_validators)
        needs = {"done": (self.actual_date, _("Укажите дату, когда мероприятие прошло.")),
                 "moved": (self.moved_to_month, _("Выберите месяц, на который перенесено мероприятие.")),
                 "cancelled": (self.cancel_reason, _("Укажите причину отмены."))}
        field, message = needs.get(self.status.data, (None, None))
        if field is not None and not field.errors and not (str(field.data or "").strip()):
            field.errors = list(field.errors) + [message]
            ok = False
        if self.has_evidence and not (self.override_note.data or "").strip():
            # the mark of an item with linked activities comes from them; typing over it needs a reason
            self.override_note.errors = list(self.override_note.errors) + [
                _("Отметка заполняется по связанным мероприятиям. Чтобы изменить её вручную, укажите причину.")]
            ok = False
        return ok


class ApproveForm(VersionedForm):
    act_kind = SelectField(_l("Вид акта"), choices=list(ACT_KIND_LABELS.items()), default="order")
    act_number = text_field(_l("Номер приказа"), 60, True)
    act_date = DateField(_l("Дата приказа"), validators=[required(_l("Укажите дату приказа."))],
                         format=["%Y-%m-%d", "%d.%m.%Y"])

    def validate_act_date(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_("Дата приказа не может быть в будущем."))


class ReopenForm(VersionedForm):
    reason = TextAreaField(_l("Причина возврата на доработку"), validators=[
        required(_l("Укажите причину: она попадёт в историю плана.")), max_len(1000)])

    def validate_reason(self, field):
        if len((field.data or "").strip()) < 5:
            raise ValidationError(_("Опишите причину подробнее (не короче 5 символов)."))


class ImportForm(Form):
    file = FileField(_l("Файл плана (.xlsx)"))


class ConfirmImportForm(Form):
    token = HiddenField()
    filename = HiddenField()


class PersonFilterForm(PlainForm):
    """The list's «responsible» filter (a GET form: no token): the one person picker, the chosen person a chip.
    Filled from the list's Filters, which read and check the query string."""

    person = PersonPickerField(_l("Ответственный"))
