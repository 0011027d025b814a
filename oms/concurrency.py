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

2. Submitting a form: a double click creates one record (every form, by default)
--------------------------------------------------------------------------------
Every form of ours carries a one-time token made at render, and the app claims
it before any view runs (`claim_form_token`, a before_request hook): the first
POST with it inserts a unique row in `form_submission` inside the request's
transaction, so the claim is committed together with the record, or rolled back
with it when validation fails. A repeat — a double click, a resent request —
finds the token taken (PostgreSQL makes it wait for the first to finish;
SQLite's BEGIN IMMEDIATE queues it) and never reaches the view: an htmx
repeat gets 204 (the page keeps what the first answer put there); a page is
sent to where the first one led, or back to the page the form was on, with
the message "already sent".

A new form gets this for free, with nothing in its template or view: every
HTML answer gets a token input after each CSRF input that has none next to it
(`add_form_tokens`, an after_request hook) — a hand-written
`<input type="hidden" name="csrf_token" …>`, the `csrf()` macro or
`{{ form.csrf_token }}` alike. A form class derives from `oms.forms.Form`
(not FlaskForm): its `{{ form.csrf_token }}` renders the token itself, and its
text fields drop control characters. A form that posts without a CSRF input
of ours (none should) can put `{{ form_token() }}` in it. htmx forms that stay
on the page after a successful post get a fresh token from static/js/app.js.

The view needs nothing. To send a repeat to the new record's page rather
than answer "already sent", call `remember_result(url)` before the commit::

    @bp.route("/new", methods=["GET", "POST"])
    def create():
        form = PersonForm()                      # class PersonForm(oms.forms.Form)
        if form.validate_on_submit():
            person = Person(tenant_id=current_tenant.id, ...)
            db.session.add(person)
            db.session.flush()
            remember_result(url_for(".show", person_id=person.id))
            db.session.commit()
            return redirect(url_for(".show", person_id=person.id))
        ...

A view that redirects without `remember_result` gets its redirect remembered
after the fact (an own short transaction). A post without a token (a script)
is an ordinary single submission. `submit_once(form)` of older views is a
no-op kept for them.

3. Deleting a row: once
-----------------------
`db.session.delete(row)` is safe under races by itself: before the flush that
deletes them, the rows are locked (`SELECT … FOR UPDATE`, see `lock_deleted_rows`);
a row another request deleted meanwhile ends this request with 404 and
nothing of it is kept (no second "delete" audit entry). A delete view is
written plainly::

    @bp.route("/<int:item_id>/delete", methods=["POST"])
    def delete(item_id):
        item = Item.get_or_404(item_id)          # a second delete, later: 404 here
        require("items.delete", item)
        db.session.delete(item)                  # a second delete, at the same time: 404 at the flush
        db.session.commit()
        ...

or through `oms.views.delete_unless_referenced`. Bulk deletes
(`db.delete(Model).where(...)`) that stand for one user-visible delete use
`delete_rows(stmt)`, which answers 404 when nothing matched.

4. Two requests racing past a check into a unique rule
------------------------------------------------------
A view checks ("this member is already there") and inserts; two at once can
both pass the check, and the database refuses the second. Nothing to write in
the view: an app-level handler (oms/__init__.py) answers any IntegrityError
with a rollback and 409 and a message (htmx: the fragment static/js/app.js
shows), a StaleDataError with 409, a row gone meanwhile (ObjectDeletedError)
with 404. A form that wants the refusal next to its field catches
IntegrityError itself (see blueprints/people/records.py `save`).
"""
import random
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, has_request_context, redirect, request
from flask_babel import gettext as _, lazy_gettext as _l, to_user_timezone
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import StopValidation
from wtforms.widgets import HiddenInput, MonthInput
from markupsafe import Markup, escape
from werkzeug.exceptions import NotFound

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
    """A one-time token per rendered form (see claim_form_token).

    Our pages always send it; a post without one (a script, a page from before the
    field existed) is handled as a single submission, without repeat detection.
    Rendered once per form: `{{ form.csrf_token }}` of an `oms.forms.Form` renders it,
    and rendering the field again gives nothing (no duplicate input).
    """

    widget = _HiddenWithErrors()

    def __init__(self, label="", **kwargs):
        kwargs.setdefault("default", new_token)
        super().__init__(label, **kwargs)
        self.rendered = False
        self.posted = ""

    def process_formdata(self, valuelist):
        # What was posted was claimed before the view ran (claim_form_token); should the form come back (errors,
        # a conflict, the next entry) it needs a fresh token, whatever was posted, so a retry is a new submission.
        self.posted = valuelist[0] if valuelist else ""
        self.data = new_token()
        self.raw_data = [self.data]

    def pre_validate(self, form):
        if len(self.posted) > 64:
            raise StopValidation(_("Форма устарела: обновите страницу."))

    def __call__(self, **kwargs):
        if self.rendered:
            return Markup("")
        self.rendered = True
        return super().__call__(**kwargs)

    def populate_obj(self, obj, name):
        pass


def new_token() -> str:
    return secrets.token_urlsafe(24)


def form_token_input() -> Markup:
    """`{{ form_token() }}` in a hand-written form: its one-time token."""
    return Markup('<input type="hidden" name="form_token" value="%s">') % new_token()


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
    if getattr(form_field, "picks_people", False):  # a picker holds ids: show the records' words (names, titles)
        return _picked_names(form_field, value if isinstance(value, (list, tuple)) else [value]) or "—"
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


def _picked_names(form_field, ids) -> str:
    """The words of the picked records of the field's kind (people, plan items, practices, documents)."""
    from .picker import PERSON

    kind = getattr(form_field, "kind", PERSON)
    wanted = [i for i in ids if isinstance(i, int)]
    found = {r.id: kind.label(r) for r in db.session.scalars(
        kind.model.scoped().where(kind.model.id.in_(wanted)))} if wanted else {}
    return ", ".join(found.get(i, str(i)) for i in ids)


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


def claim_form_token():
    """Before any view (a before_request hook): claim the posted form's one-time token, or answer its repeat.

    The claim is a unique row added in the request's transaction: committed with what the
    request saves, rolled back with a request that fails. A repeat never reaches the view,
    so it is not judged as new input (it would meet, say, "this e-mail is taken" caused by
    its own first copy).
    """
    if request.method != "POST" or (request.endpoint or "") in NOT_CLAIMED:
        return None
    token = (request.form.get("form_token") or "").strip()
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
    if random.random() < 0.01:
        db.session.execute(db.delete(FormSubmission).where(FormSubmission.created_at < utcnow() - SUBMISSIONS_KEPT))
    return None


# Endpoints whose posts are never repeats of each other (the login form: a retry is a new attempt).
NOT_CLAIMED = {"auth.login", "auth.set_language"}


def submit_once(form):
    """Kept for older views: the token is claimed before the view runs (claim_form_token). Always None."""
    return None


def remember_result(location: str) -> None:
    """Where a repeat of this submission should be sent (the page of what it created)."""
    claim = g.get("form_submission")
    if claim is not None:
        claim.location = location[:500]


def remember_redirect(response):
    """An after_request hook: a submission that committed and redirects, without remember_result, is remembered.

    Anything of the request not committed by now would be rolled back at its end anyway; the
    location is written in an own short transaction.
    """
    claim = g.get("form_submission")
    if claim is None or not g.get("form_claim_committed"):
        return response
    location = response.headers.get("HX-Redirect") or (
        response.headers.get("Location") if 300 <= response.status_code < 400 else None)
    if not location:
        return response
    try:
        if claim.location:
            return response
        db.session.rollback()
        db.session.execute(db.update(FormSubmission).where(FormSubmission.token == claim.token)
                           .values(location=location[:500]))
        db.session.commit()
    except Exception:  # the answer is already made; a lost location only makes a repeat say "already sent"
        db.session.rollback()
    return response


@event.listens_for(Session, "after_commit")
def _claim_committed(session):
    if has_request_context():
        claim = g.get("form_submission")
        if claim is not None and inspect(claim).persistent:
            g.form_claim_committed = True


def _repeat_answer(token: str):
    """A repeat does nothing. htmx: 204, the page keeps what the first answer put there. A page: sent to where
    the first one led, or back to the page the form was on (it shows what the first one did), with a message."""
    if is_htmx():
        return current_app.response_class(status=204)
    first = db.session.scalar(db.select(FormSubmission).where(FormSubmission.token == token))
    target = first.location if first is not None and first.location else _same_site_referrer()
    if target:
        flash(str(REPEAT_MESSAGE), "info")
        return redirect(target, 303)
    return message_page(REPEAT_MESSAGE, 409)


def _same_site_referrer() -> str | None:
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/") or parts.path == request.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


_CSRF_INPUT = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>(?!\s*<input[^>]*\bname="form_token")')


def add_form_tokens(response):
    """An after_request hook: every form of every page carries a one-time token, whoever wrote its template.

    Put after each CSRF input that has no token next to it: a hand-written `<input name="csrf_token" …>`,
    the `csrf()` macro, a form class that is not an `oms.forms.Form`. New sections get it by doing nothing.
    """
    if response.mimetype != "text/html" or response.direct_passthrough or response.status_code == 204:
        return response
    html = response.get_data(as_text=True)
    if 'name="csrf_token"' not in html:
        return response
    response.set_data(_CSRF_INPUT.sub(lambda m: m.group(0) + str(form_token_input()), html))  # str: no escaping
    return response


# ---- one delete per row --------------------------------------------------------------------

def lock_deleted_rows(session, flush_context, instances):
    """Before a flush deletes rows: lock them (PostgreSQL waits for a request deleting them at the same time).

    If every row of the flush's deletes is gone, another request deleted them meanwhile:
    this one ends with 404 and keeps nothing (so one delete, one audit entry).
    Registered first among the before_flush hooks, before the audit trail notes anything.
    """
    rows = {}
    for obj in session.deleted:
        state = inspect(obj)
        pk = state.mapper.primary_key
        if state.identity is None or len(pk) != 1 or type(obj).__name__ in NOT_LOCKED:
            continue
        rows.setdefault(pk[0], set()).add(state.identity[0])
    if not rows:
        return
    found = 0
    for column, ids in sorted(rows.items(), key=lambda kv: kv[0].table.name):  # one order: no deadlock
        present = session.connection().execute(
            select(column).where(column.in_(sorted(ids))).order_by(column).with_for_update()).scalars().all()
        found += len(present)
    if found == 0:
        raise AlreadyDeleted()


NOT_LOCKED = {"FormSubmission", "AuthSession", "PasswordLink"}


class AlreadyDeleted(NotFound):
    """The rows a request meant to delete were deleted by another one meanwhile."""

    description = _l("Запись уже удалена.")


event.listen(Session, "before_flush", lock_deleted_rows, insert=True)


def delete_rows(statement) -> int:
    """A bulk delete that stands for one delete the user asked for: nothing matched (deleted meanwhile) is a 404."""
    result = db.session.execute(statement)
    if result.rowcount == 0:
        raise AlreadyDeleted()
    return result.rowcount
