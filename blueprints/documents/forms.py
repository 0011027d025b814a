"""The document form: what it is, its act, its validity, its tags, who sees it, its file."""
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import Optional, StopValidation, ValidationError

from blueprints.development.forms import date_field
from oms.concurrency import FormTokenField, VersionField
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.files import UploadsField
from oms.forms import Form, max_len, text_field
from oms.picker import PickerField
from oms.models.documents import COLLECTIONS, KINDS, LEVELS, VISIBILITY

FIELDS = ("collection", "kind", "title", "issuer", "number", "issued_on", "valid_from", "valid_to", "description",
          "subject", "level", "keywords", "direction_id", "function_id", "body_id", "partner", "visibility",
          "requirement", "school_year")


class DocumentFields:
    collection = ChoiceField(_l("Раздел"), choices=list(COLLECTIONS.items()))
    kind = ChoiceField(_l("Вид документа"), choices=list(KINDS.items()))
    title = text_field(_l("Название"), 500, True)
    issuer = text_field(_l("Кем издан или утверждён"), 300)
    number = text_field(_l("Номер"), 60)
    issued_on = date_field(_l("Дата документа"))
    valid_from = date_field(_l("Действует с"))
    valid_to = date_field(_l("Действует по"))
    description = TextAreaField(_l("Краткое содержание"), validators=[Optional(), max_len(4000)])
    subject = text_field(_l("Предмет"), 200)
    level = ChoiceField(_l("Уровень образования"), choices=[("", _l("— любой —"))] + list(LEVELS.items()))
    keywords = text_field(_l("Ключевые слова"), 300)
    direction_id = IdSelectField(_l("Направление деятельности"), required=False)
    function_id = IdSelectField(_l("Функция"), required=False)
    body_id = IdSelectField(_l("Структура, которую он регулирует"), required=False)
    partner = ChoiceField(_l("Партнёр (сторона соглашения)"), choices=[("", _l("— нет —"))])
    visibility = ChoiceField(_l("Кто видит"), choices=list(VISIBILITY.items()))
    requirement = ChoiceField(_l("Обязательный документ района"), choices=[("", _l("— не из перечня —"))])
    school_year = WholeNumberField(_l("Учебный год (для плана и анализа) — год начала"), validators=[Optional()])
    attachments = UploadsField(_l("Файлы"))

    def validate_valid_to(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_("Окончание действия не может быть раньше его начала."))

    def validate_school_year(self, field):
        if field.data is not None and not 2000 <= field.data <= 2100:
            raise ValidationError(_("Укажите год начала учебного года, например 2025."))

    def validate_title(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_("Укажите название документа."))

    def fill(self, doc) -> None:
        from oms.services.documents import refresh_tag_names

        for name in FIELDS:
            value = self[name].data
            if isinstance(value, str):
                value = value.strip()
            setattr(doc, name, value)
        refresh_tag_names(doc)


class DocumentForm(DocumentFields, Form):
    form_token = FormTokenField()
    version = VersionField()


class VersionForm(DocumentFields, Form):
    """A new version: the same fields, prefilled from the current one; its file is required."""
    form_token = FormTokenField()
    attachments = UploadsField(_l("Файл новой редакции"), required=True)


class ManyField(SelectMultipleField):
    """Several values of a list; a value not offered gets one message in the user's language."""

    # ticks, not a multi-select: one ordinary click there drops the earlier choices
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, coerce=str, **kwargs):
        super().__init__(label, validators, coerce=coerce, choices=[], **kwargs)

    def process_formdata(self, valuelist):
        try:
            self.data = [self.coerce(v) for v in valuelist if str(v).strip()]
        except (TypeError, ValueError):
            self.data = []
            raise ValueError(_("Такого значения нет в списке: обновите страницу и выберите снова.")) from None

    def pre_validate(self, form):
        offered = {value for value, *_rest in self.choices}
        if any(v not in offered for v in self.data or []):
            raise StopValidation(_("Такого значения нет в списке: обновите страницу и выберите снова."))


class NoticeForm(Form):
    form_token = FormTokenField()
    title = text_field(_l("Заголовок"), 300, True)
    text = TextAreaField(_l("Текст"), validators=[Optional(), max_len(5000)])
    document_id = PickerField(_l("Материал банка (необязательно)"), kind="document")
    positions = ManyField(_l("Должности"))
    subjects = ManyField(_l("Предметы"))
    school_ids = ManyField(_l("Организации"), coerce=int)
