"""Forms of the survey builder."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import NumberRange, Optional

from blueprints.development.forms import date_field
from oms.concurrency import FormTokenField, VersionField
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.forms import Form, max_len, required, text_field
from oms.models.surveys import OPTION_SOURCES, PURPOSES, QUESTION_KINDS
from oms.picker import PickerField
from oms.services.surveys import TEMPLATE_TITLES


class SchoolsField(SelectMultipleField):
    """School ids; anything that is not one is dropped (the view keeps only the district's schools)."""

    # ticks, not a multi-select: one ordinary click there drops the earlier choices
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        self.data = [int(v) for v in valuelist if str(v).isascii() and str(v).isdigit() and len(str(v)) < 10]


class SurveyForm(Form):
    form_token = FormTokenField()
    version = VersionField()
    template = ChoiceField(_l("Начать с шаблона"), choices=[("", _l("— пустая анкета —"))]
                           + [(k, v) for k, v in TEMPLATE_TITLES.items()], default="")
    title = text_field(_l("Название"), 300)
    purpose = ChoiceField(_l("Назначение"), choices=list(PURPOSES.items()), default="other")
    intro = TextAreaField(_l("Обращение к отвечающим"), validators=[Optional(), max_len(3000)])
    is_anonymous = BooleanField(_l("Анонимная: кто ответил, хранится отдельно от ответов"))
    opens_on = date_field(_l("Открыта с"))
    closes_on = date_field(_l("Открыта по"))
    schools = SchoolsField(_l("Школы (пусто — все)"), coerce=int, validate_choice=False)
    positions = text_field(_l("Должности (через запятую; пусто — все)"), 500)
    subjects = text_field(_l("Предметы (через запятую; пусто — все)"), 500)
    young = BooleanField(_l("Только молодые специалисты"))
    plan_item_id = PickerField(_l("Мероприятие плана"), kind="plan_item")
    event_id = PickerField(_l("Участники мероприятия"), kind="event")
    threshold = WholeNumberField(_l("Порог дефицита (самоанализ): оценка не выше"),
                                 validators=[Optional(), NumberRange(1, 10, _l("От 1 до 10."))])


class QuestionForm(Form):
    kind = ChoiceField(_l("Тип вопроса"), choices=list(QUESTION_KINDS.items()), default="single")
    text = StringField(_l("Вопрос"), validators=[required(_l("Напишите вопрос.")), max_len(1000)])
    source = ChoiceField(_l("Варианты ответа"), choices=list(OPTION_SOURCES.items()), default="")
    options = TextAreaField(_l("Свои варианты (по одному в строке); для матрицы — столбцы"),
                            validators=[Optional(), max_len(5000)])
    rows = TextAreaField(_l("Строки матрицы (по одной в строке)"), validators=[Optional(), max_len(5000)])
    scale_min = WholeNumberField(_l("Шкала от"), validators=[Optional(), NumberRange(0, 10, _l("От 0 до 10."))],
                                 default=1)
    scale_max = WholeNumberField(_l("до"), validators=[Optional(), NumberRange(1, 10, _l("От 1 до 10."))], default=5)
    area_id = IdSelectField(_l("Область компетенций (для самоанализа)"), required=False)
    required = BooleanField(_l("Обязательный"), default=True)
