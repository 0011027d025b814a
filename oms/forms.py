"""Form pieces shared by several features."""
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .models.tenant import MODEL_KINDS

MODEL_KIND_LABELS = {
    "department": "Отдел (структурное подразделение) органа управления образованием",
    "centre_department": "Методический отдел муниципального центра (учреждения)",
    "distributed": "Распределённое выполнение функций специалистами органа управления",
    "department_service": "Методическая служба отдела управления образованием",
}


def required(message="Заполните это поле."):
    return DataRequired(message)


def max_len(n):
    return Length(max=n, message=f"Не длиннее {n} символов.")


def text_field(label, n, required_field=False, **kw):
    validators = [required()] if required_field else [Optional()]
    return StringField(label, validators=validators + [max_len(n)], **kw)


def ru_date_field(label, **kw):
    return DateField(label, validators=[Optional()], format="%Y-%m-%d", **kw)


class ProfileFields:
    """The district profile of DOMAIN.md, shared by the operator's and the admin's forms."""

    name = text_field("Название района (округа)", 200, True)
    full_name = text_field("Полное название муниципального образования", 300)
    region = text_field("Субъект РФ", 200, True)
    authority = text_field("Орган управления образованием", 300, True)
    service_name = text_field("Полное название методической службы", 300, True)
    service_name_genitive = text_field("Название службы в родительном падеже (для заголовка плана)", 300)
    service_abbr = text_field("Сокращение (ОМС, ММС…)", 40)
    head_title = text_field("Должность руководителя службы", 200)
    model_kind = SelectField("Модель организации", choices=[(k, MODEL_KIND_LABELS[k]) for k in MODEL_KINDS])
    act_kind = text_field("Вид акта (приказ, постановление)", 60)
    act_issuer = text_field("Кем издан акт", 300)
    act_title = text_field("Утверждённый документ (Положение о …)", 300)
    act_number = text_field("Номер акта", 60)
    act_date = ru_date_field("Дата акта")
    partners = TextAreaField("Партнёры (по одному в строке)", validators=[Optional(), max_len(3000)])


SLUG_RULE = Regexp(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$",
                   message="Латинские строчные буквы, цифры и дефис, от 3 до 40 символов, начинается с буквы.")
