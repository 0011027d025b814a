"""Edits of versioned rows: a form carries the version it was opened at.

If the row changed meanwhile, the save is refused with 409 and the page shows
both the user's text and the current one, so nothing is lost.
"""
from wtforms import HiddenField


class VersionField(HiddenField):
    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        self.data = int(raw) if raw.isdigit() else None


def is_stale(obj, form) -> bool:
    """The form was opened at another version of the row than the one saved now."""
    return form.version.data is not None and form.version.data != obj.version


def snapshot(obj, fields) -> list[tuple[str, str]]:
    """(label, value) of the row as it is saved now, for the conflict message."""
    rows = []
    for name, label, fmt in fields:
        value = getattr(obj, name)
        rows.append((label, fmt(value) if fmt else ("" if value is None else str(value))))
    return rows
