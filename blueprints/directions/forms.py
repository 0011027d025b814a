from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from oms.concurrency import VersionField
from oms.fields import IdSelectField
from oms.forms import max_len, required, text_field
from oms.picker import PersonPickerField


class DirectionForm(FlaskForm):
    version = VersionField()
    name = text_field(_l("Направление"), 300, True)
    clause = text_field(_l("Пункт положения"), 40)


class FunctionForm(FlaskForm):
    version = VersionField()
    direction_id = IdSelectField(_l("Направление"), required_message=_l("Выберите направление."))
    body_kind_id = IdSelectField(_l("Чья функция (вид элемента структуры)"), required=False, blank=_l("— не указано —"))
    clause = text_field(_l("Пункт положения"), 40)
    text = TextAreaField(_l("Содержание функции"), validators=[required(_l("Опишите функцию.")), max_len(5000)])


class AssigneeForm(FlaskForm):
    person_id = PersonPickerField(_l("Специалист"), required=True, required_message=_l("Выберите специалиста."),
                                  excluded_message=_l("Этот специалист уже закреплён за функцией."))
