"""What still refers to a row: asked before deleting a piece of a district's configuration.

The answer is read from the schema (every foreign key pointing at the row's
table), so references added by other features — plan items pointing at a body,
a direction or a function — are found without this module knowing them.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .extensions import db

# How the referring rows are named in the refusal message.
LABELS = {
    "body": _l("подчинённые элементы структуры"),
    "body_member": _l("участники (члены)"),
    "meeting": _l("заседания"),
    "function": _l("функции"),
    "function_assignee": _l("закреплённые специалисты"),
    "plan_item": _l("мероприятия плана"),
    "plan_item_body": _l("мероприятия плана"),
    "plan_item_function": _l("мероприятия плана"),
    "mentorship": _l("наставнические пары"),
    "review_score": _l("оценки экспертов"),
    "practice_area": _l("практики банка педагогического опыта"),
    "document": _l("документы"),
    "practice": _l("практики банка педагогического опыта"),
}


def references(obj, ignore: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """[(label, count)] of rows in other tables (or child rows of the same table) that point at `obj`."""
    target = obj.__table__
    found: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        if table.name in ignore or table.name == "audit_event":
            continue
        for fk in table.foreign_keys:
            if fk.column.table is not target:
                continue
            count = db.session.scalar(select(func.count()).select_from(table).where(fk.parent == obj.id))
            if count:
                label = str(LABELS[table.name]) if table.name in LABELS else _(
                    "связанные записи (%(table)s)", table=table.name)
                found[label] = found.get(label, 0) + count
    return list(found.items())


def merge_references(*lists: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Several objects' references as one list, the counts of the same label added up."""
    merged: dict[str, int] = {}
    for refs in lists:
        for label, count in refs:
            merged[label] = merged.get(label, 0) + count
    return list(merged.items())


def refusal(name: str, refs: list[tuple[str, int]]) -> str:
    what = ", ".join(f"{label} — {count}" for label, count in refs)
    return _("Нельзя удалить «%(name)s»: на него ссылаются %(what)s. "
             "Сначала перенесите или удалите их, затем повторите.", name=name, what=what)
