"""A district's documents in open access («открытый доступ»), for visitors without an account:
/public/<district>/documents/ and the files of those documents.

Not a district page (nobody logs in): the district comes from the URL, is made current for the database's
row-level security, and only the current versions of documents marked public are reachable; any other document
or file of the district — or of another district — answers 404. A suspended district answers 404.
"""
from flask import Blueprint, abort, g, render_template, request

from oms import clock, rls
from oms.extensions import db, limiter
from oms.files import send
from oms.models import Tenant
from oms.models.base import search_filter
from oms.models.documents import COLLECTIONS, KINDS, STATUSES, Document, DocumentFile

bp = Blueprint("public_documents", __name__, url_prefix="/public")

PER_PAGE = 30


def _enter(district: str) -> Tenant:
    tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == district))
    if tenant is None or tenant.is_suspended:
        abort(404)
    rls.enter_district(tenant.id)
    g.tenant = tenant
    g.tenant_slug = tenant.slug
    return tenant


def _public():
    return Document.scoped().where(Document.visibility == "public", Document.is_current.is_(True))


@bp.route("/<district:district>/documents/")
@limiter.limit("120 per minute")
def index(district: str):
    tenant = _enter(district)
    q = (request.args.get("q") or "").strip()[:100]
    stmt = _public()
    if q:
        stmt = stmt.where(*search_filter(Document, q))
    stmt = stmt.order_by(Document.issued_on.desc().nulls_last(), Document.title, Document.id.desc())
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    files_of: dict[int, list] = {}
    if page.items:
        for file in db.session.scalars(DocumentFile.scoped().where(
                DocumentFile.document_id.in_([d.id for d in page.items])).order_by(DocumentFile.id)):
            files_of.setdefault(file.document_id, []).append(file)
    return render_template("documents/public.html", tenant=tenant, page=page, q=q, files_of=files_of,
                           today=clock.today(), COLLECTIONS=COLLECTIONS, KINDS=KINDS, STATUSES=STATUSES)


@bp.route("/<district:district>/documents/<int:document_id>/files/<int:document_file_id>")
@limiter.limit("120 per minute")
def download(district: str, document_id: int, document_file_id: int):
    _enter(district)
    doc = db.session.scalar(_public().where(Document.id == document_id))
    file = DocumentFile.get_or_404(document_file_id) if doc is not None else None
    if file is None or file.document_id != doc.id:
        abort(404)
    return send(file)
