"""Forms of contests and olympiads."""
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import BooleanField, FloatField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from blueprints.development.forms import date_field
from oms import clock
from oms.concurrency import FormTokenField, VersionField
from oms.fields import ChoiceField, IdSelectField, WholeNumberField
from oms.files import UploadField, UploadsField
from oms.forms import Form, max_len, required, text_field
from oms.picker import PeoplePickerField, PersonPickerField
from oms.text import clean, fold
from oms.services.contests import academic_start
from oms.models.contests import ENTRANT_LABELS, KIND_LABELS, LEVEL_LABELS, RESULT_LABELS

NUMBER_MESSAGE = _l("Введите число.")


class PointsField(FloatField):
    """Points typed as 7, 7.5 or 7,5; anything else gets a Russian message."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        self.raw_data = [raw]
        if raw:
            try:
                self.data = float(raw)
            except ValueError:
                raise ValueError(NUMBER_MESSAGE) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:g}" if self.data is not None else ""


class CompetitionForm(Form):
    form_token = FormTokenField()
    version = VersionField()
    title = text_field(_l("Название"), 400, True)
    kind = ChoiceField(_l("Вид"), choices=[(k, v) for k, v in KIND_LABELS.items() if k != "olympiad"]
                       + [("olympiad", KIND_LABELS["olympiad"])])
    level = ChoiceField(_l("Уровень"), choices=list(LEVEL_LABELS.items()), default="municipal")
    is_own = BooleanField(_l("Проводит методическая служба района"), default=True)
    start_year = IdSelectField(_l("Учебный год"), blank=None,
                               invalid_message=_l("Выберите учебный год из списка."))
    description = TextAreaField(_l("Описание"), validators=[Optional(), max_len(5000)])
    nominations = TextAreaField(_l("Номинации или предметы (по одной в строке; можно «Название; 5–11»)"),
                                validators=[Optional(), max_len(5000)])
    jury_order_number = text_field(_l("Номер приказа о составе жюри"), 60)
    jury_order_date = date_field(_l("Дата приказа"))
    regulation = UploadField(_l("Положение (файл)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the last, the current and the next school year, and the contest's own if it is older
        start = academic_start(clock.today())
        years = {start - 1, start, start + 1}
        own = getattr(kwargs.get("obj"), "start_year", None)
        if isinstance(own, int):
            years.add(own)
        self.start_year.set_choices([(y, f"{y}/{y + 1}") for y in sorted(years)])


class StageFields:
    """A stage's dates, venue and criteria: on the stage's own form, and on a new contest's form for its first
    stage (asked once there, changed later on the stage's form only)."""
    date_from = date_field(_l("Дата проведения (начало)"))
    date_to = date_field(_l("Дата окончания"))
    venue = text_field(_l("Место проведения"), 300)
    criteria = TextAreaField(_l("Критерии оценки: по одному в строке — «Название; вес; максимум баллов»"),
                             validators=[Optional(), max_len(5000)])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("Дата окончания раньше даты начала."))

    def validate_criteria(self, field):
        try:
            self.criteria_rows = parse_criteria(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class NewCompetitionForm(StageFields, CompetitionForm):
    """A new contest with its first stage (made with it)."""


def parse_criteria(text: str) -> list[tuple[str, float, float]]:
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        name = parts[0]
        try:
            weight = float(parts[1].replace(",", ".")) if len(parts) > 1 and parts[1] else 1.0
            top = float(parts[2].replace(",", ".")) if len(parts) > 2 and parts[2] else 10.0
        except ValueError:
            raise ValueError(_("Строка %(n)s: вес и максимум — числа.", n=number)) from None
        if not name or len(name) > 300 or weight <= 0 or top <= 0:
            raise ValueError(_("Строка %(n)s: нужны название, вес больше 0 и максимум больше 0.", n=number))
        out.append((name, weight, top))
    return out


class JurorForm(Form):
    person_id = PersonPickerField(_l("Педагог из реестра"), excluded_message=_l("Этот педагог уже в жюри."))
    outsider_name = text_field(_l("Или приглашённый эксперт (ФИО)"), 300)
    outsider_org = text_field(_l("Организация эксперта"), 300)
    school_id = IdSelectField(_l("Школа эксперта (для самоотвода)"), required=False)
    is_chair = BooleanField(_l("Председатель жюри"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.person_id.data is None and not self.person_id.errors and not (self.outsider_name.data or "").strip():
            self.outsider_name.errors = list(self.outsider_name.errors) + [
                _("Укажите педагога из реестра или ФИО приглашённого эксперта.")]
            ok = False
        return ok


class EntryForm(Form):
    form_token = FormTokenField()
    version = VersionField()  # editing: the entry's version the form was opened at (oms.concurrency)
    entrant = ChoiceField(_l("Участник"), choices=list(ENTRANT_LABELS.items()), default="pupil")
    nomination_id = IdSelectField(_l("Номинация или предмет"), required=False)
    person_id = PersonPickerField(_l("Педагог-участник"))
    pupil_name = text_field(_l("ФИО обучающегося или название команды"), 300)
    grade = WholeNumberField(_l("Класс"), validators=[Optional(), NumberRange(1, 11, _l("Класс от 1 до 11."))])
    school_id = IdSelectField(_l("Образовательная организация"), required=False)
    teacher_id = PersonPickerField(_l("Педагог, подготовивший участника"))
    consent = BooleanField(_l("Родитель дал согласие на публикацию результатов"))
    consent_date = date_field(_l("Дата согласия"))
    topic = text_field(_l("Тема работы"), 400)
    members = TextAreaField(_l("Участники команды — обучающиеся: по одному в строке «ФИО; класс; ОО» "
                               "(ОО можно не указывать, если это школа команды)"),
                            validators=[Optional(), max_len(5000)])
    member_people = PeoplePickerField(_l("Участники команды — педагоги из реестра"))
    materials = UploadsField(_l("Материалы (файлы)"))
    schools: dict = {}  # folded name or short name -> school id, set by the view

    def team_members(self) -> list:
        """The team's members from the two fields (call after validate): pupils' lines, then the teachers."""
        from oms.services.contests import Member

        return list(getattr(self, "_pupils", [])) + [
            Member(p.full_name, None, p.school_id, p.id) for p in (self.member_people.people if self.member_people.data
                                                                   else [])]

    def _parse_members(self) -> list[str]:
        from oms.services.contests import Member, check_members

        problems, pupils = [], []
        for number, line in enumerate((self.members.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [clean(p) for p in line.split(";")]
            name = parts[0]
            grade, school_id = None, self.school_id.data
            raw_grade = parts[1] if len(parts) > 1 else ""
            if not name or len(name) > 300:
                problems.append(_("Строка %(n)s: укажите ФИО участника.", n=number))
                continue
            if not raw_grade.isdigit() or not 1 <= int(raw_grade) <= 11:
                problems.append(_("Строка %(n)s: класс — число от 1 до 11.", n=number))
                continue
            grade = int(raw_grade)
            if len(parts) > 2 and parts[2]:
                school_id = self.schools.get(fold(parts[2]))
                if school_id is None:
                    problems.append(_("Строка %(n)s: нет такой образовательной организации «%(s)s».", n=number,
                                      s=parts[2]))
                    continue
            pupils.append(Member(name, grade, school_id))
        self._pupils = pupils
        if not problems:
            problems = check_members(self.team_members())
        return problems

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        kind = self.entrant.data
        if kind == "team" and not self.member_people.errors:
            problems = self._parse_members()
            if problems:
                self.members.errors = list(self.members.errors) + problems
                ok = False
        checks = [
            (kind == "pupil" and self.grade.data is None and not self.grade.errors, self.grade,
             _("Укажите класс обучающегося.")),
            (kind in ("pupil", "team") and self.school_id.data is None and not self.school_id.errors, self.school_id,
             _("Укажите образовательную организацию.")),
            (kind in ("pupil", "team") and not (self.pupil_name.data or "").strip(), self.pupil_name,
             _("Укажите ФИО обучающегося или название команды.")),
            (kind == "teacher" and self.person_id.data is None and not self.person_id.errors, self.person_id,
             _("Выберите педагога.")),
            (self.consent.data and self.consent_date.data is None and not self.consent_date.errors,
             self.consent_date, _("Укажите дату согласия.")),
        ]
        for failed, field, message in checks:
            if failed:
                field.errors = list(field.errors) + [message]
                ok = False
        return ok


class DecisionForm(Form):
    status = ChoiceField(_l("Решение"), choices=[("admitted", _l("Допустить")), ("rejected", _l("Не допускать"))])
    reason = text_field(_l("Причина (если не допущена)"), 500)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.status.data == "rejected" and not (self.reason.data or "").strip():
            self.reason.errors = list(self.reason.errors) + [_("Укажите причину.")]
            ok = False
        return ok


class StageForm(StageFields, Form):
    name = text_field(_l("Название этапа (например, «Заочный тур», «Финал»)"), 200, True)
    jurors_per_entry = WholeNumberField(_l("Сколько членов жюри оценивают каждую работу"), default=2,
                                        validators=[InputRequired(_l("Укажите число.")),
                                                    NumberRange(1, 20, _l("От 1 до 20."))])


class DistributeForm(Form):
    per_entry = WholeNumberField(_l("Членов жюри на каждую работу"),
                                 validators=[InputRequired(_l("Укажите число.")), NumberRange(1, 20, _l("От 1 до 20."))])
    nomination_id = IdSelectField(_l("Номинация (пусто — все)"), required=False)


class AdvanceForm(Form):
    top = WholeNumberField(_l("Или первые N мест"), validators=[Optional(), NumberRange(1, 1000, _l("От 1 до 1000."))])


class AssignForm(Form):
    juror_id = IdSelectField(_l("Член жюри"))


class ResultForm(Form):
    result = ChoiceField(_l("Итог"), choices=[("", _l("— не определён —"))] + list(RESULT_LABELS.items()))


class ConfirmForm(Form):
    pass


class CoordinatorForm(Form):
    person_id = PersonPickerField(_l("Педагог школы"), required=True,
                                  excluded_message=_l("Этот педагог уже координатор."))


class SeasonForm(Form):
    start_year = IdSelectField(_l("Учебный год"), blank=None,
                               invalid_message=_l("Сезон этого года уже открыт или год не предлагается."))

    def offer_years(self, years: list[int]) -> None:
        self.start_year.set_choices([(y, f"{y}/{y + 1}") for y in years])


class SettingForm(Form):
    subject = text_field(_l("Предмет"), 200, True)
    grade = WholeNumberField(_l("Класс"), validators=[InputRequired(_l("Укажите класс.")),
                                                      NumberRange(1, 11, _l("Класс от 1 до 11."))])
    held_on = date_field(_l("Дата"))
    venue = text_field(_l("Место проведения"), 300)
    max_points = PointsField(_l("Максимум баллов"), validators=[InputRequired(_l("Укажите максимум.")),
                                                                 NumberRange(0.5, 1000, _l("От 0,5 до 1000."))])
    threshold = PointsField(_l("Проходной балл на следующий этап"), validators=[Optional()])
    quota_percent = WholeNumberField(_l("Квота победителей и призёров, процентов"), default=25,
                                     validators=[Optional(), NumberRange(0, 100, _l("От 0 до 100."))])

    def validate_threshold(self, field):
        if field.data is not None and self.max_points.data is not None and not 0 <= field.data <= self.max_points.data:
            raise ValidationError(_("Проходной балл от 0 до максимума."))


class ResultEntryForm(Form):
    pupil_name = text_field(_l("ФИО участника"), 300, True)
    grade = WholeNumberField(_l("Класс"), validators=[InputRequired(_l("Укажите класс.")),
                                                      NumberRange(1, 11, _l("Класс от 1 до 11."))])
    school_id = IdSelectField(_l("Образовательная организация"),
                              required_message=_l("Укажите образовательную организацию."))
    subject = text_field(_l("Предмет"), 200, True)
    score = PointsField(_l("Баллы"), validators=[Optional()])
    consent = BooleanField(_l("Согласие родителя на публикацию"))


class ScoreForm(Form):
    score = PointsField(_l("Баллы"), validators=[Optional()])


class AppealForm(Form):
    reason = TextAreaField(_l("Причина апелляции"), validators=[required(), max_len(2000)])


class AppealDecisionForm(Form):
    decision = ChoiceField(_l("Решение"), choices=[("upheld", _l("Удовлетворить: изменить баллы")),
                                                  ("rejected", _l("Отклонить: баллы без изменений"))])
    new_score = PointsField(_l("Новые баллы"), validators=[Optional()])


class UploadForm(Form):
    pass
