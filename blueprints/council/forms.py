"""Forms of the council's and the associations' screens (members, composition order, meetings)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from oms.concurrency import FormTokenField, VersionField
from oms.fields import ChoiceField, IdSelectField
from oms.files import UploadsField
from oms.forms import Form, max_len, required, text_field
from oms.picker import PersonPickerField

DATE_MESSAGE = _l("Введите дату в формате дд.мм.гггг.")


class RuDateField(DateField):
    """A date; a value that is not one gets our message (in the user's language), not WTForms' own."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DATE_MESSAGE) from None


def date_field(label, required_field=False):
    validators = [InputRequired(_l("Укажите дату."))] if required_field else [Optional()]
    return RuDateField(label, validators=validators, format="%Y-%m-%d")


class MemberForm(Form):
    person_id = PersonPickerField(_l("Кто"), required=True, excluded_message=_l("Этот человек уже в составе."))
    role = ChoiceField(_l("Роль"), choices=[])
    role_title = text_field(_l("Кого представляет, должность в составе"), 200)


class MemberEditForm(Form):
    version = VersionField()
    role = ChoiceField(_l("Роль"), choices=[])
    role_title = text_field(_l("Кого представляет, должность в составе"), 200)


class OrderForm(Form):
    order_number = text_field(_l("Номер приказа об утверждении состава"), 60)
    order_date = date_field(_l("Дата приказа"))
    version = VersionField()


class CompositionForm(Form):
    """A change of composition recorded with a new order (kept as a composition document with its file)."""
    form_token = FormTokenField()
    order_number = text_field(_l("Номер приказа"), 60, True)
    order_date = date_field(_l("Дата приказа"), required_field=True)
    attachments = UploadsField(_l("Файл приказа"))


class MeetingForm(Form):
    number = text_field(_l("Номер заседания (протокола)"), 20, True)
    held_on = date_field(_l("Дата"), required_field=True)
    topic = text_field(_l("Тема"), 500)
    venue = text_field(_l("Место проведения"), 300)
    is_held = BooleanField(_l("Заседание проведено"))
    minutes = TextAreaField(_l("Ход заседания (для протокола)"), validators=[Optional(), max_len(20000)])
    version = VersionField()


class NewMeetingForm(MeetingForm):
    form_token = FormTokenField()  # a double click creates one meeting


class AgendaForm(Form):
    title = StringField(_l("Вопрос повестки"), validators=[required(_l("Введите вопрос повестки.")), max_len(500)])
    speaker = text_field(_l("Докладчик"), 200)


class GuestForm(Form):
    person_id = PersonPickerField(_l("Приглашённый"), required=True,
                                  excluded_message=_l("Этот человек уже отмечен на заседании."))


class ExternalGuestForm(Form):
    """A guest from outside the district's registry: named in the minutes, not added to the registry."""
    guest_name = StringField(_l("ФИО гостя"), validators=[required(_l("Введите фамилию, имя и отчество гостя.")),
                                                         max_len(200)])
    guest_org = text_field(_l("Организация"), 300)
    guest_position = text_field(_l("Должность"), 200)


class ProposalForm(Form):
    title = StringField(_l("Вопрос для повестки совета"), validators=[required(_l("Введите вопрос.")), max_len(500)])
    speaker = text_field(_l("Докладчик"), 200)
    from_body_id = IdSelectField(_l("От объединения"), required=False, blank=_l("— от себя —"))


DECISION_STATUS_HINT = _l("«Выполнено» — когда решение исполнено; «Снято» — если оно потеряло смысл.")


class DecisionForm(Form):
    text = TextAreaField(_l("Решение"), validators=[required(_l("Введите текст решения.")), max_len(5000)])
    responsible_id = PersonPickerField(_l("Ответственный"))
    due_date = date_field(_l("Срок исполнения"))
    status = ChoiceField(_l("Исполнение"), choices=[])
    status_note = text_field(_l("Отметка об исполнении"), 500)
    version = VersionField()
