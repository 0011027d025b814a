"""Professional deficits: the district's view by competence area, records per person, the catalogue of areas."""
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import joinedload

from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.models import CompetenceArea, Deficit, Person, RouteStep
from oms.models.development import DEFICIT_SOURCES, DEFICIT_STATUSES
from oms.permissions import require
from oms.services.development import ensure_default_areas
from oms.tenancy import current_tenant
from oms.text import clean, fold
from oms.views import render_page_or_partial

from . import bp
from .common import (PER_PAGE, all_schools, choice_arg, form_page, go, list_filters, of_people, one_or_404, page_number,
                     person_or_404, today)
from .forms import AreaForm, DeficitEditForm, DeficitForm

STATUS_FILTERS = {"open": _l("Не закрытые"), "closed": _l("Закрытые"), "all": _l("Все")}


def areas() -> list[CompetenceArea]:
    return db.session.scalars(CompetenceArea.scoped().order_by(CompetenceArea.position, CompetenceArea.name)).all()


# ---- the district's view ------------------------------------------------------------------------

def _filters():
    return list_filters(area=request.args.get("area", type=int), source=choice_arg("source", DEFICIT_SOURCES),
                        status=choice_arg("status", STATUS_FILTERS, "open"))


def _base(f):
    stmt = of_people(Deficit.scoped().join(Person, Person.id == Deficit.person_id), f)
    if f["source"]:
        stmt = stmt.where(Deficit.source == f["source"])
    return stmt


@bp.route("/deficits/")
def deficits():
    require("development.view")
    f = _filters()
    base = _base(f)
    by_area = db.session.execute(
        base.with_only_columns(Deficit.area_id,
                               func.sum(case((Deficit.status == "open", 1), else_=0)),
                               func.sum(case((Deficit.status == "closed", 1), else_=0)),
                               func.count(distinct(case((Deficit.status == "open", Deficit.person_id)))))
        .group_by(Deficit.area_id)).all()
    catalogue = areas()
    counts = {row[0]: {"open": int(row[1] or 0), "closed": int(row[2] or 0), "people": row[3]} for row in by_area}
    top = max((c["open"] for c in counts.values()), default=0)
    summary = sorted(({"area": a, **counts[a.id], "percent": round(100 * counts[a.id]["open"] / top) if top else 0}
                      for a in catalogue if a.id in counts), key=lambda r: (-r["open"], r["area"].position))
    stmt = base
    if f["area"]:
        stmt = stmt.where(Deficit.area_id == f["area"])
    if f["status"] != "all":
        stmt = stmt.where(Deficit.status == f["status"])
    page = db.paginate(stmt.options(joinedload(Deficit.area), joinedload(Deficit.person).joinedload(Person.school))
                       .order_by(Deficit.found_on.desc(), Deficit.id.desc()),
                       page=page_number(), per_page=PER_PAGE, error_out=False)
    progress = step_progress([d.id for d in page.items])
    return render_page_or_partial(
        "development/deficits.html", "development/_deficits_list.html", page=page, f=f, summary=summary,
        areas=catalogue, schools=all_schools(), progress=progress, STATUS_FILTERS=STATUS_FILTERS,
        DEFICIT_SOURCES=DEFICIT_SOURCES, DEFICIT_STATUSES=DEFICIT_STATUSES,
        filtered=bool(f["q"] or f["area"] or f["school"] or f["source"] or f["status"] != "open"))


def step_progress(deficit_ids) -> dict[int, tuple[int, int]]:
    """(done, live) route steps of each deficit; cancelled steps are left out."""
    if not deficit_ids:
        return {}
    rows = db.session.execute(
        select(RouteStep.deficit_id, func.sum(case((RouteStep.status == "done", 1), else_=0)),
               func.count(RouteStep.id))
        .where(RouteStep.deficit_id.in_(deficit_ids), RouteStep.status != "cancelled")
        .group_by(RouteStep.deficit_id)).all()
    return {r[0]: (int(r[1] or 0), r[2]) for r in rows}


# ---- a person's deficits ------------------------------------------------------------------------

def _area_choices(form):
    form.area_id.set_choices([(a.id, a.name) for a in areas()])


def deficit_or_404(deficit_id) -> Deficit:
    return one_or_404(Deficit, deficit_id,
                      options=[joinedload(Deficit.area), joinedload(Deficit.person).joinedload(Person.school)])


@bp.route("/people/<int:person_id>/deficits/new", methods=["GET", "POST"])
def deficit_new(person_id: int):
    person = person_or_404(person_id)
    require("development.edit")
    form = DeficitForm()
    _area_choices(form)
    if request.method == "GET":
        form.found_on.data = today()
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        deficit = Deficit(tenant_id=current_tenant.id, person_id=person.id, area_id=form.area_id.data,
                          source=form.source.data, found_on=form.found_on.data, note=(form.note.data or "").strip(),
                          status="open")
        db.session.add(deficit)
        db.session.flush()
        remember_result(url_for("development.person", person_id=person.id, _anchor=f"deficit-{deficit.id}"))
        db.session.commit()
        flash(_("Дефицит записан. Добавьте шаги индивидуального маршрута, которые его закроют."), "success")
        return go(url_for("development.person", person_id=person.id, _anchor=f"deficit-{deficit.id}"))
    status = 422 if request.method == "POST" else 200
    return form_page("development/deficit_form.html", "development/_deficit_form.html", status, form=form,
                     person=person, deficit=None, conflict=None, has_area=bool(form.area_id.choices[1:]))


@bp.route("/deficits/<int:deficit_id>/edit", methods=["GET", "POST"])
def deficit_edit(deficit_id: int):
    deficit = deficit_or_404(deficit_id)
    require("development.edit")
    form = DeficitEditForm(obj=deficit) if request.method == "GET" else DeficitEditForm()
    _area_choices(form)
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        live = db.session.scalars(RouteStep.scoped().where(RouteStep.deficit_id == deficit.id,
                                                           RouteStep.status != "cancelled")).all()
        all_done = all(s.status == "done" for s in live)
        if live and form.status.data != ("closed" if all_done else "open"):
            form.status.errors.append(
                _("Статус этого дефицита определяют шаги маршрута: все они выполнены.") if all_done
                else _("Статус этого дефицита определяют шаги маршрута: отметьте шаги выполненными или отмените их."))
        elif (conflict := version_conflict(form, deficit)) is None:
            deficit.area_id = form.area_id.data
            deficit.source = form.source.data
            deficit.found_on = form.found_on.data
            deficit.note = (form.note.data or "").strip()
            if form.status.data != deficit.status:
                deficit.status = form.status.data
                deficit.closed_on = today() if deficit.status == "closed" else None
            conflict = commit_versioned(form, deficit)
            if conflict is None:
                flash(_("Дефицит сохранён."), "success")
                return go(url_for("development.person", person_id=deficit.person_id, _anchor=f"deficit-{deficit.id}"))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("development/deficit_form.html", "development/_deficit_form.html", status, form=form,
                     person=deficit.person, deficit=deficit, conflict=conflict, has_area=True)


@bp.route("/deficits/<int:deficit_id>/delete", methods=["POST"])
def deficit_delete(deficit_id: int):
    deficit = Deficit.get_or_404(deficit_id)
    require("development.edit")
    person_id = deficit.person_id
    db.session.delete(deficit)
    db.session.commit()
    flash(_("Дефицит удалён вместе с шагами маршрута, которые к нему относились."), "success")
    return go(url_for("development.person", person_id=person_id))


# ---- the catalogue of competence areas ----------------------------------------------------------------

def _area_counts() -> dict[int, int]:
    return dict(db.session.execute(
        select(Deficit.area_id, func.count(Deficit.id)).where(Deficit.tenant_id == current_tenant.id)
        .group_by(Deficit.area_id)).all())


def _name_taken(name: str, area_id=None) -> bool:
    stmt = CompetenceArea.scoped().where(CompetenceArea.name_key == fold(name)[:200])
    if area_id:
        stmt = stmt.where(CompetenceArea.id != area_id)
    return db.session.scalar(stmt) is not None


@bp.route("/areas/", methods=["GET", "POST"])
def areas_index():
    require("development.view")
    form = AreaForm()
    status = 200
    if request.method == "POST":
        require("development.edit")
        repeat = submit_once(form)
        if repeat is not None:
            return repeat
        if form.validate_on_submit():
            name = clean(form.name.data)
            if _name_taken(name):
                form.name.errors.append(_("Такая область уже есть в перечне."))
            else:
                area = CompetenceArea(tenant_id=current_tenant.id)
                area.set_name(name)
                area.position = form.position.data if form.position.data is not None else \
                    (max((a.position for a in areas()), default=0) + 1)
                db.session.add(area)
                remember_result(url_for("development.areas_index"))
                db.session.commit()
                flash(_("Область «%(name)s» добавлена.", name=name), "success")
                return go(url_for("development.areas_index"))
        status = 422
    return render_template("development/areas.html", form=form, areas=areas(), counts=_area_counts()), status


@bp.route("/areas/defaults", methods=["POST"])
def areas_defaults():
    require("development.edit")
    added = ensure_default_areas(current_tenant.id)
    db.session.commit()
    flash(_("Добавлено областей из типового перечня: %(n)s.", n=added) if added
          else _("Все области типового перечня уже есть."), "success")
    return go(url_for("development.areas_index"))


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
def area_edit(area_id: int):
    area = CompetenceArea.get_or_404(area_id)
    require("development.edit")
    form = AreaForm(obj=area) if request.method == "GET" else AreaForm()
    if request.method == "POST" and form.validate_on_submit():
        name = clean(form.name.data)
        if _name_taken(name, area.id):
            form.name.errors.append(_("Такая область уже есть в перечне."))
        else:
            area.set_name(name)
            if form.position.data is not None:
                area.position = form.position.data
            db.session.commit()
            flash(_("Область сохранена."), "success")
            return go(url_for("development.areas_index"))
    status = 200 if request.method == "GET" else 422
    return form_page("development/area_edit.html", "development/_area_form.html", status, form=form, area=area)


@bp.route("/areas/<int:area_id>/delete", methods=["POST"])
def area_delete(area_id: int):
    area = CompetenceArea.get_or_404(area_id)
    require("development.edit")
    used = _area_counts().get(area.id, 0)
    if used:
        flash(_("Нельзя удалить «%(name)s»: к ней относятся дефициты (%(n)s). "
                "Сначала перенесите их в другую область.", name=area.name, n=used), "error")
    else:
        db.session.delete(area)
        db.session.commit()
        flash(_("Область «%(name)s» удалена.", name=area.name), "success")
    return go(url_for("development.areas_index"))
