"""The district admin downloads all of the district's data as one archive."""
from flask import Response, render_template, stream_with_context
from flask_babel import lazy_gettext as _l

from blueprints.audit.labels import object_label
from oms.audit import record_and_commit
from oms.extensions import db
from oms.models.base import utcnow
from oms.permissions import require
from oms.tenancy import current_tenant
from oms.xlsx import content_disposition

from . import bp
from .archive import archive_chunks, district_tables, row_counts

TABLE_LABELS = {"user": _l("Пользователи"), "audit_event": _l("Журнал действий")}


@bp.before_request
def admins_only():
    require("district.export")


@bp.route("/")
def index():
    counts = row_counts(current_tenant.id)
    tables = sorted(((_table_label(t.name), counts[t.name]) for t in district_tables()), key=lambda t: t[0])
    return render_template("dataexport/index.html", tables=tables)


def _table_label(name: str) -> str:
    if name in TABLE_LABELS:
        return str(TABLE_LABELS[name])
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is not None and mapper.local_table.name == name:
            return object_label(mapper.class_.__name__)
    return name


@bp.route("/archive.zip")
def archive():
    tenant = current_tenant._get_current_object()
    record_and_commit("export", tenant, summary="Архив всех данных района")
    if db.engine.dialect.name == "postgresql":
        # One snapshot for every table (SQLite's read transaction already is one).
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    response = Response(stream_with_context(archive_chunks(tenant)), mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(f"oms-{tenant.slug}-{utcnow():%Y-%m-%d}.zip")
    return response
