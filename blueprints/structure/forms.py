from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Optional

from oms.conflicts import VersionField
from oms.fields import ChoiceField, IdSelectField
from oms.forms import max_len, required, text_field
from oms.models.structure import BODY_CATEGORIES, LEVELS
from oms.models.tenant import DEFAULT_TERMS


class BodyFields:
    name = text_field("Название", 300, True)
    parent_id = IdSelectField("Входит в", required=False, blank="— верхний уровень —")
    school_id = IdSelectField("Образовательная организация", required=False, blank="— не относится к организации —")
    subject = text_field("Предмет или направление", 200)


class BodyForm(BodyFields, FlaskForm):
    kind_id = IdSelectField("Вид", required_message="Выберите вид элемента.")


class BodyEditForm(BodyFields, FlaskForm):
    clause = text_field("Пункт положения", 40)
    version = VersionField()


class KindForm(FlaskForm):
    name = text_field("Название вида", 200, True)
    category = ChoiceField("Роль в структуре", choices=list(BODY_CATEGORIES.items()))
    level = ChoiceField("Уровень", choices=list(LEVELS.items()))
    clause = text_field("Пункт положения", 40)


TERM_LABELS = {
    "service": ("Как называется служба", "Например: ОМС, ММС, Методическая служба"),
    "council": ("Как называется совет", "Например: Методический совет, Муниципальный методический совет"),
    "council_short": ("Краткое название совета", "Например: Методсовет"),
    "association": ("Объединение (ед. ч.)", "Например: Учебно-методическое объединение, Городская группа педагогов"),
    "associations": ("Объединения (мн. ч.)", "Например: Городские группы педагогов, ШМО и творческие группы"),
    "plan": ("Как называется план работы", "Например: План работы ОМС"),
}


class TermsForm(FlaskForm):
    service = StringField(TERM_LABELS["service"][0], validators=[required(), max_len(120)])
    council = StringField(TERM_LABELS["council"][0], validators=[required(), max_len(120)])
    council_short = StringField(TERM_LABELS["council_short"][0], validators=[Optional(), max_len(60)])
    association = StringField(TERM_LABELS["association"][0], validators=[required(), max_len(120)])
    associations = StringField(TERM_LABELS["associations"][0], validators=[required(), max_len(120)])
    plan = StringField(TERM_LABELS["plan"][0], validators=[required(), max_len(120)])


assert set(TERM_LABELS) == set(DEFAULT_TERMS)
