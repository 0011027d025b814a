"""Forms of the practice bank."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from oms.concurrency import FormTokenField, VersionField
from oms.extensions import db
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.files import UploadsField
from oms.forms import max_len, text_field
from oms.models import Person
from oms.models.practices import CONCLUSIONS, KINDS, LEVELS, SOURCES
from oms.text import fold


class NamedPeopleField(TextAreaField):
    """People of the registry by full name, one a line («Иванова Анна Петровна»).

    A stand-in until the district's one person picker (oms/picker.py) is on main: the page lists nobody, each
    line is looked up by its folded full name in the current district. After validation `people` holds them.
    """

    def __init__(self, label=None, validators=None, required=False, most=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.most = most
        self.people: list[Person] = []

    def process_data(self, value):
        if isinstance(value, (list, tuple)):
            self.data = "\n".join(p.full_name for p in value)
        else:
            self.data = value or ""

    def pre_validate(self, form):
        self.people = []
        names = list(dict.fromkeys(line.strip() for line in (self.data or "").splitlines() if line.strip()))
        if not names:
            if self.required:
                raise StopValidation(_("Укажите хотя бы одного человека."))
            return
        if self.most and len(names) > self.most:
            raise StopValidation(_("Не больше %(n)s человек.", n=self.most))
        keys = {fold(name): name for name in names}
        found: dict[str, list[Person]] = {}
        for person in db.session.scalars(Person.scoped().where(Person.name_key.in_(list(keys)))
                                         .options(joinedload(Person.school))):
            found.setdefault(person.name_key, []).append(person)
        for key, name in keys.items():
            matches = found.get(key, [])
            if not matches:
                raise StopValidation(_("В реестре педагогов района нет человека «%(name)s»: проверьте ФИО "
                                       "полностью.", name=name))
            if len(matches) > 1:
                raise StopValidation(_("В реестре несколько человек «%(name)s»: обратитесь к методисту.",
                                       name=name))
            self.people.append(matches[0])


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(code, _l(text)) for code, text in labels.items()]


class PracticeForm(FlaskForm):
    form_token = FormTokenField()
    version = VersionField()
    title = text_field(_l("Название практики"), 500, True)
    author_names = NamedPeopleField(_l("Авторы (ФИО полностью, по одному в строке)"), required=True, most=10)
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


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Комментарий"), validators=[Optional(), max_len(4000)])


class ExpertsForm(FlaskForm):
    experts = NamedPeopleField(_l("Эксперты (один или два, ФИО полностью, по одному в строке)"), required=True,
                               most=2)


class AgendaForm(FlaskForm):
    meeting_id = IdSelectField(_l("Заседание совета"),
                               required_message=_l("Выберите заседание совета из списка."))


class CouncilForm(FlaskForm):
    meeting_id = IdSelectField(_l("Заседание совета"),
                               required_message=_l("Выберите заседание совета из списка."))
    text = TextAreaField(_l("Решение совета"), validators=[InputRequired(_l("Запишите текст решения совета.")),
                                                           max_len(4000)])


class ReviewForm(FlaskForm):
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


class CriterionForm(FlaskForm):
    version = VersionField()
    name = text_field(_l("Критерий"), 200, True)
    max_points = WholeNumberField(_l("Максимум баллов"), validators=[
        InputRequired(_l("Укажите максимум баллов.")), NumberRange(1, 100, _l("От %(min)s до %(max)s."))])


class PlanLinkForm(FlaskForm):
    plan_item_id = IdSelectField(_l("Мероприятие плана"),
                                 required_message=_l("Выберите мероприятие плана из списка."))


class SearchForm(FlaskForm):
    q = StringField()
