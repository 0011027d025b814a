"""Form pieces shared by several features."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .models.tenant import MODEL_KINDS

MODEL_KIND_LABELS = {
    "department": _l("Отдел (структурное подразделение) органа управления образованием"),
    "centre_department": _l("Методический отдел муниципального центра (учреждения)"),
    "distributed": _l("Распределённое выполнение функций специалистами органа управления"),
    "department_service": _l("Методическая служба отдела управления образованием"),
}

# Russia's zones (IANA names) with their offsets, for the district's calendar.
TIME_ZONES = [
    ("Europe/Kaliningrad", _l("Калининград (UTC+2)")), ("Europe/Moscow", _l("Москва (UTC+3)")),
    ("Europe/Samara", _l("Самара (UTC+4)")), ("Asia/Yekaterinburg", _l("Екатеринбург (UTC+5)")),
    ("Asia/Omsk", _l("Омск (UTC+6)")), ("Asia/Tomsk", _l("Томск (UTC+7)")),
    ("Asia/Novosibirsk", _l("Новосибирск (UTC+7)")), ("Asia/Krasnoyarsk", _l("Красноярск (UTC+7)")),
    ("Asia/Irkutsk", _l("Иркутск (UTC+8)")), ("Asia/Chita", _l("Чита (UTC+9)")),
    ("Asia/Yakutsk", _l("Якутск (UTC+9)")), ("Asia/Vladivostok", _l("Владивосток (UTC+10)")),
    ("Asia/Magadan", _l("Магадан (UTC+11)")), ("Asia/Kamchatka", _l("Камчатка (UTC+12)")),
]


def required(message=None):
    return DataRequired(message if message is not None else _l("Заполните это поле."))


def max_len(n):
    return Length(max=n, message=_l("Не длиннее %(max)d символов."))  # WTForms fills in %(max)d


def text_field(label, n, required_field=False, **kw):
    validators = [required()] if required_field else [Optional()]
    return StringField(label, validators=validators + [max_len(n)], **kw)


def ru_date_field(label, **kw):
    return DateField(label, validators=[Optional()], format="%Y-%m-%d", **kw)


class ProfileFields:
    """The district profile of DOMAIN.md, shared by the operator's and the admin's forms."""

    name = text_field(_l("Название района (округа)"), 200, True)
    full_name = text_field(_l("Полное название муниципального образования"), 300)
    region = text_field(_l("Субъект РФ"), 200, True)
    authority = text_field(_l("Орган управления образованием"), 300, True)
    service_name = text_field(_l("Полное название методической службы"), 300, True)
    service_name_genitive = text_field(_l("Название службы в родительном падеже (для заголовка плана)"), 300)
    service_abbr = text_field(_l("Сокращение (ОМС, ММС…)"), 40)
    head_title = text_field(_l("Должность руководителя службы"), 200)
    model_kind = SelectField(_l("Модель организации"), choices=[(k, MODEL_KIND_LABELS[k]) for k in MODEL_KINDS])
    act_kind = text_field(_l("Вид акта (приказ, постановление)"), 60)
    act_issuer = text_field(_l("Кем издан акт"), 300)
    act_title = text_field(_l("Утверждённый документ (Положение о …)"), 300)
    act_number = text_field(_l("Номер акта"), 60)
    act_date = ru_date_field(_l("Дата акта"))
    time_zone = SelectField(_l("Часовой пояс (время в календаре)"), choices=TIME_ZONES, default="Europe/Moscow")
    partners = TextAreaField(_l("Партнёры (по одному в строке)"), validators=[Optional(), max_len(3000)])


SLUG_RULE = Regexp(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$",
                   message=_l("Латинские строчные буквы, цифры и дефис, от 3 до 40 символов, начинается с буквы."))
