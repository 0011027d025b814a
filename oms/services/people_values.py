"""How the values of a person's record are read and checked, the same way in forms and imports.

Each parser takes the text a person typed (or a spreadsheet cell) and returns
the value to store, or raises ValueError with a message for the user (in the UI language).
"""
import re
from datetime import date, timedelta

from flask_babel import gettext as _

from .. import clock
from ..models.people import CATEGORIES
from ..text import clean, fold, whole_number

LIMITS = {"last_name": 100, "first_name": 100, "middle_name": 100, "position": 200, "subjects": 400,
          "education": 400, "phone": 60, "email": 254}
MAX_EXPERIENCE = 70
YOUNG_SPECIALIST_YEARS = 3  # a young specialist has less than three years of teaching

NAME_EXTRA = set(" -'’.")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
PHONE_RE = re.compile(r"^[\d\s+()\-.,;]*(?:доб\.?\s*\d+)?$")
TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
SUBJECT_SPLIT = re.compile(r"[;,\n]+")
CATEGORY_NOISE = re.compile(r"\b(?:квалификационн\w*|категори\w*|кв\.?)(?=\s|$)")
DATE_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:\s*г\.?)?$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
NUMBER_START = re.compile(r"^(\d{1,3})(?:[.,]\d+)?(?:\s*(?:лет|год|года|г\.?))?$")

CATEGORY_WORDS = {
    "highest": {"высшая", "в", "вкк", "высшая кк"},
    "first": {"первая", "1", "i", "пкк", "1-я", "первая кк"},
    "szd": {"сзд", "соответствие", "соответствие занимаемой должности", "соответствует занимаемой должности",
            "на соответствие занимаемой должности"},
    "": {"", "без", "нет", "-", "—", "б/к", "бк", "не имеет", "отсутствует"},
}
CATEGORY_BY_WORD = {word: code for code, words in CATEGORY_WORDS.items() for word in words}


def check_length(value: str, field: str) -> str:
    limit = LIMITS[field]
    if len(value) > limit:
        raise ValueError(_("Не длиннее %(limit)s символов (сейчас %(now)s).", limit=limit, now=len(value)))
    return value


def _capitalise(part: str) -> str:
    """ИВАНОВА-ПЕТРОВА or иванова-петрова -> Иванова-Петрова; mixed case is left as typed."""
    if part.isupper() or part.islower():
        return "-".join(p[:1].upper() + p[1:].lower() for p in part.split("-"))
    return part


def name_part(value: str, field: str = "last_name", required: bool = True) -> str:
    text = clean(value)
    if not text:
        if required:
            raise ValueError(_("Не заполнено."))
        return ""
    if not any(ch.isalpha() for ch in text) or not all(ch.isalpha() or ch in NAME_EXTRA for ch in text):
        raise ValueError(_("Только буквы, пробел, дефис и апостроф."))
    check_length(text, field)
    return " ".join(_capitalise(p) for p in text.split(" "))


def split_full_name(value: str) -> tuple[str, str, str]:
    """«Иванова Анна Петровна» -> (Иванова, Анна, Петровна); «Алиев Рашид Ахмед оглы» keeps «Ахмед оглы»."""
    words = clean(value).split(" ")
    if len(words) < 2 or not words[0]:
        raise ValueError(_("Нужны хотя бы фамилия и имя через пробел."))
    last = name_part(words[0], "last_name")
    first = name_part(words[1], "first_name")
    middle = name_part(" ".join(words[2:]), "middle_name", required=False)
    return last, first, middle


def category(value: str) -> str:
    text = fold(value).strip(" .")
    if text in CATEGORY_BY_WORD:
        return CATEGORY_BY_WORD[text]
    core = clean(CATEGORY_NOISE.sub(" ", text)).strip(" .")
    if core in CATEGORY_BY_WORD:
        return CATEGORY_BY_WORD[core]
    if core.startswith("соответств"):
        return "szd"
    raise ValueError(_("Неизвестная категория «%(value)s»: допустимо — высшая, первая, соответствие занимаемой "
                       "должности (СЗД) или без категории.", value=clean(value)[:60]))


def category_label(code: str) -> str:
    return CATEGORIES.get(code or "", "")


def a_date(value: str, today: date | None = None) -> date:
    text = clean(value)
    today = today or clock.today()
    parsed = None
    if m := DATE_DMY.match(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if year < 100:
            year += 2000 if year <= today.year % 100 else 1900
        parsed = _date_or_none(year, month, day)
    elif m := DATE_ISO.match(text):
        parsed = _date_or_none(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif 20000 <= (whole_number(text) or 0) <= 80000:
        parsed = date(1899, 12, 30) + timedelta(days=whole_number(text))  # an Excel date stored as a number
    if parsed is None:
        raise ValueError(_("Дата «%(text)s» не распознана: нужен формат дд.мм.гггг.", text=text[:40]))
    if parsed > today:
        raise ValueError(_("Дата %(date)s ещё не наступила.", date=f"{parsed:%d.%m.%Y}"))
    if parsed.year < 1950:
        raise ValueError(_("Дата %(date)s слишком ранняя.", date=f"{parsed:%d.%m.%Y}"))
    return parsed


def _date_or_none(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def experience(value: str) -> int:
    text = clean(value).lower()
    m = NUMBER_START.match(text)
    if not m or int(m.group(1)) > MAX_EXPERIENCE:
        raise ValueError(_("Стаж — целое число лет от 0 до %(max)s.", max=MAX_EXPERIENCE))
    return int(m.group(1))


def is_young(experience_years: int | None) -> bool:
    return experience_years is not None and experience_years < YOUNG_SPECIALIST_YEARS


def yes_no(value: str) -> bool:
    text = fold(value).strip(" .")
    if text in {"да", "+", "1", "true", "yes", "молодой специалист", "является", "мс"}:
        return True
    if text in {"нет", "-", "—", "0", "false", "no", "не является"}:
        return False
    raise ValueError(_("Ожидается «да» или «нет»."))


def subjects(value: str) -> str:
    seen, out = set(), []
    for raw in SUBJECT_SPLIT.split(value or ""):
        item = clean(raw)
        if not item:
            continue
        if item.islower():
            item = item[:1].upper() + item[1:]
        key = fold(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return check_length("; ".join(out), "subjects")


def phone(value: str) -> str:
    text = clean(value)
    if text and (not PHONE_RE.match(text) or sum(ch.isdigit() for ch in text) < 5):
        raise ValueError(_("Телефон: цифры, пробелы, скобки, «+» и «-», не меньше 5 цифр."))
    return check_length(text, "phone")


def email(value: str) -> str:
    text = clean(value)
    if text and not EMAIL_RE.match(text):
        raise ValueError(_("Неверный адрес электронной почты."))
    return check_length(text, "email")


def plain_text(value: str, field: str) -> str:
    text = clean(value)
    if TAG_RE.search(text):
        raise ValueError(_("Текст содержит HTML-разметку (<…>); уберите её."))
    return check_length(text, field)
