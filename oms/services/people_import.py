"""Bringing teachers in from a spreadsheet: read, guess the columns, plan, apply.

The steps are separate so that the user sees exactly what will happen before
anything is saved: `read_upload` turns the file into plain text rows (stored
in an ImportBatch), `guess_mapping` proposes which column is which,
`build_plan` checks every row and decides create / update / skip, and
`apply_plan` writes a plan that has no bad rows. People are matched by full
name and school, schools by their name or short name (case and Ё/Е folded),
so importing the same file twice changes nothing the second time.
"""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from types import SimpleNamespace
from datetime import date, datetime, time

from flask_babel import gettext as _, lazy_gettext as _l
from openpyxl.utils import get_column_letter

from ..extensions import db
from ..models import Person, School
from ..models.base import utcnow
from ..text import clean, fold
from ..xlsx import FORMULA_STARTS, SpreadsheetError, read_table
from . import people_values as values

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 5000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 1000  # longer cells are cut when stored and reported if they are imported
HEADER_SEARCH_ROWS = 10

TARGETS = {
    "full_name": _l("ФИО (одной ячейкой)"),
    "last_name": _l("Фамилия"),
    "first_name": _l("Имя"),
    "middle_name": _l("Отчество"),
    "school": _l("Образовательная организация"),
    "position": _l("Должность"),
    "subjects": _l("Предметы"),
    "category": _l("Квалификационная категория"),
    "category_date": _l("Дата присвоения категории"),
    "experience": _l("Педагогический стаж, лет"),
    "young": _l("Молодой специалист"),
    "education": _l("Образование"),
    "phone": _l("Телефон"),
    "email": _l("Электронная почта"),
}

# Folded header -> field. Tried in order; the first rule a header satisfies wins.
_HEADER_RULES: list[tuple[str, re.Pattern]] = [
    ("full_name", re.compile(r"^(фио|ф\.?\s*и\.?\s*о\.?|фамилия,?\s*имя,?\s*отчество.*|ф\.?и\.?о\.? (педагога|работника|учителя|сотрудника))$")),
    ("category_date", re.compile(r"(дата|срок).*(категор|аттестац)|аттестац.*дата")),
    ("young", re.compile(r"молод")),
    ("last_name", re.compile(r"^фамилия\b")),
    ("first_name", re.compile(r"^имя\b")),
    ("middle_name", re.compile(r"^отчество\b")),
    ("full_name", re.compile(r"\bфио\b|ф\.и\.о")),
    ("school", re.compile(r"^(оо|оу|школа|учреждение|организация)$|место работы|образовательн\w* (организац|учрежден)"
                          r"|наименование (оо|оу|школы|организации|учреждения)|^(оо|оу|школа)\b")),
    ("position", re.compile(r"должност")),
    ("subjects", re.compile(r"предмет|дисциплин")),
    ("category", re.compile(r"категор|^аттестация$")),
    ("experience", re.compile(r"стаж")),
    ("education", re.compile(r"образовани")),
    ("phone", re.compile(r"телефон|^тел\b")),
    ("email", re.compile(r"e-?mail|почт")),
]

PERSON_FIELDS = ("last_name", "first_name", "middle_name", "position", "subjects", "category", "category_date",
                 "experience_years", "is_young_specialist", "education", "phone", "email")
NEW_PERSON = {"middle_name": "", "position": "", "subjects": "", "category": "", "category_date": None,
              "experience_years": None, "is_young_specialist": False, "education": "", "phone": "", "email": "",
              "notes": "", "user_id": None}
FIELD_LABELS = {
    "last_name": _l("Фамилия"), "first_name": _l("Имя"), "middle_name": _l("Отчество"),
    "position": _l("Должность"), "subjects": _l("Предметы"), "category": _l("Категория"),
    "category_date": _l("Дата категории"), "experience_years": _l("Стаж"),
    "is_young_specialist": _l("Молодой специалист"), "education": _l("Образование"), "phone": _l("Телефон"),
    "email": _l("Эл. почта"),
}


class ImportRefused(SpreadsheetError):
    """The file as a whole cannot be imported (message for the user)."""


@dataclass
class Table:
    header: list[str]
    header_row: int
    rows: list  # [[file row number, [cells]]]
    notes: dict


# ---- reading ------------------------------------------------------------------------------

def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value).replace("\x00", "").strip()
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        text = text[1:]  # our own exports mark text that looks like a formula this way
    return text


def read_upload(filename: str, data: bytes, max_rows: int = MAX_DATA_ROWS, guess=None) -> Table:
    """The uploaded file as text rows; ImportRefused for a file we do not take. Other imports (olympiad
    results) pass their own row limit and header guess."""
    if not data:
        raise ImportRefused(_("Файл пустой."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(_("Файл больше %(mb)s МБ; разделите его на части.", mb=MAX_FILE_BYTES // (1024 * 1024)))
    if (filename or "").lower().endswith((".xls", ".ods", ".xlsm", ".xlsb")):
        raise ImportRefused(_("Этот формат не поддерживается: откройте файл в Excel или LibreOffice и сохраните "
                              "его как «Книга Excel (.xlsx)» или «CSV»."))
    try:
        raw = read_table(filename, data, max_rows + HEADER_SEARCH_ROWS + 1)
    except SpreadsheetError:
        raise
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise ImportRefused(_("В файле есть ячейка длиннее 131 072 символов; такие файлы не принимаются.")
                                ) from exc
        raise ImportRefused(_("Не удалось прочитать CSV: проверьте кавычки и разделители.")) from exc
    except Exception as exc:  # a damaged sheet can fail deep inside the parser
        raise ImportRefused(_("Не удалось прочитать файл: он повреждён или в другом формате.")) from exc
    table = _to_table(raw, max_rows, guess or guess_mapping)
    formulas = count_formulas(data)
    if formulas:
        table.notes["formulas"] = formulas
    return table


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")


def count_formulas(data: bytes) -> int:
    """Formula cells in an .xlsx (read_table gives their last computed values, as plain text).

    Only a byte count over the worksheets' XML, whose size read_table has already checked;
    the workbook itself is parsed by oms.xlsx alone.
    """
    if data[:4] != b"PK\x03\x04":
        return 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(len(_FORMULA_TAG.findall(archive.read(e))) for e in archive.infolist()
                       if e.filename.startswith("xl/worksheets/") and e.filename.endswith(".xml"))
    except (zipfile.BadZipFile, OSError):
        return 0


def _to_table(raw: list, max_rows: int = MAX_DATA_ROWS, guess=None) -> Table:
    notes: dict = {"long": {}}
    width = 0
    rows = []
    for number, raw_row in enumerate(raw, start=1):
        cells = [cell_text(v) for v in raw_row]
        if len(cells) > MAX_COLUMNS:
            if any(cells[MAX_COLUMNS:]):
                notes["columns_cut"] = True
            cells = cells[:MAX_COLUMNS]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        for col, text in enumerate(cells):
            if len(text) > MAX_CELL_CHARS:
                notes["long"][f"{number}:{col}"] = len(text)
                cells[col] = text[:MAX_CELL_CHARS]
        width = max(width, len(cells))
        rows.append([number, cells])
    if not rows:
        raise ImportRefused(_("В файле нет ни одной заполненной строки."))
    header_at = _header_index(rows, guess or guess_mapping)
    header_row, header = rows[header_at]
    data = rows[header_at + 1:]
    if not data:
        raise ImportRefused(_("В файле есть заголовок, но нет строк с данными."))
    if len(data) > max_rows:
        raise ImportRefused(_("В файле %(n)s строк данных; за один раз можно загрузить не больше %(max)s. "
                              "Разделите файл на части.", n=len(data), max=max_rows))
    header = [clean(h)[:200] for h in header] + [""] * (width - len(header))
    return Table(header=header, header_row=header_row, rows=data, notes=notes)


def _header_index(rows, guess=None) -> int:
    """The header is the first of the top rows naming at least two known columns."""
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(set((guess or guess_mapping)(cells).values())) >= 2:
            return index
    return 0


def guess_field(title: str) -> str:
    key = fold(title).strip(" .:*")
    if not key:
        return ""
    for target, rule in _HEADER_RULES:
        if rule.search(key):
            return target
    return ""


def guess_mapping(header: list[str]) -> dict[str, str]:
    mapping, used = {}, set()
    for col, title in enumerate(header):
        target = guess_field(title)
        if target and target not in used:
            used.add(target)
            mapping[str(col)] = target
    if "full_name" in used and {"last_name", "first_name"} & used:
        # ФИО and separate name columns at once: keep the separate ones.
        mapping = {c: t for c, t in mapping.items() if t != "full_name"}
    return mapping


def mapping_errors(mapping: dict[str, str]) -> list[str]:
    chosen = [t for t in mapping.values() if t]
    errors = []
    doubled = sorted({t for t in chosen if chosen.count(t) > 1}, key=list(TARGETS).index)
    for target in doubled:
        errors.append(_("Поле «%(field)s» выбрано для нескольких столбцов; оставьте один.", field=TARGETS[target]))
    has_full = "full_name" in chosen
    has_parts = "last_name" in chosen or "first_name" in chosen
    if has_full and has_parts:
        errors.append(_("Выберите либо столбец «ФИО», либо отдельные столбцы «Фамилия» и «Имя», но не всё сразу."))
    elif not has_full and not ("last_name" in chosen and "first_name" in chosen):
        errors.append(_("Укажите столбец с ФИО или столбцы «Фамилия» и «Имя»."))
    return errors


def column_name(batch_header: list[str], col: int) -> str:
    title = batch_header[col] if col < len(batch_header) else ""
    letter = get_column_letter(col + 1)
    return f"{letter} «{title}»" if title else letter


# ---- planning -----------------------------------------------------------------------------

@dataclass
class Issue:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    action: str  # create, update, skip
    full_name: str
    school_label: str
    values: dict
    school_id: int | None = None
    new_school_key: str | None = None
    person: Person | None = None
    changes: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    new_schools: dict = field(default_factory=dict)  # folded name -> name as written
    bad_rows: int = 0

    def of(self, action: str) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def counts(self) -> dict:
        out = {"create": 0, "update": 0, "skip": 0}
        for r in self.rows:
            out[r.action] += 1
        return out

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.rows)


_PARSERS = {
    "last_name": lambda v: values.name_part(v, "last_name"),
    "first_name": lambda v: values.name_part(v, "first_name"),
    "middle_name": lambda v: values.name_part(v, "middle_name", required=False),
    "position": lambda v: values.plain_text(v, "position"),
    "subjects": lambda v: values.subjects(values.plain_text(v, "subjects")),
    "category": values.category,
    "category_date": values.a_date,
    "experience": values.experience,
    "young": values.yes_no,
    "education": lambda v: values.plain_text(v, "education"),
    "phone": values.phone,
    "email": values.email,
}
_STORED_AS = {"experience": "experience_years", "young": "is_young_specialist"}


def _parse_cell(target: str, text: str, cache: dict):
    """A parsed cell value, or the ValueError it raises; repeated cells (categories, dates,
    positions…) are parsed once per file."""
    key = (target, text)
    if key not in cache:
        try:
            cache[key] = (True, _PARSERS[target](text))
        except ValueError as exc:
            cache[key] = (False, str(exc))
    return cache[key]


def parse_row(cells: list[str], number: int, mapping: dict[str, str], header: list[str],
              long_cells: dict, cache: dict | None = None) -> tuple[dict, str, list[Issue]]:
    """The row's values (only non-empty mapped cells), its school text and its problems."""
    cache = {} if cache is None else cache
    out: dict = {}
    issues: list[Issue] = []
    school_text = ""

    def problem(col, message):
        issues.append(Issue(number, column_name(header, col), message))

    for col_key, target in mapping.items():
        if not target:
            continue
        col = int(col_key)
        text = cells[col] if col < len(cells) else ""
        length = long_cells.get(f"{number}:{col}")
        if length:
            problem(col, _("Слишком длинное значение: %(n)s символов.", n=length))
            continue
        if text.startswith("="):
            problem(col, _("Значение начинается с «=» (формула); введите его как обычный текст."))
            continue
        if target == "school":
            school_text = clean(text)
            if values.TAG_RE.search(school_text):
                problem(col, _("Текст содержит HTML-разметку (<…>); уберите её."))
            elif len(school_text) > 400:
                problem(col, _("Название организации не длиннее 400 символов."))
            continue
        if target == "full_name":
            if not clean(text):
                problem(col, _("ФИО не заполнено."))
                continue
            try:
                out["last_name"], out["first_name"], out["middle_name"] = values.split_full_name(text)
            except ValueError as exc:
                problem(col, _("ФИО: %(error)s", error=exc))
            continue
        if not clean(text) and target not in ("last_name", "first_name"):
            continue  # an empty cell changes nothing
        ok, value = _parse_cell(target, text, cache)
        if ok:
            out[_STORED_AS.get(target, target)] = value
        else:
            problem(col, value)
    if "experience_years" in out and "is_young_specialist" not in out:
        out["is_young_specialist"] = values.is_young(out["experience_years"])
    return out, school_text, issues


def _school_index(tenant_id: int) -> tuple[dict, set, dict]:
    """Schools by folded name and short name, the ambiguous short names, and schools by id."""
    index: dict[str, School] = {}
    ambiguous: set[str] = set()
    schools = db.session.scalars(db.select(School).where(School.tenant_id == tenant_id)).all()
    for school in schools:
        index[fold(school.name)] = school
    for school in schools:
        key = fold(school.short_name)
        if not key or index.get(key) is school:
            continue
        if key in index:
            ambiguous.add(key)
        else:
            index[key] = school
    return index, ambiguous, {s.id: s for s in schools}


def build_plan(batch, tenant_id: int) -> ImportPlan:
    """Check every row of the batch and decide what happens to it; nothing is written here."""
    plan = ImportPlan()
    mapping = {k: v for k, v in (batch.mapping or {}).items() if v in TARGETS}
    schools, ambiguous, by_id = _school_index(tenant_id)
    people: dict[tuple, Person] = {}
    namesakes: dict[str, list[Person]] = {}
    for p in db.session.scalars(db.select(Person).where(Person.tenant_id == tenant_id)):
        people[(p.name_key, p.school_id)] = p
        namesakes.setdefault(p.name_key, []).append(p)
    long_cells = (batch.notes or {}).get("long", {})
    school_col = next((int(c) for c, t in mapping.items() if t == "school"), None)
    seen: dict = {}
    claimed: dict[int, int] = {}  # person id -> the file row that updates it
    mapped_cols = [int(c) for c in mapping]
    cache: dict = {}
    for number, cells in batch.rows:
        if not any(col < len(cells) and cells[col] for col in mapped_cols):
            continue  # nothing in the imported columns: a spacer or a note beside the table
        parsed, school_text, issues = parse_row(cells, number, mapping, batch.header, long_cells, cache)
        school_id, new_key, label = None, None, ""
        school_key = fold(school_text)
        if school_key:
            if school_key in ambiguous:
                issues.append(Issue(number, column_name(batch.header, school_col),
                                    _("Краткое название «%(name)s» есть у нескольких организаций; "
                                      "укажите полное название.", name=school_text)))
            elif school_key in schools:
                school = schools[school_key]
                school_id, label = school.id, school.label
            else:
                new_key = school_key
                label = plan.new_schools.setdefault(school_key, school_text)
        full_name = " ".join(p for p in (parsed.get("last_name"), parsed.get("first_name"), parsed.get("middle_name"))
                             if p)
        name_key = fold(full_name)[:320]
        existing = None
        if not issues and school_key:
            existing = people.get((name_key, school_id)) if new_key is None else None
        elif not issues:
            # No organisation in the row: the person is found by name alone, if that is unambiguous.
            found = namesakes.get(name_key, [])
            without_school = [p for p in found if p.school_id is None]
            if len(found) == 1 or len(without_school) == 1:
                existing = found[0] if len(found) == 1 else without_school[0]
                school_id = existing.school_id
                label = by_id[school_id].label if school_id in by_id else ""
            elif found:
                issues.append(Issue(number, column_name(batch.header, school_col) if school_col is not None else "",
                                    _("В районе несколько педагогов «%(name)s»: укажите организацию.",
                                      name=full_name)))
        if issues:
            plan.issues.extend(issues)
            plan.bad_rows += 1
            continue
        key = (name_key, school_id if new_key is None else f"new:{new_key}")
        earlier = seen.get(key) or (claimed.get(existing.id) if existing is not None else None)
        if earlier:
            plan.issues.append(Issue(number, "", _("%(name)s (%(school)s) уже есть в строке %(row)s этого файла.",
                                                   name=full_name, school=label or _("без организации"),
                                                   row=earlier)))
            plan.bad_rows += 1
            continue
        seen[key] = number
        row = PlannedRow(row=number, action="create", full_name=full_name, school_label=label, values=parsed,
                         school_id=school_id, new_school_key=new_key, person=existing)
        if existing is not None:
            claimed[existing.id] = number
            row.changes = {f: (getattr(existing, f), v) for f, v in parsed.items()
                           if getattr(existing, f) != v}
            row.action = "update" if row.changes else "skip"
        plan.rows.append(row)
    return plan


def apply_plan(plan: ImportPlan, tenant_id: int) -> dict:
    """Write a checked plan (no issues). Returns the counts for the result page.

    New schools and changed people go through the ORM, so the audit trail
    records each change. New people are inserted in bulk (thousands of rows
    in a few statements); the caller records the import as one audit event
    naming the file and the counts.
    """
    if plan.issues:
        raise ValueError("a plan with bad rows is never applied")
    created_schools = {}
    for key, name in plan.new_schools.items():
        school = School(tenant_id=tenant_id, name=name, kind="school")
        db.session.add(school)
        created_schools[key] = school
    for row in plan.of("update"):
        for name, (_old, new) in row.changes.items():
            setattr(row.person, name, new)
    db.session.flush()
    new_people = []
    now = utcnow()
    for row in plan.of("create"):
        school_id = created_schools[row.new_school_key].id if row.new_school_key else row.school_id
        record = {**NEW_PERSON, **row.values, "tenant_id": tenant_id, "school_id": school_id, "version": 1,
                  "created_at": now, "updated_at": now}
        view = SimpleNamespace(**record)
        record["name_key"] = fold(Person.full_name.fget(view))[:320]
        record["search_key"] = fold(Person.search_text(view))[:600]
        new_people.append(record)
    if new_people:
        # render_nulls: a None is sent as NULL rather than left out, so every row has the same
        # columns and the rows go out in a few large batches.
        db.session.execute(db.insert(Person), new_people, execution_options={"render_nulls": True})
    return {**plan.counts, "schools": len(created_schools)}
