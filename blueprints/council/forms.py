"""Forms of the council's and the associations' screens (members, composition order, meetings)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from oms.conflicts import VersionField
from oms.fields import ChoiceField, IdSelectField
from oms.forms import max_len, required, text_field

DATE_MESSAGE = "Введите дату в формате дд.мм.гггг."


class RuDateField(DateField):
    """A date; a value that is not one gets a Russian message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DATE_MESSAGE) from None


def date_field(label, required_field=False):
    validators = [InputRequired("Укажите дату.")] if required_field else [Optional()]
    return RuDateField(label, validators=validators, format="%Y-%m-%d")


class MemberForm(FlaskForm):
    person_id = IdSelectField("Кто", required_message="Выберите человека из списка.")
    role = ChoiceField("Роль", choices=[])
    role_title = text_field("Кого представляет, должность в составе", 200)


class MemberEditForm(FlaskForm):
    role = ChoiceField("Роль", choices=[])
    role_title = text_field("Кого представляет, должность в составе", 200)


class OrderForm(FlaskForm):
    order_number = text_field("Номер приказа об утверждении состава", 60)
    order_date = date_field("Дата приказа")
    version = VersionField()


class MeetingForm(FlaskForm):
    number = text_field("Номер заседания (протокола)", 20, True)
    held_on = date_field("Дата", required_field=True)
    topic = text_field("Тема", 500)
    venue = text_field("Место проведения", 300)
    is_held = BooleanField("Заседание проведено")
    minutes = TextAreaField("Ход заседания (для протокола)", validators=[Optional(), max_len(20000)])
    version = VersionField()


class AgendaForm(FlaskForm):
    title = StringField("Вопрос повестки", validators=[required("Введите вопрос повестки."), max_len(500)])
    speaker = text_field("Докладчик", 200)


class GuestForm(FlaskForm):
    person_id = IdSelectField("Приглашённый", required_message="Выберите человека из списка.")


DECISION_STATUS_HINT = "«Выполнено» — когда решение исполнено; «Снято» — если оно потеряло смысл."


class DecisionForm(FlaskForm):
    text = TextAreaField("Решение", validators=[required("Введите текст решения."), max_len(5000)])
    responsible_id = IdSelectField("Ответственный", required=False, blank="— не назначен —")
    due_date = date_field("Срок исполнения")
    status = ChoiceField("Исполнение", choices=[])
    status_note = text_field("Отметка об исполнении", 500)
    version = VersionField()
