"""Steps the people and the schools pages take alike: save a record from its form, delete one, go on
afterwards, hand out a list as a spreadsheet.

Each view keeps its own flow (what it loads, which template, what its messages say); only the steps
in between live here.
"""
import io

from flask import current_app, make_response, redirect, request
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.exc import IntegrityError

from oms.audit import record_and_commit
from oms.concurrency import commit_versioned, version_conflict
from oms.extensions import db
from oms.views import is_htmx
from oms.xlsx import content_disposition, row_values

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Stale(Exception):
    """The record was saved by someone else after the form was opened; nothing was written.

    `conflict` (oms.concurrency.Conflict) is the user's values next to the saved ones."""

    def __init__(self, conflict):
        super().__init__("stale save")
        self.conflict = conflict


def form_status() -> int:
    """200 for a form shown, 422 for a form sent back with its errors."""
    return 422 if request.method == "POST" else 200


def save(form, obj, duplicate_field: str, duplicate_message: str) -> bool:
    """Fill `obj` from the form and commit.

    False when a unique name clashes with a record saved meanwhile (rolled back, the message next
    to the field named `duplicate_field`). For a record already saved, raises Stale when the form
    was opened at another version of it or the row changed during the save (oms.concurrency).
    """
    if obj.id is not None and (conflict := version_conflict(form, obj)) is not None:
        raise Stale(conflict)
    db.session.add(obj)
    try:
        conflict = commit_versioned(form, obj, lambda: form.fill(obj))
    except IntegrityError:
        db.session.rollback()
        form[duplicate_field].errors.append(duplicate_message)
        return False
    if conflict is not None:
        raise Stale(conflict)
    return True


def delete(obj) -> bool:
    """Delete and commit; False (rolled back) when rows the checks did not know of still refer to it."""
    db.session.delete(obj)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def go(url: str, code: int = 302):
    """Navigate after a POST: a redirect, or HX-Redirect for an htmx request."""
    if is_htmx():
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=code)


def new_sheet(title: str, header: list, widths) -> tuple:
    """A write-only workbook with one sheet: its column widths set and the header row frozen on top."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append(row_values(header))
    return wb, ws


def xlsx_response(wb, filename: str, audit_summary: str | None = None):
    """The workbook as a download; an export of the district's data is recorded in the audit trail."""
    buf = io.BytesIO()
    wb.save(buf)
    if audit_summary is not None:
        # A GET reads in a deferred transaction: end it, so the audit write starts a fresh one (SQLite locking).
        db.session.commit()
        record_and_commit("export", summary=audit_summary)
        db.session.commit()
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
