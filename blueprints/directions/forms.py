from flask_wtf import FlaskForm
from wtforms import TextAreaField

from oms.fields import IdSelectField
from oms.forms import max_len, required, text_field


class DirectionForm(FlaskForm):
    name = text_field("Направление", 300, True)
    clause = text_field("Пункт положения", 40)


class FunctionForm(FlaskForm):
    direction_id = IdSelectField("Направление", required_message="Выберите направление.")
    body_kind_id = IdSelectField("Чья функция (вид элемента структуры)", required=False, blank="— не указано —")
    clause = text_field("Пункт положения", 40)
    text = TextAreaField("Содержание функции", validators=[required("Опишите функцию."), max_len(5000)])


class AssigneeForm(FlaskForm):
    person_id = IdSelectField("Специалист", required_message="Выберите специалиста из списка.")
