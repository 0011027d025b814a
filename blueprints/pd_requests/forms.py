"""Forms of PD requests."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from blueprints.development.forms import date_field
from oms.concurrency import FormTokenField
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.forms import Form, max_len, required, text_field
from oms.models.development import COURSE_FORMS
from oms.models.pd_requests import PRIORITIES
from oms.picker import PersonPickerField


class RequestForm(Form):
    form_token = FormTokenField()
    person_id = PersonPickerField(_l("Педагог"))
    area_id = IdSelectField(_l("Область компетенций"), required=False, blank=_l("— не выбрана —"))
    topic = StringField(_l("Тема (направление) курсов"), validators=[required(_l("Укажите тему курсов.")),
                                                                    max_len(500)])
    form = ChoiceField(_l("Форма обучения"), choices=list(COURSE_FORMS.items()), default="distance")
    hours = WholeNumberField(_l("Часов"), validators=[InputRequired(_l("Укажите объём в часах.")),
                                                     NumberRange(16, 1000, _l("От 16 до 1000 часов."))], default=36)
    priority = ChoiceField(_l("Приоритет"), choices=list(PRIORITIES.items()), default="normal")
    provider = text_field(_l("Организация ДПО"), 300)
    note = TextAreaField(_l("Комментарий"), validators=[Optional(), max_len(2000)])


class CompleteForm(Form):
    date_from = date_field(_l("Начало курсов"), required_field=True)
    date_to = date_field(_l("Окончание курсов"), required_field=True)
    certificate = text_field(_l("Номер удостоверения"), 100)
