"""Forms of the plan: an item's content, its execution, approving and reopening, import."""
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from oms.forms import max_len, required, text_field

try:  # WTForms >= 3.3 renders Choice tuples; older versions take plain tuples
    from wtforms.fields.choices import Choice
except ImportError:  # pragma: no cover
    def Choice(value, label, selected, render_kw):  # noqa: N802
        return (value, label, selected, render_kw)
from oms.models.plan import ACADEMIC_MONTHS, ITEM_STATUSES, MONTH_NAMES


def _to_id(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class IdSelectField(SelectField):
    """A select of ids the view took from the current district; "" is none.

    Anything else a client sends (another district's id, garbage) is refused with a Russian message.
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
        if self.invalid or (self.data is not None and self.data not in {v for v, _ in self.choices}):
            raise StopValidation("Выберите значение из списка.")
        if self.data is None and self.required_message:
            raise StopValidation(self.required_message)


class IdMultiSelectField(SelectMultipleField):
    def __init__(self, label=None, validators=None, **kw):
        super().__init__(label, validators, coerce=int, validate_choice=False, **kw)
        self.invalid = False

    def process_formdata(self, valuelist):
        try:
            self.data = list(dict.fromkeys(int(v) for v in valuelist if v != ""))
        except ValueError:
            self.data, self.invalid = [], True

    def pre_validate(self, form):
        allowed = {v for v, _ in self.choices}
        if self.invalid or any(v not in allowed for v in self.data or []):
            raise StopValidation("Выберите людей из списка.")


class MonthsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, **kw):
        super().__init__(label, coerce=int, validate_choice=False,
                         choices=[(m, MONTH_NAMES[m]) for m in ACADEMIC_MONTHS], **kw)

    def process_formdata(self, valuelist):
        try:
            self.data = sorted({int(v) for v in valuelist}, key=ACADEMIC_MONTHS.index)
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        if self.data is None or any(m not in ACADEMIC_MONTHS for m in self.data):
            raise StopValidation("Отметьте месяцы из списка.")


def date_field(label):
    return DateField(label, validators=[Optional()], format=["%Y-%m-%d", "%d.%m.%Y"])


class VersionedForm(FlaskForm):
    version = HiddenField()

    def version_number(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ItemForm(VersionedForm):
    direction_id = IdSelectField("Направление", required_message="Выберите направление деятельности.")
    function_id = IdSelectField("Функция (по положению)")
    form_id = IdSelectField("Форма проведения")
    title = TextAreaField("Мероприятие", validators=[required("Укажите название мероприятия."), max_len(1000)])
    months = MonthsField("Месяцы")
    date_from = date_field("Дата начала")
    date_to = date_field("Дата окончания")
    audience = text_field("Участники", 500)
    responsible = IdMultiSelectField("Ответственные")
    responsible_note = text_field("Ответственные (текстом, кроме выбранных)", 500)
    body_id = IdSelectField("Организатор (совет, объединение)")
    venue_school_id = IdSelectField("Место проведения")
    expected_result = TextAreaField("Ожидаемый результат", validators=[Optional(), max_len(1000)])

    def __init__(self, *args, plan=None, **kw):
        super().__init__(*args, **kw)
        self.plan = plan

    def validate_date_to(self, field):
        if field.data and not self.date_from.data:
            raise ValidationError("Укажите и дату начала.")
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("Дата окончания раньше даты начала.")

    def validate_date_from(self, field):
        plan = self.plan
        if field.data and plan and not plan.first_day <= field.data <= plan.last_day:
            raise ValidationError(f"Дата должна быть в пределах {plan.label} учебного года "
                                  f"({plan.first_day:%d.%m.%Y} – {plan.last_day:%d.%m.%Y}).")

    def validate_months(self, field):
        if not field.data and not self.date_from.data:
            raise ValidationError("Отметьте месяц (месяцы) или укажите даты проведения.")


STATUS_CHOICES = list(ITEM_STATUSES.items())


class ExecutionForm(VersionedForm):
    status = SelectField("Отметка о выполнении", choices=STATUS_CHOICES)
    actual_date = date_field("Дата проведения")
    participants_count = IntegerField("Число участников", validators=[
        Optional(), NumberRange(min=0, max=100000, message="Введите целое число от 0 до 100 000.")])
    result_note = TextAreaField("Результат (кратко)", validators=[Optional(), max_len(2000)])
    moved_to_month = IdSelectField("Перенесено на месяц", choices=[(m, MONTH_NAMES[m]) for m in ACADEMIC_MONTHS])
    cancel_reason = text_field("Причина отмены", 500)

    def __init__(self, *args, plan=None, **kw):
        super().__init__(*args, **kw)
        self.plan = plan

    def validate_actual_date(self, field):
        if self.status.data != "done":
            return  # the date of a done mark only; the view clears it otherwise
        plan = self.plan
        if field.data and plan and not plan.first_day <= field.data <= plan.last_day:
            raise ValidationError(f"Дата должна быть в пределах {plan.label} учебного года "
                                  f"({plan.first_day:%d.%m.%Y} – {plan.last_day:%d.%m.%Y}).")
        if field.data and field.data > date.today():
            raise ValidationError("Дата проведения не может быть в будущем.")

    def validate(self, extra_validators=None):
        """What a mark needs depends on its status; empty optional fields skip their own validators."""
        ok = super().validate(extra_validators)
        needs = {"done": (self.actual_date, "Укажите дату, когда мероприятие прошло."),
                 "moved": (self.moved_to_month, "Выберите месяц, на который перенесено мероприятие."),
                 "cancelled": (self.cancel_reason, "Укажите причину отмены.")}
        field, message = needs.get(self.status.data, (None, None))
        if field is not None and not field.errors and not (str(field.data or "").strip()):
            field.errors = list(field.errors) + [message]
            ok = False
        return ok


class ApproveForm(VersionedForm):
    act_number = text_field("Номер приказа", 60, True)
    act_date = DateField("Дата приказа", validators=[required("Укажите дату приказа.")],
                         format=["%Y-%m-%d", "%d.%m.%Y"])

    def validate_act_date(self, field):
        if field.data and field.data > date.today():
            raise ValidationError("Дата приказа не может быть в будущем.")


class ReopenForm(VersionedForm):
    reason = TextAreaField("Причина возврата на доработку", validators=[
        required("Укажите причину: она попадёт в историю плана."), max_len(1000)])

    def validate_reason(self, field):
        if len((field.data or "").strip()) < 5:
            raise ValidationError("Опишите причину подробнее (не короче 5 символов).")


class ImportForm(FlaskForm):
    file = FileField("Файл плана (.xlsx)")


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
    filename = HiddenField()

