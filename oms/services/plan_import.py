"""Importing a plan from a spreadsheet in the layout of the export (so last year's file comes back).

The file is read with oms.xlsx.read_table only (archive checks, row cap). The parser finds the
header row (the one with «Мероприятие»), then takes section rows (a direction of the district)
and item rows. Every problem is reported with its row and column; nothing is saved while any
row is bad.

The messages are in the user's language; the words they quote from the file (column headers, month names,
«в течение года») stay Russian, as the file has them.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from ..extensions import db
from ..models import Body, Direction, Person, Plan, PlanItem, PlanItemResponsible, WorkForm
from ..models.plan import ALL_MONTHS, MONTH_NAMES, mask_of
from ..text import clean, fold
from ..xlsx import FORMULA_STARTS, SpreadsheetError, read_table
from .plans import dates_mask, next_position

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS_SHOWN = 200

# Column roles and the header words that name them (matched in the file: Russian whatever the UI language).
COLUMNS = {
    "number": ("№", "n п/п", "номер"),
    "title": ("мероприяти", "содержание", "наименование"),
    "form": ("форма",),
    "timing": ("срок", "дата", "время проведения"),
    "responsible": ("ответствен", "исполнител"),
    "audience": ("участник", "категория"),
    "expected": ("результат",),
}
# The columns' headers as the file has them, quoted in the messages.
COLUMN_LABELS = {"number": "№ п/п", "title": "Мероприятие", "form": "Форма проведения", "timing": "Сроки",
                 "responsible": "Ответственные", "audience": "Участники", "expected": "Ожидаемый результат"}
LIMITS = {"title": 1000, "audience": 500, "expected": 1000, "form": 200}

MONTH_STEMS = (("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12), ("янв", 1), ("фев", 2), ("мар", 3),
               ("апр", 4), ("май", 5), ("мая", 5), ("мае", 5), ("июн", 6), ("июл", 7), ("авг", 8))
WHOLE_YEAR = ("в течение года", "в течение учебного года", "ежемесячно", "весь год", "в течение всего года",
              "постоянно", "в течение периода")
DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
DATE_RANGE_RE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}\s*-\s*\d{1,2}\.\d{1,2}\.\d{2,4}")
NOISE_WORDS = re.compile(r"\b(в|во|до|с|по|г\.?|гг\.?|года?|месяц[аеы]?|течение)\b")
SECTION_PREFIX = re.compile(r"^(раздел\s+)?([0-9]+|[ivxlc]+)([.)]\s*|\s+)")
SECTION_SUFFIXES = ("", " направление", " деятельность", " направление деятельности")


@dataclass
class RowError:
    row: int
    column: str  # «D («Сроки»)» or ""
    message: str

    def __str__(self):
        if self.column:
            return _("Строка %(row)d, столбец %(column)s: %(message)s", row=self.row, column=self.column,
                     message=self.message)
        return _("Строка %(row)d: %(message)s", row=self.row, message=self.message)


@dataclass
class ParsedItem:
    row: int
    direction: Direction
    title: str
    form_name: str = ""
    form: WorkForm | None = None
    months: int = 0
    date_from: date | None = None
    date_to: date | None = None
    people: list = field(default_factory=list)
    body: Body | None = None
    responsible_note: str = ""
    audience: str = ""
    expected: str = ""
    timing_text: str = ""


@dataclass
class ImportResult:
    items: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    new_forms: list = field(default_factory=list)
    file_error: str = ""
    repeated: list = field(default_factory=list)  # titles already in the plan

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error and bool(self.items)


def unescape(value) -> str:
    """Cell text as the user wrote it: our writer prefixes formula-like text with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text.strip()


def _column_role(header: str) -> str | None:
    key = fold(header)
    for role, words in COLUMNS.items():
        if role == "number":
            if key.startswith("№") or key in words:
                return role
            continue
        if any(word in key for word in words):
            return role
    return None


def find_header(rows) -> tuple[int, dict] | None:
    """The header row's index and {role: column index}."""
    for index, row in enumerate(rows[:40]):
        roles = {}
        for col, value in enumerate(row):
            role = _column_role(unescape(value)) if value is not None else None
            if role and role not in roles:
                roles[role] = col
        if "title" in roles and len(roles) >= 3:
            return index, roles
    return None


class TimingError(ValueError):
    pass


def parse_timing(value, start_year: int) -> tuple[int, date | None, date | None]:
    """«октябрь – декабрь, март», «в течение года», «15.10.2025 – 17.10.2025» -> (mask, from, to)."""
    first_day, last_day = date(start_year, 9, 1), date(start_year + 1, 8, 31)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if not first_day <= value <= last_day:
            raise TimingError(_("дата %(date)s вне %(year)s учебного года", date=f"{value:%d.%m.%Y}",
                                year=f"{start_year}/{start_year + 1}"))
        return dates_mask(value, None), value, None
    original = unescape(value)
    text = fold(original).replace("—", "-").replace("–", "-").replace("−", "-")
    if not text:
        raise TimingError(_("не указаны сроки"))
    if any(phrase in text for phrase in WHOLE_YEAR):
        return ALL_MONTHS, None, None
    dates = []
    for d, m, y in DATE_RE.findall(text):
        year = int(y) + (2000 if len(y) == 2 else 0)
        try:
            day = date(year, int(m), int(d))
        except ValueError:
            raise TimingError(_("нет такой даты: %(date)s", date=f"{d}.{m}.{y}")) from None
        if not first_day <= day <= last_day:
            raise TimingError(_("дата %(date)s вне %(year)s учебного года", date=f"{day:%d.%m.%Y}",
                                year=f"{start_year}/{start_year + 1}"))
        dates.append(day)
    rest = DATE_RE.sub(" ", text)
    rest = re.sub(r"\b(19|20)\d{2}\b", " ", rest)
    rest = NOISE_WORDS.sub(" ", rest)
    months = []
    for chunk in re.split(r"[,;\n]|\bи\b", rest):
        chunk = chunk.strip(" .-")
        if not chunk:
            continue
        ends = [part.strip(" .") for part in chunk.split("-")]
        found = [_month(end) for end in ends] if len(ends) <= 2 and all(ends) else [None]
        if None in found:
            raise TimingError(_("не удалось разобрать «%(text)s»", text=original[:100]))
        months.extend(_month_span(*found) if len(found) == 2 else found)
    mask = mask_of(months) | mask_of_dates(dates)
    date_from = date_to = None
    if len(dates) == 1:
        date_from = dates[0]
    elif len(dates) == 2 and DATE_RANGE_RE.search(text):
        date_from, date_to = dates
        if date_to < date_from:
            raise TimingError(_("дата окончания раньше даты начала"))
        mask |= dates_mask(date_from, date_to)
    if not mask:
        raise TimingError(_("не указаны сроки"))
    return mask, date_from, date_to


def mask_of_dates(dates) -> int:
    mask = 0
    for day in dates:
        mask |= dates_mask(day, None)
    return mask


def _month(word: str) -> int | None:
    word = word.strip()
    for stem, month in MONTH_STEMS:
        if word.startswith(stem) and len(word) <= 9:
            return month
    return None


def _month_span(first: int, last: int) -> list[int]:
    from ..models.plan import ACADEMIC_MONTHS

    a, b = ACADEMIC_MONTHS.index(first), ACADEMIC_MONTHS.index(last)
    if b < a:
        raise TimingError(_("период «%(period)s» идёт назад (учебный год — с сентября по август)",
                            period=f"{MONTH_NAMES[first]} – {MONTH_NAMES[last]}"))
    return list(ACADEMIC_MONTHS[a:b + 1])


class Catalogue:
    """The district's directions, forms, people and bodies, by folded name."""

    def __init__(self, tenant_id: int):
        self.directions = {}
        for d in db.session.scalars(db.select(Direction).where(Direction.tenant_id == tenant_id)
                                    .order_by(Direction.position, Direction.id)):
            for suffix in SECTION_SUFFIXES:
                self.directions.setdefault(fold(d.name + suffix), d)
        self.forms = {fold(f.name): f for f in db.session.scalars(
            db.select(WorkForm).where(WorkForm.tenant_id == tenant_id))}
        self.bodies = {fold(b.name): b for b in db.session.scalars(db.select(Body).where(Body.tenant_id == tenant_id))}
        people = list(db.session.scalars(db.select(Person).where(Person.tenant_id == tenant_id)))
        self.people_full: dict[str, list] = {}
        self.people_short: dict[str, list] = {}
        for p in people:
            self.people_full.setdefault(_name_key(p.full_name), []).append(p)
            self.people_short.setdefault(_name_key(p.short_name), []).append(p)

    def direction(self, text: str) -> Direction | None:
        """«2. Информационная», «Информационное направление», «Раздел 2. Информационная деятельность»."""
        key = fold(text).rstrip(".:")
        key = SECTION_PREFIX.sub("", key, count=1).strip()
        if key in self.directions:
            return self.directions[key]
        # The same direction in another gender or with a word after it: compare the first word's stem.
        stem = _stem(key)
        found = {d.id: d for k, d in self.directions.items() if _stem(k) == stem} if len(stem) >= 5 else {}
        return next(iter(found.values())) if len(found) == 1 else None

    def person(self, text: str):
        key = _name_key(text)
        for index in (self.people_full, self.people_short):
            found = index.get(key, [])
            if len(found) == 1:
                return found[0]
        return None


def _stem(text: str) -> str:
    """«информационное направление» -> «информационн»."""
    first = text.split(" ")[0] if text else ""
    return first[:-2] if len(first) > 6 else first


def _name_key(name: str) -> str:
    """«Иванова А.П.» and «Иванова А. П.» are one key."""
    return re.sub(r"\s+", "", fold(name).replace(".", ". ")).replace(".", "")


def parse_responsible(text: str, catalogue: Catalogue):
    people, body, rest = [], None, []
    for line in text.split("\n"):
        line = clean(line)
        if not line:
            continue
        if body is None and fold(line) in catalogue.bodies:
            body = catalogue.bodies[fold(line)]
            continue
        for part in re.split(r"[,;]", line):
            part = clean(part)
            if not part:
                continue
            person = catalogue.person(part)
            if person is not None and person not in people:
                people.append(person)
            elif body is None and fold(part) in catalogue.bodies:
                body = catalogue.bodies[fold(part)]
            else:
                rest.append(part)
    return people, body, ", ".join(rest)


def _is_blank(row) -> bool:
    return all(unescape(v) == "" for v in row)


def _col(roles: dict, role: str) -> str:
    return f"{get_column_letter(roles[role] + 1)} («{COLUMN_LABELS[role]}»)"


def parse_rows(rows, start_year: int, tenant_id: int) -> ImportResult:
    result = ImportResult()
    found = find_header(rows)
    if found is None:
        result.file_error = _("Не найдена строка заголовка таблицы: нужна строка со столбцами «Мероприятие», "
                              "«Сроки» и другими, как в выгрузке плана.")
        return result
    header_index, roles = found
    if "timing" not in roles:
        result.file_error = _("В строке заголовка нет столбца «Сроки».")
        return result
    catalogue = Catalogue(tenant_id)
    new_forms: dict[str, WorkForm | None] = {}
    direction = None
    for index in range(header_index + 1, len(rows)):
        row = list(rows[index])
        line = index + 1
        if _is_blank(row):
            continue

        def cell(role):
            col = roles.get(role)
            return unescape(row[col]) if col is not None and col < len(row) else ""

        filled = [(c, v) for c, v in enumerate(row) if unescape(v) != ""]
        if len(filled) == 1 and (filled[0][0] == 0 or filled[0][0] != roles.get("title")):
            # A section row: the direction's name across the table.
            text = unescape(filled[0][1])
            match = catalogue.direction(text)
            if match is None:
                result.errors.append(RowError(line, f"{get_column_letter(filled[0][0] + 1)}",
                                              _("раздел «%(text)s» не совпадает ни с одним направлением "
                                                "деятельности района", text=text[:100])))
                direction = False  # items under it are not reported again
            else:
                direction = match
            continue
        title = cell("title")
        if direction is None:
            result.errors.append(RowError(line, "", _("мероприятие до первой строки раздела (направления)")))
            continue
        errors_before = len(result.errors)
        if not title:
            result.errors.append(RowError(line, _col(roles, "title"), _("не заполнено название мероприятия")))
        for role, limit in LIMITS.items():
            if role in roles and len(cell(role)) > limit:
                result.errors.append(RowError(line, _col(roles, role), _("длиннее %(n)d символов", n=limit)))
        raw_timing = row[roles["timing"]] if roles["timing"] < len(row) else None
        try:
            months, date_from, date_to = parse_timing(raw_timing, start_year)
        except TimingError as exc:
            result.errors.append(RowError(line, _col(roles, "timing"),
                                          _("%(problem)s; укажите месяцы («октябрь, ноябрь», «сентябрь – май»), "
                                            "«в течение года» или даты дд.мм.гггг", problem=exc)))
            months, date_from, date_to = 0, None, None
        if direction is False or len(result.errors) > errors_before:
            continue
        people, body, note = parse_responsible(cell("responsible"), catalogue)
        if len(note) > 500:
            result.errors.append(RowError(line, _col(roles, "responsible"), _("длиннее %(n)d символов", n=500)))
            continue
        form_name = clean(cell("form"))
        form = catalogue.forms.get(fold(form_name)) if form_name else None
        if form_name and form is None and fold(form_name) not in new_forms:
            new_forms[fold(form_name)] = None
            result.new_forms.append(form_name)
        result.items.append(ParsedItem(
            row=line, direction=direction, title=clean(title), form_name=form_name, form=form, months=months,
            date_from=date_from, date_to=date_to, people=people, body=body, responsible_note=note,
            audience=clean(cell("audience")), expected=cell("expected").strip(),
            timing_text=unescape(raw_timing) if not isinstance(raw_timing, (date, datetime)) else
            raw_timing.strftime("%d.%m.%Y")))
    if not result.items and not result.errors:
        result.file_error = _("В файле нет ни одного мероприятия под заголовком таблицы.")
    return result


def read_plan_file(filename: str, data: bytes, start_year: int, tenant_id: int) -> ImportResult:
    if len(data) > MAX_BYTES:
        return ImportResult(file_error=_("Файл больше %(mb)d МБ; разделите план на части.",
                                         mb=MAX_BYTES // (1024 * 1024)))
    if not data:
        return ImportResult(file_error=_("Файл пустой."))
    try:
        rows = read_table(filename, data, MAX_ROWS + 1)
    except SpreadsheetError as exc:
        return ImportResult(file_error=str(exc))
    return parse_rows(rows, start_year, tenant_id)


def find_repeats(plan: Plan | None, result: ImportResult) -> None:
    """Items of the file the plan already has (same direction and title): importing twice duplicates."""
    if plan is None or not result.items:
        return
    existing = {(d, fold(t)) for d, t in db.session.execute(
        db.select(PlanItem.direction_id, PlanItem.title).where(PlanItem.plan_id == plan.id))}
    result.repeated = [p.title for p in result.items if (p.direction.id, fold(p.title)) in existing]


def save_items(plan: Plan, result: ImportResult) -> int:
    """Create the parsed items at the end of their sections (and forms new to the catalogue)."""
    forms = {}
    last_form = db.session.scalar(db.select(db.func.max(WorkForm.position)).where(WorkForm.tenant_id == plan.tenant_id)) or 0
    for name in result.new_forms:
        last_form += 1
        form = WorkForm(tenant_id=plan.tenant_id, name=name[:200], position=last_form)
        db.session.add(form)
        forms[fold(name)] = form
    db.session.flush()
    positions: dict[int, int] = {}
    for parsed in result.items:
        d_id = parsed.direction.id
        if d_id not in positions:
            positions[d_id] = next_position(plan, d_id)
        else:
            positions[d_id] += 1
        form = parsed.form or (forms.get(fold(parsed.form_name)) if parsed.form_name else None)
        item = PlanItem(tenant_id=plan.tenant_id, plan_id=plan.id, direction_id=d_id, position=positions[d_id],
                        title=parsed.title, form_id=form.id if form else None, months=parsed.months,
                        date_from=parsed.date_from, date_to=parsed.date_to, audience=parsed.audience,
                        expected_result=parsed.expected, responsible_note=parsed.responsible_note,
                        body_id=parsed.body.id if parsed.body else None)
        item.responsible_links = [PlanItemResponsible(tenant_id=plan.tenant_id, person_id=p.id, position=i)
                                  for i, p in enumerate(parsed.people)]
        db.session.add(item)
    return len(result.items)
