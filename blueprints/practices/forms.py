"""Forms of the practice bank."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from oms.concurrency import FormTokenField, VersionField
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.files import UploadsField
from oms.forms import Form, max_len, text_field
from oms.picker import PeoplePickerField, PickerField
from oms.models.practices import CONCLUSIONS, KINDS, LEVELS, SOURCES

MAX_AUTHORS = 10


class AuthorsField(PeoplePickerField):
    """The authors of a practice (one to ten people of the registry), in the chosen order."""

    def pre_validate(self, form):
        super().pre_validate(form)
        if len(self.ids) > MAX_AUTHORS:
            raise StopValidation(_("Не больше %(n)s авторов.", n=MAX_AUTHORS))


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(code, _l(text)) for code, text in labels.items()]


class PracticeForm(Form):
    form_token = FormTokenField()
    version = VersionField()
    title = text_field(_l("Название практики"), 500, True)
    author_ids = AuthorsField(_l("Авторы"), required=True, required_message=_l("Укажите хотя бы одного автора."))
    school_id = IdSelectField(_l("Образовательная организация"), required=False)
    subjects = text_field(_l("Предметы (через точку с запятой)"), 400)
    level = ChoiceField(_l("Уровень образования"), choices=_choices(LEVELS))
    kind = ChoiceField(_l("Вид практики"), choices=_choices(KINDS))
    source = ChoiceField(_l("Откуда практика"), choices=_choices(SOURCES))
    annotation = TextAreaField(_l("Аннотация"), validators=[Optional(), max_len(5000)])
    keywords = text_field(_l("Ключевые слова"), 500)
    area_ids = SelectMultipleField(_l("Области компетенций"), coerce=int, choices=[],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    links = TextAreaField(_l("Ссылки на материалы (по одной в строке)"), validators=[Optional(), max_len(3000)])
    new_files = UploadsField(_l("Файлы (PDF, DOCX, PPTX, XLSX…)"))
    consent = BooleanField(_l("Авторы согласны на публикацию материалов в муниципальном банке педагогического "
                              "опыта"))

    def validate_area_ids(self, field):
        offered = {value for value, _label in field.choices}
        if any(v not in offered for v in field.data or []):
            raise StopValidation(_("Такой области компетенций нет в списке: обновите страницу."))

    def validate_links(self, field):
        for line in (field.data or "").splitlines():
            line = line.strip()
            if line and not line.lower().startswith(("http://", "https://")):
                raise StopValidation(_("Ссылка должна начинаться с http:// или https://: «%(line)s».",
                                       line=line[:80]))


class CommentForm(Form):
    comment = TextAreaField(_l("Комментарий"), validators=[Optional(), max_len(4000)])


class ExpertsForm(Form):
    experts = PeoplePickerField(_l("Эксперты (один или два)"), required=True,
                                required_message=_l("Назначьте одного или двух экспертов."))


class AgendaForm(Form):
    meeting_id = PickerField(_l("Заседание совета"), kind="meeting", required=True,
                             required_message=_l("Выберите заседание совета."))


class CouncilForm(Form):
    meeting_id = PickerField(_l("Заседание совета"), kind="meeting", required=True,
                             required_message=_l("Выберите заседание совета."))
    text = TextAreaField(_l("Решение совета"), validators=[InputRequired(_l("Запишите текст решения совета.")),
                                                           max_len(4000)])


class ReviewForm(Form):
    """The scores are added per criterion by `review_form` (the district's rubric)."""

    version = VersionField()
    conclusion = ChoiceField(_l("Заключение"), choices=[("", _l("— выберите —"))] + _choices(CONCLUSIONS),
                             message=_l("Выберите заключение."))
    comment = TextAreaField(_l("Комментарий эксперта"), validators=[Optional(), max_len(5000)])

    def validate_conclusion(self, field):
        if not field.data:
            raise StopValidation(_("Выберите заключение."))


def review_form(criteria, formdata=None, scores=None, **kwargs):
    """A ReviewForm with a score field per criterion (named c<id>), 0 … its maximum."""

    class Form(ReviewForm):
        pass

    for criterion in criteria:
        setattr(Form, f"c{criterion.id}", WholeNumberField(
            criterion.name, validators=[InputRequired(_l("Поставьте балл.")),
                                        NumberRange(0, criterion.max_points,
                                                    _l("От %(min)s до %(max)s баллов."))]))
    form = Form(formdata=formdata, **kwargs) if formdata is not None else Form(**kwargs)
    if formdata is None and scores:
        for criterion_id, points in scores.items():
            field = getattr(form, f"c{criterion_id}", None)
            if field is not None:
                field.data = points
    form.criteria = [(criterion, getattr(form, f"c{criterion.id}")) for criterion in criteria]
    return form


class CriterionForm(Form):
    version = VersionField()
    name = text_field(_l("Критерий"), 200, True)
    max_points = WholeNumberField(_l("Максимум баллов"), validators=[
        InputRequired(_l("Укажите максимум баллов.")), NumberRange(1, 100, _l("От %(min)s до %(max)s."))])


class PlanLinkForm(Form):
    plan_item_id = PickerField(_l("Мероприятие плана (семинар, мастер-класс, открытый урок…)"), kind="plan_item",
                               required=True, required_message=_l("Выберите мероприятие плана."),
                               excluded_message=_l("Это мероприятие уже связано с практикой."))


class SearchForm(Form):
    q = StringField()
