"""How dates, years and numbers read in Russian documents."""
import re
from datetime import date, datetime

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                   "августа", "сентября", "октября", "ноября", "декабря")


def ru_date(value: date | datetime | None) -> str:
    """дд.мм.гггг"""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y")


def ru_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y %H:%M")


def ru_date_long(value: date | None) -> str:
    """«04» августа 2023 г."""
    if value is None:
        return ""
    return f"«{value.day:02d}» {MONTHS_GENITIVE[value.month - 1]} {value.year} г."


def long_date(value: date | None) -> str:
    """A date written out in the page's language: «04» августа 2023 г., or 4 August 2023."""
    if value is None:
        return ""
    from flask_babel import format_date, get_locale

    locale = get_locale()
    if locale is None or locale.language == "ru":
        return ru_date_long(value)
    return format_date(value, "d MMMM y")


def academic_year(start_year: int) -> str:
    """2025 -> 2025/2026"""
    return f"{start_year}/{start_year + 1}"


def plural(n: int, one: str, few: str, many: str) -> str:
    """The one of three forms that agrees with n in the page's language: «заседание», «заседания»,
    «заседаний» for 1, 3, 5 (and 21, 22, 25).

    The three Russian forms are passed translated; a language with two forms (English) uses `one`
    and `many`, so translate `few` like `many` there. (gettext's ngettext cannot serve: Russian is the
    source language, which has no catalogue to hold its three forms.)
    """
    from babel import Locale
    from flask_babel import get_locale

    form = (get_locale() or Locale("ru")).plural_form(n)
    return {"one": one, "few": few}.get(form, many)


def count_text(n: int, one: str, few: str, many: str) -> str:
    """A count with its noun agreeing: «1 курс», «3 курса», «5 курсов»; the forms hold %(num)s."""
    return plural(n, one, few, many) % {"num": n}


def years(n: int, full: bool = False) -> str:
    """«1 год», «3 года», «5 лет» (with `full`: «1 полный год», «3 полных года», «5 полных лет»)."""
    from flask_babel import gettext as _

    if full:
        return count_text(n, _("%(num)s полный год"), _("%(num)s полных года"), _("%(num)s полных лет"))
    return count_text(n, _("%(num)s год"), _("%(num)s года"), _("%(num)s лет"))


CLAUSE_MARK = re.compile(r"^\s*(п\.|пп\.|пункт|§|ст\.|раздел|cl\.)", re.IGNORECASE)


def clause(value: str | None) -> str:
    """A clause reference: «4.5» reads «п. 4.5»; a clause typed with its mark («п. 4.5», «§ 3») is kept."""
    from flask_babel import gettext as _

    value = (value or "").strip()
    if not value or CLAUSE_MARK.match(value):
        return value
    return f"{_('п.')} {value}"


def register(app) -> None:
    app.add_template_filter(clause, "clause")
    app.add_template_filter(ru_date, "ru_date")
    app.add_template_filter(ru_datetime, "ru_datetime")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(academic_year, "academic_year")
    app.add_template_filter(years, "years")
    app.add_template_filter(plural, "plural")
