"""Where a body may sit in the structure: level, organisation and parent must agree."""
from flask_babel import gettext as _

from .chart import descendants


def placement_errors(kind, parent, school, body=None, bodies=None) -> dict[str, str]:
    """{form field: message in the page's language} for a body of `kind` placed under `parent` in `school`."""
    errors = {}
    if kind.level == "school" and school is None:
        errors["school_id"] = _("Для элемента уровня образовательной организации выберите организацию.")
    if kind.level != "school" and school is not None:
        errors["school_id"] = _("Элемент муниципального уровня не относится к отдельной организации: "
                                 "оставьте поле пустым.")
    if parent is not None:
        if body is not None and (parent.id == body.id or parent.id in descendants(body.id, bodies or [])):
            errors["parent_id"] = _("Нельзя поместить элемент внутрь самого себя или своего подчинённого элемента.")
        elif kind.level != "school" and parent.kind.level == "school":
            errors["parent_id"] = _("Элемент муниципального уровня не может входить в элемент "
                                     "уровня образовательной организации.")
        elif kind.level == "school" and parent.kind.level == "school" and school is not None \
                and parent.school_id != school.id:
            errors["parent_id"] = _("Выбранный элемент относится к другой образовательной организации.")
    if body is not None and school is not None and body.school_id not in (None, school.id):
        moved_children = [b for b in bodies or [] if b.parent_id == body.id and b.kind.level == "school"
                          and b.school_id == body.school_id]
        if moved_children:
            errors["school_id"] = _("В этот элемент входят объединения прежней организации: "
                                     "сначала перенесите их.")
    return errors
