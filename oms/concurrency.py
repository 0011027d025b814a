"""Concurrent work: a stale form answers 409 with both versions, a double-clicked save creates one record.

Guide for features
==================

1. Editing a versioned row (a model with `version` and `version_id_col`)
------------------------------------------------------------------------
The form carries the version it was rendered from; saving compares it with
the row's and lets SQLAlchemy's `UPDATE ... WHERE version = ?` catch a save
that raced past the comparison (StaleDataError). On a conflict nothing is
written, the user's values stay in the form, the current ones are shown next
to them, and the hidden version moves to the current one, so pressing
"Save" again deliberately keeps the user's variant::

    from oms.concurrency import VersionField, save_versioned

    class SchoolForm(FlaskForm):
        version = VersionField()
        name = text_field("Название", 400, True)

    @bp.route("/<int:school_id>/edit", methods=["GET", "POST"])
    def edit(school_id):
        school = School.get_or_404(school_id)
        require("schools.edit", school)
        form = SchoolForm(obj=school)
        if form.validate_on_submit():
            conflict = save_versioned(form, school)        # populate_obj + commit, or a Conflict
            if conflict is None:
                return redirect(url_for(".show", school_id=school.id))
            return render_page_or_partial("schools/edit.html", "schools/_form.html",
                                          form=form, school=school, conflict=conflict), 409
        status = 422 if request.method == "POST" else 200
        return render_page_or_partial("schools/edit.html", "schools/_form.html", form=form, school=school), status

Pass `apply=lambda: ...` when saving is more than `form.populate_obj(obj)`
(anything it changes is committed in the same transaction; an exception it
raises, say a domain rule refusing, leaves the caller to roll back). A view
that checks more between reading and writing (rules that read the database)
or writes the row inline takes the two halves of `save_versioned`::

    if (conflict := version_conflict(form, body)) is None:   # stale: nothing changed, show the conflict
        ...                                                  # check, then change body
        conflict = commit_versioned(form, body)              # or a Conflict if a save raced past the check
        if conflict is None:
            return redirect(...)

Work that flushes after the change (queries that follow it up, such as
recomputing a status) goes into `commit_versioned(form, obj, apply)`, where a
raced flush is caught like a raced commit.

After a raced save the transaction is rolled back and the row reads itself
again (with the loader options of the query that loaded it, so relationships
a page shows are there); a row deleted meanwhile answers 404, as it would
when opened now.

The current values are what the form shows when opened on the row now,
`Form(obj=row)`: a field whose data is not the row's attribute as it is
converts it in `process_data` (the plan's MonthsField takes the bit mask).
Only fields the row has are compared, in their form labels, with choice
labels, dates as dd.mm.yyyy (months as mm.yyyy) and yes/no.

In the template, inside the form: `{{ form.version }}` and, above the fields,
`{% include "_conflict.html" %}` (renders nothing without a `conflict`). An
htmx form gets its partial back with 409, which static/js/app.js swaps in.
A form that is not a FlaskForm of the object (e.g. one select in a table row)
sends `<input type="hidden" name="version" value="{{ obj.version }}">` and
uses a form class with a VersionField.

2. Creating a record: a double click creates one
------------------------------------------------
The form carries a one-time token made at render. The first POST with it
claims the token in its own transaction (a unique row in `form_submission`),
so the claim is committed together with the record, or rolled back with it
when validation fails. A repeat — a double click, a resent request — finds
the token taken (PostgreSQL makes it wait for the first to finish; SQLite's
BEGIN IMMEDIATE queues it) and is sent to where the first one led::

    from oms.concurrency import FormTokenField, remember_result, submit_once

    class PersonForm(FlaskForm):
        form_token = FormTokenField()
        ...

    @bp.route("/new", methods=["GET", "POST"])
    def create():
        form = PersonForm()
        repeat = submit_once(form)
        if repeat is not None:
            return repeat
        if form.validate_on_submit():
            person = Person(tenant_id=current_tenant.id, ...)
            db.session.add(person)
            db.session.flush()
            remember_result(url_for(".show", person_id=person.id))
            db.session.commit()
            return redirect(url_for(".show", person_id=person.id))
        ...

In the template: `{{ form.form_token }}` inside the form.
"""
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import abort, flash, g, redirect, request
from flask_babel import gettext as _, lazy_gettext as _l, to_user_timezone
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput, MonthInput
from markupsafe import Markup, escape

from .audit import _tenant_id_of
from .extensions import db
from .models import AuditEvent, FormSubmission
from .models.base import utcnow
from .text import whole_number
from .views import is_htmx, message_page

# Fields of a form that are machinery, not the user's data.
MACHINERY = {"csrf_token", "version", "form_token", "submit"}
SUBMISSIONS_KEPT = timedelta(days=7)


class VersionField(HiddenField):
    """The version of the row the form was rendered from; never copied back onto the row."""

    def __init__(self, label="", **kwargs):
        super().__init__(label, **kwargs)

    def populate_obj(self, obj, name):
        pass  # SQLAlchemy owns the version column


class _HiddenWithErrors(HiddenInput):
    """A hidden input that still shows its error (the user sees why the form came back)."""

    def __call__(self, field, **kwargs):
        html = super().__call__(field, **kwargs)
        errors = "".join(f'<div class="error" role="alert">{escape(e)}</div>' for e in field.errors)
        return Markup(str(html) + errors)


class FormTokenField(HiddenField):
    """A one-time token per rendered form (see submit_once).

    Our pages always send it; a post without one (a script, a page from before the
    field existed) is handled as a single submission, without repeat detection.
    """

    widget = _HiddenWithErrors()

    def __init__(self, label="", **kwargs):
        kwargs.setdefault("default", lambda: secrets.token_urlsafe(24))
        kwargs.setdefault("validators", [Optional(), Length(max=64, message=_l("Форма устарела: обновите страницу."))])
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else ""  # a posted form without its token has none

    def populate_obj(self, obj, name):
        pass


# ---- stale versions ------------------------------------------------------------------------

@dataclass
class ConflictRow:
    label: str
    yours: str
    current: str

    @property
    def differs(self) -> bool:
        return self.yours != self.current


@dataclass
class Conflict:
    """What the user sent next to what is saved now."""

    rows: list[ConflictRow] = field(default_factory=list)
    changed_by: str = ""
    changed_at: str = ""

    @property
    def differing(self) -> list[ConflictRow]:
        return [row for row in self.rows if row.differs]


def version_conflict(form, obj) -> Conflict | None:
    """A Conflict if the form was opened at another version of obj than the saved one (nothing is changed).

    A post without a version (not from our page: a script, a page from before this
    check) goes on against the version just read; a wrong or garbled one is a conflict.
    """
    raw = str((form.version.raw_data or [""])[0]).strip()
    if not raw or whole_number(raw) == obj.version:
        return None
    return conflict_for(form, obj)


def commit_versioned(form, obj, apply=None) -> Conflict | None:
    """Run apply (if any) and commit; a save that raced past the check is rolled back into a Conflict."""
    try:
        if apply is not None:
            apply()  # inside: a flush it causes may be the one that meets the other save
        db.session.commit()
    except StaleDataError:
        db.session.rollback()  # expires obj: reading it again gives the current row
        return conflict_for(form, obj)
    form.version.data = obj.version
    return None


def save_versioned(form, obj, apply=None) -> Conflict | None:
    """Save the form onto a versioned row and commit; a Conflict (nothing saved) if the form is stale."""
    conflict = version_conflict(form, obj)
    if conflict is not None:
        return conflict
    return commit_versioned(form, obj, apply or (lambda: form.populate_obj(obj)))


def conflict_for(form, obj) -> Conflict:
    """The conflict between the form and the row as it is now; the form moves to the current version."""
    try:
        current_version = obj.version
    except ObjectDeletedError:
        abort(404)
    opened = type(form)(formdata=None, obj=obj, meta={"csrf": False})  # the form as it would open now
    conflict = Conflict(rows=[ConflictRow(str(f.label.text), display(f, f.data), display(f, opened[f.name].data))
                              for f in form if f.name not in MACHINERY and hasattr(obj, f.name)])
    conflict.changed_by, conflict.changed_at = _last_change(obj)
    form.version.data = current_version
    if form.version.raw_data:
        form.version.raw_data = [str(current_version)]
    return conflict


def display(form_field, value) -> str:
    """A value as the user reads it in the form (choice labels, dd.mm.yyyy, yes/no)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple)):  # a multiple choice
        return ", ".join(display(form_field, v) for v in value) or "—"
    if isinstance(form_field, SelectField):
        return str(_choice_labels(form_field.choices).get(str(value), value))
    if isinstance(form_field, BooleanField) or isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, datetime):
        return to_user_timezone(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%m.%Y" if isinstance(form_field.widget, MonthInput) else "%d.%m.%Y")
    return str(value).replace("\r\n", "\n").strip() or "—"  # browsers send CRLF from a textarea


def _choice_labels(choices) -> dict:
    if isinstance(choices, dict):  # option groups
        choices = [choice for group in choices.values() for choice in group]
    return {str(value): label for value, label, *_rest in choices or []}


def _last_change(obj) -> tuple[str, str]:
    entry = db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id,
               AuditEvent.action.in_(("update", "create")), AuditEvent.tenant_id == _tenant_id_of(obj))
        .order_by(AuditEvent.id.desc()).limit(1))
    if entry is None:
        return "", ""
    return entry.user_email or _("система"), to_user_timezone(entry.at).strftime("%d.%m.%Y %H:%M")


# ---- one record per submitted form ---------------------------------------------------------

REPEAT_MESSAGE = _l("Эта форма уже отправлена: повторная отправка ничего не изменила.")


def submit_once(form):
    """None for a first submission (its token is now claimed in this transaction); else the answer to a repeat.

    Call it before validating: a repeat must not be judged as new input (it
    would meet, say, "this e-mail is taken" caused by its own first copy).
    """
    if request.method != "POST":
        return None
    token = (form.form_token.data or "").strip()
    if not token or len(token) > 64:
        return None  # no token: an ordinary single submission (too long: the field's validator reports it)
    user_id = current_user.id if current_user.is_authenticated else None
    claim = FormSubmission(token=token, user_id=user_id)
    try:
        with db.session.begin_nested():
            db.session.add(claim)
    except IntegrityError:
        return _repeat_answer(token)
    g.form_submission = claim
    # Should the form come back with errors, it gets a fresh token: the claim above is
    # rolled back with the failed request, but a view that commits anyway cannot block a retry.
    fresh = secrets.token_urlsafe(24)
    form.form_token.data, form.form_token.raw_data = fresh, [fresh]
    if random.random() < 0.01:
        db.session.execute(db.delete(FormSubmission).where(FormSubmission.created_at < utcnow() - SUBMISSIONS_KEPT))
    return None


def remember_result(location: str) -> None:
    """Where a repeat of this submission should be sent (the page of what it created)."""
    claim = g.get("form_submission")
    if claim is not None:
        claim.location = location[:500]


def _repeat_answer(token: str):
    first = db.session.scalar(db.select(FormSubmission).where(FormSubmission.token == token))
    if first is not None and first.location and not is_htmx():
        flash(str(REPEAT_MESSAGE), "info")
        return redirect(first.location, 303)
    return message_page(REPEAT_MESSAGE, 409)
