from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

from oms.concurrency import VersionField
from oms.fields import ChoiceField, IdSelectField
from oms.forms import Form, max_len, required, text_field
from oms.models.structure import BODY_CATEGORIES, LEVEL_LABELS
from oms.models.tenant import DEFAULT_TERMS


class BodyFields:
    name = text_field(_l("Название"), 300, True)
    parent_id = IdSelectField(_l("Входит в"), required=False, blank=_l("— верхний уровень —"))
    school_id = IdSelectField(_l("Образовательная организация"), required=False,
                              blank=_l("— не относится к организации —"))
    subject = text_field(_l("Предмет или направление"), 200)


class BodyForm(BodyFields, Form):
    kind_id = IdSelectField(_l("Вид"), required_message=_l("Выберите вид элемента."))


class BodyEditForm(BodyFields, Form):
    clause = text_field(_l("Пункт положения"), 40)
    version = VersionField()


class KindForm(Form):
    version = VersionField()
    name = text_field(_l("Название вида"), 200, True)
    category = ChoiceField(_l("Роль в структуре"), choices=list(BODY_CATEGORIES.items()))
    level = ChoiceField(_l("Уровень"), choices=list(LEVEL_LABELS.items()))
    clause = text_field(_l("Пункт положения"), 40)


TERM_LABELS = {
    "service": (_l("Как называется служба"), _l("Например: ОМС, ММС, Методическая служба")),
    "council": (_l("Как называется совет"), _l("Например: Методический совет, Муниципальный методический совет")),
    "council_short": (_l("Краткое название совета"), _l("Например: Методсовет")),
    "association": (_l("Объединение (ед. ч.)"),
                    _l("Например: Учебно-методическое объединение, Городская группа педагогов")),
    "associations": (_l("Объединения (мн. ч.)"), _l("Например: Городские группы педагогов, ШМО и творческие группы")),
    "plan": (_l("Как называется план работы"), _l("Например: План работы ОМС")),
}


class TermsForm(Form):
    service = StringField(TERM_LABELS["service"][0], validators=[required(), max_len(120)])
    council = StringField(TERM_LABELS["council"][0], validators=[required(), max_len(120)])
    council_short = StringField(TERM_LABELS["council_short"][0], validators=[Optional(), max_len(60)])
    association = StringField(TERM_LABELS["association"][0], validators=[required(), max_len(120)])
    associations = StringField(TERM_LABELS["associations"][0], validators=[required(), max_len(120)])
    plan = StringField(TERM_LABELS["plan"][0], validators=[required(), max_len(120)])


assert set(TERM_LABELS) == set(DEFAULT_TERMS)
