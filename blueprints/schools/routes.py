from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from blueprints.people import records
from blueprints.people.links import body_url
from blueprints.people.render import page_or_partial
from oms.extensions import db
from oms.models import Body, Person, School
from oms.models.base import search_filter
from oms.models.people import CATEGORY_LABELS, SCHOOL_KIND_LABELS, SCHOOL_KINDS, SITE_FLAG_LABELS, SITE_FLAGS
from oms.permissions import require
from oms.tenancy import current_tenant
from oms.xlsx import row_values

from . import bp
from .forms import SchoolForm

PER_PAGE = 50
DUPLICATE_NAME = _l("Организация с таким названием уже есть.")


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
                           active=any(f.values()), SCHOOL_KINDS=SCHOOL_KIND_LABELS, SITE_FLAGS=SITE_FLAG_LABELS)


@bp.route("/export.xlsx")
def export():
    require("people.export")
    f = _filters(request.args)
    schools = db.session.scalars(_schools_query(f)).all()
    counts = _people_counts([s.id for s in schools])
    header = ["№", "Полное название", "Краткое название", "Тип", "Адрес", "Руководитель", "Площадки",
              "Низкие или необъективные результаты", "Педагогов в базе"]
    wb, ws = records.new_sheet("Организации", header, (6, 60, 30, 22, 50, 30, 50, 18, 12))
    for n, s in enumerate(schools, start=1):
        sites = "; ".join(_site_text(s, code) for code in s.site_flags)
        low = f"да ({s.low_results_year})" if s.low_results and s.low_results_year else (
            "да" if s.low_results else "нет")
        ws.append(row_values([n, s.name, s.short_name, SCHOOL_KINDS.get(s.kind, s.kind), s.address, s.head, sites,
                              low, counts.get(s.id, 0)]))
    return records.xlsx_response(wb, f"Образовательные организации {current_tenant.name}.xlsx",
                                 audit_summary=f"Образовательные организации: {len(schools)} записей в XLSX")


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
                           plan_items=_plan_items(school), body_url=body_url,
                           SCHOOL_KINDS=SCHOOL_KIND_LABELS, SITE_FLAGS=SITE_FLAG_LABELS, CATEGORIES=CATEGORY_LABELS)


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("schools.edit")
    form = SchoolForm()
    if form.validate_on_submit():
        school = School(tenant_id=current_tenant.id)
        if records.save(form, school, "name", DUPLICATE_NAME):
            flash(_("Организация «%(name)s» добавлена.", name=school.label), "success")
            return redirect(url_for("schools.detail", school_id=school.id))
    return render_template("schools/form.html", form=form, school=None), records.form_status()


@bp.route("/<int:school_id>/edit", methods=["GET", "POST"])
def edit(school_id: int):
    require("schools.edit")
    school = School.get_or_404(school_id)
    form = SchoolForm(obj=school, school=school)
    if form.validate_on_submit():
        try:
            saved = records.save(form, school, "name", DUPLICATE_NAME)
        except records.Stale as stale:
            return render_template("schools/form.html", form=form, school=school, conflict=stale.conflict), 409
        if saved:
            flash(_("Изменения сохранены."), "success")
            return redirect(url_for("schools.detail", school_id=school.id))
    return render_template("schools/form.html", form=form, school=school), records.form_status()


def _blockers(school: School) -> list[str]:
    sid = school.id
    people, bodies = db.session.execute(db.select(
        Person.scoped().with_only_columns(func.count()).where(Person.school_id == sid).scalar_subquery(),
        Body.scoped().with_only_columns(func.count()).where(Body.school_id == sid).scalar_subquery(),
    )).one()
    out = []
    if people:
        out.append(_("в ней работают педагоги из базы (%(n)s) — переведите их в другую организацию или удалите",
                     n=people))
    if bodies:
        out.append(_("к ней относятся объединения или советы (%(n)s)", n=bodies))
    items = _plan_items(school)
    if items:
        out.append(_("в ней проводятся мероприятия плана (%(n)s)", n=len(items)))
    return out


@bp.route("/<int:school_id>/delete", methods=["GET", "POST"])
def delete(school_id: int):
    require("schools.edit")
    school = School.get_or_404(school_id)
    blockers = _blockers(school)
    if request.method == "POST" and not blockers:
        label = school.label
        if records.delete(school):
            flash(_("Организация «%(name)s» удалена.", name=label), "success")
            return records.go(url_for("schools.index"))
        school = School.get_or_404(school_id)
        blockers = [_("на организацию ссылаются другие данные")]
    return render_template("schools/delete.html", school=school, blockers=blockers), records.form_status()
