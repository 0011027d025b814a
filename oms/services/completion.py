"""The one completion figure of a plan (or of a part of it: a direction, a month, an association's items).

Defined once, here, and read by every page and document that shows it — the home page, the plan's
analysis, the association leader's card, the association's year report and sheet 2 of the XLSX plan:

    completion = items done ÷ (items in the plan − items cancelled), rounded to a whole percent.

Cancelled items are out of the count (the plan no longer asks for them); moved ones stay in it (still owed).
"""
from flask_babel import lazy_gettext as _l

from ..text import N_

# For documents (Russian whatever the reader's language) and for screens.
RULE_DOC = N_("Процент выполнения = выполнено ÷ (всего мероприятий − отменённые); перенесённые остаются в расчёте.")
RULE = _l("Процент выполнения = выполнено ÷ (всего мероприятий − отменённые); перенесённые остаются в расчёте.")


def base(total: int, cancelled: int) -> int:
    return max(total - cancelled, 0)


def percent(done: int, total: int, cancelled: int) -> int:
    whole = base(total, cancelled)
    return round(100 * done / whole) if whole else 0


def of_statuses(statuses) -> tuple[int, int, int]:
    """(done, base, percent) of a list of item statuses."""
    statuses = list(statuses)
    done, cancelled = statuses.count("done"), statuses.count("cancelled")
    return done, base(len(statuses), cancelled), percent(done, len(statuses), cancelled)
