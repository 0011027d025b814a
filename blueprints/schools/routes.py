import io

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from blueprints.people.links import body_url
from oms.audit import record_and_commit
from oms.extensions import db
from oms.models import Body, Person, School
from oms.models.base import search_filter
from oms.models.people import CATEGORIES, SCHOOL_KINDS, SITE_FLAGS
from oms.permissions import require
from oms.tenancy import current_tenant
from blueprints.people.render import page_or_partial
from oms.xlsx import content_disposition, row_values

from . import bp
from .forms import SchoolForm

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SITE_FILTERS = {code: label for code, label in SITE_FLAGS.items()}


@bp.before_request
def district_members_only():
    require("district.view")


def _filters(args) -> dict:
    f = {"q": (args.get("q") or "").strip()[:100], "kind": args.get("kind") or "", "site": args.get("site") or "",
         "low": args.get("low") or ""}
    f["kind"] = f["kind"] if f["kind"] in SCHOOL_KINDS else ""
    f["site"] = f["site"] if f["site"] in SITE_FLAGS else ""
    f["low"] = "1" if f["low"] == "1" else ""
    return f


def _schools_query(f: dict):
    stmt = School.scoped()
    if f["q"]:
        stmt = stmt.where(*search_filter(School, f["q"]))
    if f["kind"]:
        stmt = stmt.where(School.kind == f["kind"])
    if f["site"]:
        stmt = stmt.where(getattr(School, f"is_{f['site']}_site").is_(True))
    if f["low"]:
        stmt = stmt.where(School.low_results.is_(True))
    return stmt.order_by(School.name_key, School.id)


def _people_counts(school_ids) -> dict[int, int]:
    if not school_ids:
        return {}
    rows = db.session.execute(Person.scoped().with_only_columns(Person.school_id, func.count(Person.id))
                              .where(Person.school_id.in_(school_ids)).group_by(Person.school_id)).all()
    return dict(rows)


@bp.route("/")
def index():
    f = _filters(request.args)
    page = db.paginate(_schools_query(f), page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    counts = _people_counts([s.id for s in page.items])
    return page_or_partial("schools/index.html", "schools/_table.html", page=page, f=f, counts=counts,
                                  active=any(f.values()), SCHOOL_KINDS=SCHOOL_KINDS, SITE_FLAGS=SITE_FLAGS)


@bp.route("/export.xlsx")
def export():
    require("people.export")
    f = _filters(request.args)
    schools = db.session.scalars(_schools_query(f)).all()
    counts = _people_counts([s.id for s in schools])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Организации")
    header = ["№", "Полное название", "Краткое название", "Тип", "Адрес", "Руководитель", "Площадки",
              "Низкие или необъективные результаты", "Педагогов в базе"]
    for i, width in enumerate((6, 60, 30, 22, 50, 30, 50, 18, 12)):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    ws.append(row_values(header))
    for n, s in enumerate(schools, start=1):
        sites = "; ".join(_site_text(s, code) for code in s.site_flags)
        low = f"да ({s.low_results_year})" if s.low_results and s.low_results_year else (
            "да" if s.low_results else "нет")
        ws.append(row_values([n, s.name, s.short_name, SCHOOL_KINDS.get(s.kind, s.kind), s.address, s.head, sites,
                              low, counts.get(s.id, 0)]))
    buf = io.BytesIO()
    wb.save(buf)
    # A GET reads in a deferred transaction: end it, so the audit write starts a fresh one (SQLite locking).
    db.session.commit()
    record_and_commit("export", summary=f"Образовательные организации: {len(schools)} записей в XLSX")
    db.session.commit()
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(f"Образовательные организации {current_tenant.name}.xlsx")
    return response


def _site_text(school: School, code: str) -> str:
    parts = [SITE_FLAGS[code]]
    year = getattr(school, f"{code}_site_year")
    topic = getattr(school, f"{code}_site_topic")
    if year:
        parts.append(f"с {year} г.")
    if topic:
        parts.append(f"«{topic}»")
    return " ".join(parts)


def _plan_items(school: School):
    """Plan items held at the school, when the plan feature provides them (None: no plan feature).

    Returns (item, academic year label, link) triples, newest plan first.
    """
    try:
        from oms.models.plan import PlanItem
    except ImportError:
        return None
    if not hasattr(PlanItem, "venue_school_id"):
        return None
    stmt = PlanItem.scoped().where(PlanItem.venue_school_id == school.id)
    if hasattr(PlanItem, "plan"):
        stmt = stmt.options(joinedload(PlanItem.plan))
    items = db.session.scalars(stmt.order_by(PlanItem.plan_id.desc(), PlanItem.id).limit(200)).all()
    out = []
    for item in items:
        plan = getattr(item, "plan", None) if hasattr(PlanItem, "plan") else None
        out.append((item, getattr(plan, "label", ""), _plan_item_url(item, plan)))
    return out


def _plan_item_url(item, plan) -> str | None:
    year = getattr(plan, "year_slug", None)
    if year and "plan.show" in current_app.view_functions:
        return url_for("plan.show", year=year) + f"#item-{item.id}"
    return None


@bp.route("/<int:school_id>")
def detail(school_id: int):
    school = School.get_or_404(school_id)
    people = db.session.scalars(Person.scoped().where(Person.school_id == school.id)
                                .order_by(Person.name_key, Person.id)).all()
    bodies = db.session.scalars(Body.scoped().where(Body.school_id == school.id).order_by(Body.position, Body.name)).all()
    return render_template("schools/detail.html", school=school, people=people, bodies=bodies,
                           plan_items=_plan_items(school), body_url=body_url, SCHOOL_KINDS=SCHOOL_KINDS,
                           SITE_FLAGS=SITE_FLAGS, CATEGORIES=CATEGORIES)


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("schools.edit")
    form = SchoolForm()
    if form.validate_on_submit():
        school = School(tenant_id=current_tenant.id)
        form.fill(school)
        db.session.add(school)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.name.errors.append("Организация с таким названием уже есть.")
        else:
            flash(f"Организация «{school.label}» добавлена.", "success")
            return redirect(url_for("schools.detail", school_id=school.id))
    status = 422 if request.method == "POST" else 200
    return render_template("schools/form.html", form=form, school=None), status


@bp.route("/<int:school_id>/edit", methods=["GET", "POST"])
def edit(school_id: int):
    require("schools.edit")
    school = School.get_or_404(school_id)
    form = SchoolForm(obj=school, school=school)
    if form.validate_on_submit():
        if form.submitted_version() != school.version:
            return _conflict(form, school)
        form.fill(school)
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            return _conflict(form, School.get_or_404(school_id))
        except IntegrityError:
            db.session.rollback()
            form.name.errors.append("Организация с таким названием уже есть.")
        else:
            flash("Изменения сохранены.", "success")
            return redirect(url_for("schools.detail", school_id=school.id))
    if request.method == "GET":
        form.version.data = school.version
    status = 422 if request.method == "POST" else 200
    return render_template("schools/form.html", form=form, school=school), status


def _conflict(form: SchoolForm, school: School):
    current = [("Полное название", school.name), ("Краткое название", school.short_name),
               ("Тип", SCHOOL_KINDS.get(school.kind, "")), ("Адрес", school.address), ("Руководитель", school.head)]
    current += [(SITE_FLAGS[code], _site_text(school, code) if code in school.site_flags else "нет")
                for code in SITE_FLAGS]
    current.append(("Низкие результаты", f"да ({school.low_results_year})" if school.low_results else "нет"))
    form.version.data = school.version
    return render_template("schools/form.html", form=form, school=school, conflict=current), 409


def _blockers(school: School) -> list[str]:
    sid = school.id
    people, bodies = db.session.execute(db.select(
        Person.scoped().with_only_columns(func.count()).where(Person.school_id == sid).scalar_subquery(),
        Body.scoped().with_only_columns(func.count()).where(Body.school_id == sid).scalar_subquery(),
    )).one()
    out = []
    if people:
        out.append(f"в ней работают педагоги из базы ({people}) — переведите их в другую организацию или удалите")
    if bodies:
        out.append(f"к ней относятся объединения или советы ({bodies})")
    items = _plan_items(school)
    if items:
        out.append(f"в ней проводятся мероприятия плана ({len(items)})")
    return out


@bp.route("/<int:school_id>/delete", methods=["GET", "POST"])
def delete(school_id: int):
    require("schools.edit")
    school = School.get_or_404(school_id)
    blockers = _blockers(school)
    if request.method == "POST" and not blockers:
        label = school.label
        db.session.delete(school)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            school = School.get_or_404(school_id)
            blockers = ["на организацию ссылаются другие данные"]
        else:
            flash(f"Организация «{label}» удалена.", "success")
            return redirect(url_for("schools.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("schools/delete.html", school=school, blockers=blockers), status
