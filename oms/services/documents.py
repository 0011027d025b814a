"""Documents: who sees what, versions, the district's required-documents checklist, the plan's document."""
import functools
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, or_

from ..extensions import db
from ..models.documents import OPEN_VISIBILITY, PRESET_KINDS, YEARLY_KINDS, Document, DocumentFile


def visible(stmt, may_manage: bool):
    """Only what the user may see: the service sees everything, the others what is open to the district."""
    return stmt if may_manage else stmt.where(Document.visibility.in_(OPEN_VISIBILITY))


def is_visible(doc: Document, may_manage: bool) -> bool:
    return may_manage or doc.visibility in OPEN_VISIBILITY


def in_force(today: date):
    return and_(Document.is_current.is_(True), or_(Document.valid_to.is_(None), Document.valid_to >= today),
                or_(Document.valid_from.is_(None), Document.valid_from <= today))


def with_status(stmt, status: str, today: date):
    if status == "active":
        return stmt.where(in_force(today))
    if status == "pending":
        return stmt.where(Document.is_current.is_(True), Document.valid_from > today)
    if status == "lapsed":
        return stmt.where(or_(Document.is_current.is_(False), Document.valid_to < today))
    return stmt


def history(doc: Document) -> list[Document]:
    """Every version of the document, the newest first."""
    root = doc.root_id
    return db.session.scalars(Document.scoped().where(or_(Document.id == root, Document.lineage_id == root))
                              .order_by(Document.version_no.desc(), Document.id.desc())).all()


COPIED = ("collection", "kind", "title", "issuer", "description", "subject", "level", "keywords", "direction_id",
          "function_id", "tag_names", "body_id", "partner", "visibility", "requirement", "school_year")


def refresh_tag_names(doc: Document) -> None:
    """Keep the names of the document's direction and function in its search text."""
    from ..models import Direction, Function

    names = []
    if doc.direction_id:
        names.append(db.session.scalar(db.select(Direction.name).where(Direction.id == doc.direction_id)) or "")
    if doc.function_id:
        names.append(db.session.scalar(db.select(Function.text).where(Function.id == doc.function_id)) or "")
    doc.tag_names = " ".join(n for n in names if n)[:600]


def new_version_of(old: Document) -> Document:
    """A new version prefilled from `old` (not yet added): the same document, a new act and file."""
    doc = Document(tenant_id=old.tenant_id, lineage_id=old.root_id, version_no=old.version_no + 1)
    for name in COPIED:
        setattr(doc, name, getattr(old, name))
    return doc


def supersede(old: Document, new: Document) -> None:
    """`new` replaces `old`: the old one stops being current; if it had no end of validity, it ends the day
    before the new one comes into force."""
    old.is_current = False
    start = new.valid_from or new.issued_on
    if old.valid_to is None and start is not None:
        from datetime import timedelta

        end = start - timedelta(days=1)
        old.valid_to = end if old.valid_from is None or end >= old.valid_from else old.valid_from


# ---- the required documents -------------------------------------------------------------------

@dataclass
class Requirement:
    index: int
    title: str
    kind: str  # our kind code

    @property
    def is_yearly(self) -> bool:
        return self.kind in YEARLY_KINDS

    def year_for(self, start_year: int) -> int | None:
        """The school year whose document this entry wants during `start_year`: the plan of that year, the
        analysis of the year before (it is written when a year ends, and the next plan rests on it)."""
        if not self.is_yearly:
            return None
        return start_year - 1 if self.kind == "analysis" else start_year


@dataclass
class ChecklistRow:
    requirement: Requirement
    status: str  # present / expired / missing
    document: Document | None
    school_year: int | None = None  # of a yearly entry


CHECK_STATUSES = ("present", "expired", "missing")


def requirements(tenant) -> list[Requirement]:
    rows = (tenant.catalogues or {}).get("documents") or []
    out = []
    for i, row in enumerate(rows):
        title = str(row.get("title") or "").strip()
        if title:
            out.append(Requirement(i, title, PRESET_KINDS.get(str(row.get("kind") or "").strip().lower(), "other")))
    return out


def requirement_titles(tenant) -> list[str]:
    return [r.title for r in requirements(tenant)]


def checklist(tenant, start_year: int, today: date) -> list[ChecklistRow]:
    """The district's required list: each entry present (a current document in force), expired (there is one,
    no longer in force) or missing; yearly entries (the plan, the analysis) for the given school year."""
    reqs = requirements(tenant)
    if not reqs:
        return []
    docs = db.session.scalars(
        Document.scoped().where(Document.requirement.in_([r.title for r in reqs]), Document.is_current.is_(True))
        .order_by(Document.issued_on.desc().nulls_last(), Document.id.desc())).all()
    rows = []
    for req in reqs:
        year = req.year_for(start_year)
        mine = [d for d in docs if d.requirement == req.title and (year is None or d.school_year == year)]
        # A yearly document serves its year: the plan of a past year is not «утратил силу» for that year.
        present = next((d for d in mine if year is not None or d.status(today) != "lapsed"), None)
        if present is not None:
            rows.append(ChecklistRow(req, "present", present, year))
        elif mine:
            rows.append(ChecklistRow(req, "expired", mine[0], year))
        else:
            rows.append(ChecklistRow(req, "missing", None, year))
    return rows


def default_checklist_year(today: date) -> int:
    """The current school year; while it has no plan yet, the newest planned one (the demo's 2025/2026)."""
    from ..models import Plan
    from .plans import current_start_year

    current = current_start_year(today)
    years = db.session.scalars(Plan.scoped().with_only_columns(Plan.start_year)
                               .where(Plan.start_year <= current).order_by(Plan.start_year.desc()).limit(1)).all()
    if current in years or not years:
        return current
    return years[0]


# ---- the approved plan becomes the year's plan document ---------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _store_yearly(plan, tenant, kind: str, title: str, filename: str, user=None, **fields) -> Document:
    """The plan's XLSX (the plan sheet and its execution analysis) kept as the year's document of `kind`; one
    stored again for the same year becomes a new version of it. The caller commits."""
    from ..files import Upload, store
    from .plan_export import build_workbook, gather

    data = build_workbook(gather(plan, tenant))
    req = next((r for r in requirements(tenant) if r.kind == kind), None)
    previous = db.session.scalar(
        db.select(Document).where(Document.tenant_id == tenant.id, Document.kind == kind,
                                  Document.school_year == plan.start_year, Document.is_current.is_(True),
                                  Document.requirement == (req.title if req else ""))
        .order_by(Document.id.desc()).limit(1))
    if previous is not None:
        doc = new_version_of(previous)
    else:
        doc = Document(tenant_id=tenant.id, collection="service", kind=kind, requirement=req.title if req else "",
                       school_year=plan.start_year, visibility="district", issuer=tenant.authority or "")
    doc.title, doc.plan_id, doc.created_by_id = title, plan.id, getattr(user, "id", None)
    for name, value in fields.items():
        setattr(doc, name, value)
    db.session.add(doc)
    db.session.flush()
    if previous is not None:
        supersede(previous, doc)
    db.session.add(store(DocumentFile(tenant_id=tenant.id, document_id=doc.id), Upload(filename, XLSX, data)))
    return doc


def store_plan_document(plan, tenant, user=None) -> Document:
    """The approved plan's XLSX, kept as the year's plan document with the approving act's number and date;
    a plan approved again (after reopening) gives a new version of it. The caller commits."""
    from .plan_export import export_filename

    return _store_yearly(plan, tenant, "plan", f"План работы {tenant.service_label} на {plan.label} учебный год",
                         export_filename(plan, tenant), user, number=plan.act_number, issued_on=plan.act_date,
                         valid_from=plan.act_date, valid_to=date(plan.start_year + 1, 8, 31))


def store_analysis_document(plan, tenant, today: date, user=None) -> Document:
    """The execution analysis of an approved plan (its XLSX, whose second sheet is the analysis), kept as the
    year's analysis document. The caller commits."""
    return _store_yearly(plan, tenant, "analysis",
                         f"Анализ выполнения плана работы {tenant.service_label} за {plan.label} учебный год",
                         f"Анализ выполнения плана {tenant.name} {plan.year_slug}.xlsx", user, issued_on=today)


# ---- a body's composition, approved by an order -------------------------------------------------------

def composition_snapshot(body) -> list[dict]:
    """The body's members as they are now, in the order of the members' list (chair first)."""
    from ..models import BodyMember, Person
    from ..models.structure import MEMBER_ROLES

    rows = db.session.execute(
        db.select(Person.last_name, Person.first_name, Person.middle_name, BodyMember.role, BodyMember.role_title)
        .join(Person, Person.id == BodyMember.person_id).where(BodyMember.body_id == body.id)).all()
    order = {code: n for n, code in enumerate(MEMBER_ROLES)}
    rows = sorted(rows, key=lambda r: (order.get(r.role, 99), r.last_name, r.first_name))
    return [{"name": " ".join(p for p in (r.last_name, r.first_name, r.middle_name) if p), "role": r.role,
             "title": r.role_title or ""} for r in rows]


def current_composition(body) -> Document | None:
    return db.session.scalar(
        db.select(Document).where(Document.tenant_id == body.tenant_id, Document.kind == "composition",
                                  Document.body_id == body.id, Document.is_current.is_(True))
        .order_by(Document.id.desc()).limit(1))


def record_composition(body, tenant, number: str, issued_on: date, uploads=(), user=None) -> Document:
    """A change of the body's composition, approved by an order: a new composition document (the body's earlier
    one, if any, is superseded and stays readable with its order and members); the body shows the new order.
    The caller commits."""
    from ..files import store

    previous = current_composition(body)
    req = next((r for r in requirements(tenant) if r.kind == "composition"), None)
    if previous is not None:
        doc = new_version_of(previous)
    else:
        doc = Document(tenant_id=tenant.id, collection="service", kind="composition", body_id=body.id,
                       title=f"Состав: {body.name}", requirement=req.title if req else "", visibility="district",
                       issuer=tenant.authority or "")
    doc.number, doc.issued_on, doc.valid_from = number, issued_on, issued_on
    doc.composition = composition_snapshot(body)
    doc.created_by_id = getattr(user, "id", None)
    db.session.add(doc)
    db.session.flush()
    if previous is not None:
        supersede(previous, doc)
    for upload in uploads:
        db.session.add(store(DocumentFile(tenant_id=tenant.id, document_id=doc.id), upload))
    body.order_number, body.order_date = number, issued_on
    return doc


@functools.cache
def _composition_orders_statement():
    """composition_orders' select, built once (its parameters: tenant_id, body_id)."""
    return (db.select(Document).where(Document.tenant_id == bindparam("tenant_id"), Document.kind == "composition",
                                      Document.body_id == bindparam("body_id"))
            .order_by(Document.is_current.desc(), Document.issued_on.desc().nulls_last(), Document.id.desc()))


def composition_orders(body) -> tuple[list[Document], dict[int, list[DocumentFile]]]:
    """Every composition order of the body, the newest first, with their files (two queries)."""
    docs = db.session.scalars(_composition_orders_statement(), {"tenant_id": body.tenant_id, "body_id": body.id}).all()
    files: dict[int, list[DocumentFile]] = {}
    if docs:
        for file in db.session.scalars(_files_statement(), {"ids": [d.id for d in docs]}):
            files.setdefault(file.document_id, []).append(file)
    return docs, files


@functools.cache
def _files_statement():
    """The files of some documents, a select built once (its parameter: ids)."""
    return (db.select(DocumentFile).where(DocumentFile.document_id.in_(bindparam("ids", expanding=True)))
            .order_by(DocumentFile.id))
