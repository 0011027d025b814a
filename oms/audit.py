"""Recording the audit trail.

Model changes are recorded in one place, a before_flush hook, so no view can
forget them; logins, denials, exports and imports are recorded explicitly.
Secrets never enter the trail, and user text is stored as data (JSON), never
spliced into a message format, so it cannot forge entries.
"""
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import LargeBinary, event, inspect
from sqlalchemy.orm import Session

from .extensions import db
from .models.audit import AuditEvent

SECRET_FIELDS = {"password_hash", "token_digest"}
# Machinery rather than the district's records. An import batch holds a copy of an uploaded sheet, which the
# trail must not keep; the import itself is recorded as one "import" entry. A survey's answers are never recorded:
# an entry would put the user and the moment next to an anonymous answer (see oms/models/surveys.py).
NOT_AUDITED = {"AuditEvent", "AuthSession", "PasswordLink", "FormSubmission", "ImportBatch", "SurveyResponse",
               "SurveyRespondent", "SurveyLink", "NoticeRead",
               "OutboxMail"}
NOISE_FIELDS = {"updated_at", "version", "last_login_at", "search_key", "name_key",
                "content"}  # a stored file's bytes (oms.models.files): its name, type, size and hash are recorded


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _actor():
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.email
    return None, ""


def _address() -> str:
    return (request.remote_addr or "")[:64] if has_request_context() else ""


def _tenant_id_of(obj):
    tenant_id = getattr(obj, "tenant_id", None)
    if tenant_id is None and type(obj).__name__ == "Tenant":
        tenant_id = obj.id
    if tenant_id is None and has_request_context():
        tenant_id = g.get("tenant_id")
    return tenant_id


def record(action: str, obj=None, summary: str = "", changes: dict | None = None,
           tenant_id=None, user=None) -> AuditEvent:
    user_id, email = (user.id, user.email) if user is not None else _actor()
    if tenant_id is None and obj is not None:
        tenant_id = _tenant_id_of(obj)
    if tenant_id is None and has_request_context():
        tenant_id = g.get("tenant_id")
    entry = AuditEvent(
        tenant_id=tenant_id, user_id=user_id, user_email=email, action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None), summary=(summary or "")[:300],
        changes=_plain(changes or {}), address=_address(),
    )
    db.session.add(entry)
    return entry


def annotate(obj, **fields) -> None:
    """Fields written into `obj`'s next audit entry besides its own columns: what a delete takes along, say.

    Values are stored as they are given (Russian text for the trail), so pass plain data.
    """
    db.session.info.setdefault("audit_notes", {})[id(obj)] = _plain(fields)


def record_and_commit(action: str, obj=None, summary: str = "", **kwargs) -> AuditEvent:
    """Record and commit in a transaction of its own: for GET handlers such as downloads.

    A GET reads in a deferred SQLite transaction; writing into it later can
    fail with "database is locked" when another writer got in between. Ending
    the read transaction first makes the entry's transaction start with its write.
    """
    db.session.commit()
    entry = record(action, obj, summary=summary, **kwargs)
    db.session.commit()
    return entry


def record_denial(action: str, obj=None) -> None:
    db.session.rollback()  # nothing of the refused request is kept; the entry starts its own write
    record("denied", obj, summary=action)
    db.session.commit()


def _column_changes(obj, new: bool) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in NOISE_FIELDS or key == "id" or isinstance(attr.columns[0].type, LargeBinary):
            continue  # a stored file's bytes never go into the trail (its name, size and hash do)
        hist = state.attrs[key].history
        if new:
            value = getattr(obj, key)
            if isinstance(value, (bytes, bytearray, memoryview)):
                continue  # a stored file's content: its name, type, size and hash are recorded instead
            if value not in (None, "", [], {}):
                out[key] = "***" if key in SECRET_FIELDS else [None, _plain(value)]
        elif hist.has_changes():
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if key in SECRET_FIELDS:
                out[key] = "***"
            elif before != after:
                out[key] = [_plain(before), _plain(after)]
    return out


class AppendOnlyError(RuntimeError):
    """Something tried to change or remove an audit entry."""


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_rewrites(state):
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is AuditEvent:
        raise AppendOnlyError("the audit trail is append-only")


@event.listens_for(Session, "before_flush")
def _audit_changes(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyError("the audit trail is append-only")
    notes = session.info.pop("audit_notes", {})
    if not session.info.get("audit", True):
        return
    pending = []
    for obj in list(session.new):
        if type(obj).__name__ not in NOT_AUDITED:
            pending.append(("create", obj, _column_changes(obj, True) | notes.get(id(obj), {})))
    for obj in list(session.dirty):
        if type(obj).__name__ in NOT_AUDITED or not session.is_modified(obj, include_collections=False):
            continue
        changes = _column_changes(obj, False) | notes.get(id(obj), {})
        if changes:
            pending.append(("update", obj, changes))
    for obj in list(session.deleted):
        if type(obj).__name__ not in NOT_AUDITED:
            pending.append(("delete", obj, notes.get(id(obj), {})))
    session.info.setdefault("audit_pending", []).extend(pending)


@event.listens_for(Session, "after_flush_postexec")
def _write_audit(session, flush_context):
    # Written after the flush so new rows have their ids; commit flushes again.
    pending = session.info.pop("audit_pending", None)
    if not pending:
        return
    user_id, email = _actor()
    for action, obj, changes in pending:
        session.add(AuditEvent(
            tenant_id=_tenant_id_of(obj), user_id=user_id, user_email=email, action=action,
            object_type=type(obj).__name__, object_id=getattr(obj, "id", None),
            summary=str(getattr(obj, "audit_label", "") or "")[:300], changes=changes,
            address=_address(),
        ))
