"""The documents list (search, filters, pages), a document with its versions and files, its forms, the
required-documents checklist and the inventory (опись) as XLSX."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, or_, select
from sqlalchemy.orm import joinedload

from blueprints.people import records
from oms import clock
from oms.concurrency import remember_result, submit_once
from oms.extensions import db
from oms.files import send, store
from oms.formatting import academic_year
from oms.models import Body, Direction, Function
from oms.models.base import search_filter
from oms.models.documents import (COLLECTIONS, KINDS, LEVELS, STATUSES, VISIBILITY, Document, DocumentFile)
from oms.permissions import can, require
from oms.services import documents as svc
from oms.services.plans import current_start_year, parse_year_slug, year_slug
from oms.tenancy import current_tenant
from oms.views import render_page_or_partial
from oms.xlsx import row_values

from . import bp
from .forms import DocumentForm, VersionForm

PER_PAGE = 30
LIST_STATUSES = {"": None, "active": STATUSES["active"], "pending": STATUSES["pending"],
                 "lapsed": STATUSES["lapsed"], "all": None}


@bp.before_request
def district_members_only():
    require("district.view")


def may_manage() -> bool:
    return can("documents.manage")


def document_or_404(document_id) -> Document:
    """The district's document, if this user may see it; 404 otherwise (no hint that it exists)."""
    doc = Document.get_or_404(document_id)
    if not svc.is_visible(doc, may_manage()):
        abort(404)
    return doc


def _filters() -> dict:
    args = request.args
    f = {"q": (args.get("q") or "").strip()[:100], "collection": args.get("collection") or "",
         "kind": args.get("kind") or "", "status": args.get("status") or ""}
    f["collection"] = f["collection"] if f["collection"] in COLLECTIONS else ""
    f["kind"] = f["kind"] if f["kind"] in KINDS else ""
    f["status"] = f["status"] if f["status"] in LIST_STATUSES else ""
    return f


def _query(f: dict):
    stmt = svc.visible(Document.scoped(), may_manage())
    if f["q"]:
        stmt = stmt.where(*search_filter(Document, f["q"]))
    if f["collection"]:
        stmt = stmt.where(Document.collection == f["collection"])
    if f["kind"]:
        stmt = stmt.where(Document.kind == f["kind"])
    if f["status"] == "":  # the current versions; «Все редакции» shows the history too
        stmt = stmt.where(Document.is_current.is_(True))
    elif f["status"] != "all":
        stmt = svc.with_status(stmt, f["status"], clock.today())
    order = case({code: n for n, code in enumerate(COLLECTIONS)}, value=Document.collection, else_=len(COLLECTIONS))
    return stmt.order_by(order, Document.issued_on.desc().nulls_last(), Document.title, Document.id.desc())


@bp.route("/")
def index():
    f = _filters()
    page = db.paginate(_query(f), page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    return render_page_or_partial("documents/index.html", "documents/_table.html", page=page, f=f,
                                  active=any(f.values()), today=clock.today(), COLLECTIONS=COLLECTIONS,
                                  KINDS=KINDS, STATUSES=STATUSES, LIST_STATUSES=LIST_STATUSES)


@bp.route("/export.xlsx")
def export():
    """The inventory of documents (опись) as filtered on the page."""
    f = _filters()
    docs = db.session.scalars(_query(f).options(joinedload(Document.body))).all()
    day = clock.today()
    header = ["№", "Раздел", "Вид", "Название", "Кем издан", "Номер", "Дата", "Действует с", "Действует по",
              "Статус", "Редакция", "Регулирует", "Партнёр"]
    wb, ws = records.new_sheet("Опись документов", header, (6, 24, 20, 60, 30, 12, 12, 12, 12, 16, 10, 30, 30))
    from oms.text import in_russian

    for n, d in enumerate(docs, start=1):
        ws.append(row_values([n, in_russian(COLLECTIONS.get(d.collection, "")), in_russian(KINDS.get(d.kind, "")),
                              d.title, d.issuer, d.number, _ru(d.issued_on), _ru(d.valid_from), _ru(d.valid_to),
                              in_russian(STATUSES[d.status(day)]), d.version_no, d.body.name if d.body else "",
                              d.partner]))
    return records.xlsx_response(wb, f"Опись документов {current_tenant.name}.xlsx",
                                 audit_summary=f"Опись документов: {len(docs)} записей в XLSX")


def _ru(day) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


@bp.route("/checklist")
def checklist():
    start = parse_year_slug(request.args.get("year", "")) or svc.default_checklist_year(clock.today())
    rows = svc.checklist(current_tenant, start, clock.today())
    counts = {s: sum(1 for r in rows if r.status == s) for s in svc.CHECK_STATUSES}
    from oms.services.plans import district_plans

    approved = {p.start_year for p in district_plans() if p.is_approved}
    return render_template("documents/checklist.html", rows=rows, counts=counts, start=start, approved=approved,
                           year_label=academic_year(start), prev_year=year_slug(start - 1),
                           next_year=year_slug(start + 1), may_manage=may_manage(), year_slug=year_slug)


@bp.route("/checklist/analysis", methods=["POST"])
def store_analysis():
    """The analysis of a year's approved plan, kept as that year's analysis document (from the checklist)."""
    require("documents.manage")
    from oms.services.plans import find_plan

    start = parse_year_slug(request.form.get("year", ""))
    plan = find_plan(start) if start else None
    if plan is None or not plan.is_approved:
        flash(_("Анализ можно сохранить только для утверждённого плана."), "error")
        return redirect(url_for(".checklist"))
    doc = svc.store_analysis_document(plan, current_tenant, clock.today(), current_user)
    db.session.commit()
    flash(_("Анализ выполнения плана за %(year)s сохранён как документ.", year=plan.label), "success")
    return redirect(url_for(".detail", document_id=doc.id))


@bp.route("/<int:document_id>/")
def detail(document_id: int):
    doc = document_or_404(document_id)
    versions = [v for v in svc.history(doc) if svc.is_visible(v, may_manage())]
    files = db.session.scalars(DocumentFile.scoped().where(DocumentFile.document_id.in_([v.id for v in versions]))
                               .order_by(DocumentFile.id)).all()
    files_of = {}
    for file in files:
        files_of.setdefault(file.document_id, []).append(file)
    tags = db.session.execute(select(Direction.name, Function.clause, Function.text, Body.name)
                              .select_from(Document).where(Document.id == doc.id)
                              .outerjoin(Direction, Direction.id == Document.direction_id)
                              .outerjoin(Function, Function.id == Document.function_id)
                              .outerjoin(Body, Body.id == Document.body_id)).one()
    return render_template("documents/detail.html", doc=doc, versions=versions, files_of=files_of, tags=tags,
                           today=clock.today(), COLLECTIONS=COLLECTIONS, KINDS=KINDS, LEVELS=LEVELS,
                           STATUSES=STATUSES, VISIBILITY=VISIBILITY, academic_year=academic_year)


@bp.route("/<int:document_id>/files/<int:document_file_id>")
def download(document_id: int, document_file_id: int):
    doc = document_or_404(document_id)
    file = DocumentFile.get_or_404(document_file_id)
    if file.document_id != doc.id:
        abort(404)
    return send(file)


# ---- forms ----------------------------------------------------------------------------------------

def _set_choices(form) -> None:
    directions = db.session.execute(Direction.scoped().with_only_columns(Direction.id, Direction.name)
                                    .order_by(Direction.position, Direction.id)).all()
    form.direction_id.set_choices([(i, name) for i, name in directions])
    functions = db.session.execute(Function.scoped().with_only_columns(Function.id, Function.clause, Function.text)
                                   .order_by(Function.position, Function.id)).all()
    form.function_id.set_choices([(i, f"{clause} {text[:90]}".strip()) for i, clause, text in functions])
    bodies = db.session.execute(Body.scoped().with_only_columns(Body.id, Body.name)
                                .where(Body.school_id.is_(None)).order_by(Body.position, Body.name)).all()
    form.body_id.set_choices([(i, name) for i, name in bodies])
    partners = current_tenant.partner_list
    if form.partner.data and form.partner.data not in partners and request.method == "GET":
        partners = partners + [form.partner.data]  # a partner removed from the profile stays on its agreements
    form.partner.choices = [form.partner.choices[0]] + [(p, p) for p in partners]
    titles = svc.requirement_titles(current_tenant)
    if form.requirement.data and form.requirement.data not in titles and request.method == "GET":
        titles = titles + [form.requirement.data]
    form.requirement.choices = [form.requirement.choices[0]] + [(t, t) for t in titles]


def _save_files(form, doc: Document) -> None:
    for upload in form.attachments.uploads:
        db.session.add(store(DocumentFile(tenant_id=doc.tenant_id, document_id=doc.id), upload))


def _prefill_from_requirement(form) -> None:
    """«Добавить» from the checklist: the required entry (by its number), and the year of a yearly one."""
    index = request.args.get("requirement", type=int)
    req = next((r for r in svc.requirements(current_tenant) if r.index == index), None)
    if req is None:
        return
    form.collection.data, form.kind.data, form.title.data, form.requirement.data = "service", req.kind, req.title, \
        req.title
    if req.is_yearly:
        form.school_year.data = req.year_for(parse_year_slug(request.args.get("year", "")) or current_start_year())


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("documents.manage")
    form = DocumentForm()
    if request.method == "GET":
        form.collection.data = request.args.get("collection") if request.args.get("collection") in COLLECTIONS \
            else "service"
        form.visibility.data = "service" if form.collection.data == "service" else "district"
        _prefill_from_requirement(form)
    _set_choices(form)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        doc = Document(tenant_id=current_tenant.id, created_by_id=current_user.id)
        form.fill(doc)
        db.session.add(doc)
        db.session.flush()
        _save_files(form, doc)
        remember_result(url_for(".detail", document_id=doc.id))
        db.session.commit()
        flash(_("Документ «%(title)s» добавлен.", title=doc.title), "success")
        return redirect(url_for(".detail", document_id=doc.id))
    return render_template("documents/form.html", form=form, doc=None, mode="new"), records.form_status()


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):
    require("documents.manage")
    doc = Document.get_or_404(document_id)
    form = DocumentForm(obj=doc)
    _set_choices(form)
    if form.validate_on_submit():
        try:
            saved = records.save(form, doc, "title", "")
        except records.Stale as stale:
            return render_template("documents/form.html", form=form, doc=doc, mode="edit",
                                   conflict=stale.conflict), 409
        if saved:
            _save_files(form, doc)
            db.session.commit()
            flash(_("Изменения сохранены."), "success")
            return redirect(url_for(".detail", document_id=doc.id))
    return render_template("documents/form.html", form=form, doc=doc, mode="edit"), records.form_status()


@bp.route("/<int:document_id>/version", methods=["GET", "POST"])
def new_version(document_id: int):
    """A new version (редакция) of the document: it replaces the current one, which then «утратил силу»."""
    require("documents.manage")
    old = Document.get_or_404(document_id)
    if not old.is_current:
        current = db.session.scalar(Document.scoped().where(
            or_(Document.id == old.root_id, Document.lineage_id == old.root_id), Document.is_current.is_(True)))
        if current is not None:
            return redirect(url_for(".new_version", document_id=current.id))
    draft = svc.new_version_of(old)
    form = VersionForm(obj=draft if request.method == "GET" else None)
    if request.method == "GET":
        form.number.data, form.issued_on.data, form.valid_from.data, form.valid_to.data = "", None, None, None
    _set_choices(form)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        form.fill(draft)
        draft.created_by_id = current_user.id
        db.session.add(draft)
        db.session.flush()
        svc.supersede(old, draft)
        _save_files(form, draft)
        remember_result(url_for(".detail", document_id=draft.id))
        db.session.commit()
        flash(_("Новая редакция сохранена; предыдущая утратила силу."), "success")
        return redirect(url_for(".detail", document_id=draft.id))
    return render_template("documents/form.html", form=form, doc=old, mode="version"), records.form_status()


@bp.route("/<int:document_id>/delete", methods=["GET", "POST"])
def delete(document_id: int):
    """Delete the document with all its versions and files (after a confirmation page)."""
    require("documents.manage")
    doc = Document.get_or_404(document_id)
    root = Document.get_or_404(doc.root_id)
    versions = svc.history(root)
    if request.method == "POST":
        title = root.title
        for version in versions:
            if version.id != root.id:
                db.session.delete(version)
        db.session.flush()
        if records.delete(root):
            flash(_("Документ «%(title)s» удалён.", title=title), "success")
            return records.go(url_for(".index"))
        abort(409)
    return render_template("documents/delete.html", doc=root, versions=versions)


@bp.route("/<int:document_id>/files/<int:document_file_id>/delete", methods=["POST"])
def delete_file(document_id: int, document_file_id: int):
    require("documents.manage")
    doc = Document.get_or_404(document_id)
    file = DocumentFile.get_or_404(document_file_id)
    if file.document_id != doc.id:
        abort(404)
    name = file.filename
    db.session.delete(file)
    db.session.commit()
    flash(_("Файл «%(name)s» удалён.", name=name), "success")
    return records.go(url_for(".detail", document_id=doc.id))
