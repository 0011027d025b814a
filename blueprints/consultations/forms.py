"""Forms of the consultation journal."""
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from oms.concurrency import FormTokenField, VersionField
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.files import UploadsField
from oms.forms import Form, max_len, required, text_field
from oms.models.consultations import ASKER_KINDS, CHANNELS, FORMS, FOLLOW_UPS
from oms.picker import PersonPickerField, PickerField

DATETIME_MESSAGE = _l("Укажите дату и время в формате дд.мм.гггг чч:мм.")


class RuDateTimeField(DateTimeLocalField):
    """A moment typed through the browser's picker (2025-10-14T15:30) or as 14.10.2025 15:30."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
                         **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DATETIME_MESSAGE) from None


class ConsultationForm(Form):
    form_token = FormTokenField()
    version = VersionField()
    held_at = RuDateTimeField(_l("Дата и время"), validators=[InputRequired(DATETIME_MESSAGE)])
    status = ChoiceField(_l("Состояние"), choices=[("held", _l("Проведена")), ("scheduled", _l("Назначена"))],
                         default="held")
    form = ChoiceField(_l("Форма"), choices=list(FORMS.items()), default="individual")
    channel = ChoiceField(_l("Способ"), choices=list(CHANNELS.items()), default="in_person")
    consultant_id = PersonPickerField(_l("Консультант"))
    asker_kind = ChoiceField(_l("Кто обратился"), choices=list(ASKER_KINDS.items()), default="person")
    asker_person_id = PersonPickerField(_l("Педагог из реестра"))
    asker_name = text_field(_l("ФИО (родителя, другого лица)"), 200)
    participants = WholeNumberField(_l("Участников (для групповой)"),
                                    validators=[Optional(), NumberRange(1, 10000, _l("От 1 до 10000."))])
    school_id = IdSelectField(_l("Образовательная организация"), required=False, blank=_l("— без школы —"))
    topic = StringField(_l("Тема (вопрос)"), validators=[required(_l("Укажите тему консультации.")), max_len(500)])
    category_id = IdSelectField(_l("Категория вопроса"), required=False, blank=_l("— без категории —"))
    answer = TextAreaField(_l("Ответ, рекомендации"), validators=[Optional(), max_len(10000)])
    plan_item_id = PickerField(_l("Мероприятие плана"), kind="plan_item")
    attachments = UploadsField(_l("Файлы"))


class QuickForm(ConsultationForm):
    """The one-line quick add: the same fields, fewer shown (the rest keep their defaults)."""


class FollowUpForm(Form):
    kind = ChoiceField(_l("Что сделать"), choices=[(k, v) for k, v in FOLLOW_UPS.items() if k])
    area_id = IdSelectField(_l("Область компетенций"), required=False)
    title = text_field(_l("Шаг маршрута"), 500)
    practice_id = PickerField(_l("Практика из банка (опубликованные)"), kind="practice")
    document_id = PickerField(_l("Документ информационного банка"), kind="document")


class CategoryForm(Form):
    form_token = FormTokenField()
    name = StringField(_l("Категория"), validators=[required(), max_len(200)])


class SlotsForm(Form):
    form_token = FormTokenField()
    consultant_id = PersonPickerField(_l("Консультант"), required=True, required_message=_l("Выберите консультанта."))
    starts_at = RuDateTimeField(_l("Начало первого слота"), validators=[InputRequired(DATETIME_MESSAGE)])
    count = WholeNumberField(_l("Слотов подряд"), validators=[InputRequired(_l("Укажите число слотов.")),
                                                            NumberRange(1, 20, _l("От 1 до 20."))], default=4)
    minutes = WholeNumberField(_l("Минут на слот"), validators=[InputRequired(_l("Укажите длительность.")),
                                                               NumberRange(10, 180, _l("От 10 до 180 минут."))],
                               default=30)
    channel = ChoiceField(_l("Способ"), choices=list(CHANNELS.items()), default="in_person")
    place = text_field(_l("Место или ссылка"), 300)


class BookForm(Form):
    topic = StringField(_l("Ваш вопрос"), validators=[required(_l("Коротко опишите вопрос.")), max_len(500)])
