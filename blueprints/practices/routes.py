"""The catalogue, the work lists, the practice card, proposing and editing a practice, its files."""
import functools

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from blueprints.development.common import form_page, go, page_number, school_choices
from oms import clock, files
from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.models import CompetenceArea, Person, School
from oms.models.base import search_filter
from oms.models.people import full_name
from oms.models.plan import academic_start_year
from oms.models.practices import (CONCLUSIONS, KINDS, LEVELS, SOURCES, STATUSES, Practice, PracticeArea, PracticeAuthor,
                                  PracticeFile, PracticePlanItem, PracticeReview)
from oms.permissions import Role, can, require
from oms.services import practices as flow
from oms.tenancy import current_tenant
from oms.text import clean
from oms.views import paginate_rows, render_page_or_partial

from . import bp
from .common import PER_PAGE, allow, practice_or_404, refuse
from .forms import PracticeForm


@functools.cache
def _statements() -> dict:
    """The catalogue's selects, built once (their parameters: tenant_id; ids for a page's authors and areas)."""
    ids = bindparam("ids", expanding=True)
    published = (Practice.tenant_id == bindparam("tenant_id"), Practice.status == "published")
    return {
        "areas": CompetenceArea.scoped_by_param().with_only_columns(CompetenceArea.id, CompetenceArea.name)
        .order_by(CompetenceArea.position, CompetenceArea.name),
        "catalogue": _catalogue_select(Practice.scoped_by_param().where(Practice.status == "published")),
        "authors": select(PracticeAuthor.practice_id, Person.last_name, Person.first_name, Person.middle_name)
        .join(Person, Person.id == PracticeAuthor.person_id).where(PracticeAuthor.practice_id.in_(ids))
        .order_by(PracticeAuthor.practice_id, PracticeAuthor.position),
        "practice_areas": select(PracticeArea.practice_id, CompetenceArea.name)
        .join(CompetenceArea, CompetenceArea.id == PracticeArea.area_id)
        .where(PracticeArea.practice_id.in_(ids)).order_by(PracticeArea.practice_id, PracticeArea.id),
        "subjects": select(Practice.subjects).where(*published, Practice.subjects != "").distinct(),
        "years": select(Practice.start_year).where(*published).distinct(),
    }


def areas() -> list[tuple[int, str]]:
    """The competence areas as (id, name), in the catalogue's order."""
    return [tuple(row) for row in db.session.execute(_statements()["areas"], {"tenant_id": current_tenant.id})]


def _arg_choice(name, allowed) -> str:
    value = request.args.get(name, "")
    return value if value in allowed else ""


def _filters() -> dict:
    return {"q": request.args.get("q", "").strip()[:100], "school": request.args.get("school", type=int),
            "subject": request.args.get("subject", "").strip()[:100], "level": _arg_choice("level", LEVELS),
            "kind": _arg_choice("kind", KINDS), "year": request.args.get("year", type=int),
            "area": request.args.get("area", type=int)}


def _filtered(stmt, f):
    if f["q"]:
        stmt = stmt.where(*search_filter(Practice, f["q"]))
    if f["school"]:
        stmt = stmt.where(Practice.school_id == f["school"])
    if f["subject"]:
        stmt = stmt.where(Practice.subjects.contains(f["subject"], autoescape=True))
    if f["level"]:
        stmt = stmt.where(Practice.level == f["level"])
    if f["kind"]:
        stmt = stmt.where(Practice.kind == f["kind"])
    if f["year"]:
        stmt = stmt.where(Practice.start_year == f["year"])
    if f["area"]:
        stmt = stmt.where(Practice.id.in_(select(PracticeArea.practice_id).where(PracticeArea.area_id == f["area"])))
    return stmt


def _listing(stmt):
    return stmt.options(joinedload(Practice.school),
                        selectinload(Practice.authors).joinedload(PracticeAuthor.person),
                        selectinload(Practice.areas).joinedload(PracticeArea.area))


class _Listed:
    """A practice as the catalogue lists it: the shown columns, its authors' names, its school, its areas."""

    __slots__ = ("id", "title", "annotation", "subjects", "kind", "level", "start_year", "school_label",
                 "author_names", "area_names")

    def __init__(self, row, school_label, author_names, area_names):
        (self.id, self.title, self.annotation, self.subjects, self.kind, self.level, self.start_year) = row[:7]
        self.school_label, self.author_names, self.area_names = school_label, author_names, area_names


def _catalogue_select(stmt):
    """The listed columns of a select of practices, the newest published first."""
    return (stmt.outerjoin(School, School.id == Practice.school_id).with_only_columns(
        Practice.id, Practice.title, Practice.annotation, Practice.subjects, Practice.kind, Practice.level,
        Practice.start_year, School.short_name, School.name)
        .order_by(Practice.published_at.desc(), Practice.id.desc()))


def _catalogue_page(f):
    """A page of the catalogue as filtered by `f`: the listed columns of its practices, then their authors and
    their areas in one query each (no objects loaded)."""
    statements = _statements()
    if any(f.values()):
        stmt = _catalogue_select(_filtered(Practice.scoped().where(Practice.status == "published"), f))
        page = paginate_rows(stmt, page_number(), PER_PAGE)
    else:
        page = paginate_rows(statements["catalogue"], page_number(), PER_PAGE, {"tenant_id": current_tenant.id})
    ids = [row[0] for row in page.items]
    authors, areas_of = {}, {}
    if ids:
        for practice_id, *name in db.session.execute(statements["authors"], {"ids": ids}):
            authors.setdefault(practice_id, []).append(full_name(*name))
        for practice_id, name in db.session.execute(statements["practice_areas"], {"ids": ids}):
            areas_of.setdefault(practice_id, []).append(name)
    page.items = [_Listed(row, row[7] or row[8], authors.get(row[0], []), areas_of.get(row[0], []))
                  for row in page.items]
    return page


def subjects_in_use() -> list[str]:
    rows = db.session.scalars(_statements()["subjects"], {"tenant_id": current_tenant.id}).all()
    return sorted({s.strip() for row in rows for s in row.split(";") if s.strip()})


@bp.route("/")
def index():
    """The catalogue: published practices, searched and filtered."""
    require("district.view")
    f = _filters()
    page = _catalogue_page(f)
    years = db.session.scalars(_statements()["years"], {"tenant_id": current_tenant.id}).all()
    return render_page_or_partial(
        "practices/index.html", "practices/_catalogue.html", page=page, f=f, filtered=any(f.values()),
        schools=school_choices(), areas=areas(), subjects=subjects_in_use(), years=sorted(years, reverse=True),
        LEVELS=LEVELS, KINDS=KINDS)


@bp.route("/work/")
def work():
    """Practices in work: all of them for the methodist and the admin; one's own, one's members' and those
    one reviews for the others."""
    require("district.view")
    status = _arg_choice("status", STATUSES)
    f = _filters()
    stmt = _filtered(Practice.scoped().where(flow.visible_to(current_user)), f)
    if status:
        stmt = stmt.where(Practice.status == status)
    page = db.paginate(_listing(stmt).order_by(Practice.updated_at.desc(), Practice.id.desc()),
                       page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_page_or_partial("practices/work.html", "practices/_work_table.html", page=page, f=f,
                                  status=status, STATUSES=STATUSES, filtered=bool(status or any(f.values())))


@bp.route("/reviews/")
def my_reviews():
    """«На экспертизе у меня»: the reviews assigned to the user."""
    require("district.view")
    person_id = flow.my_person_id(current_user)
    reviews = []
    if person_id is not None:
        reviews = db.session.scalars(
            PracticeReview.scoped().join(Practice, Practice.id == PracticeReview.practice_id)
            .where(PracticeReview.expert_id == person_id, PracticeReview.round == Practice.review_round)
            .options(joinedload(PracticeReview.practice).joinedload(Practice.school))
            .order_by(PracticeReview.submitted_at.is_not(None), PracticeReview.id.desc()).limit(200)).all()
    return render_template("practices/reviews.html", reviews=reviews, has_person=person_id is not None)


# ---- the card ----------------------------------------------------------------------------------

@bp.route("/<int:practice_id>/")
def show(practice_id: int):
    practice = practice_or_404(practice_id, full=True)
    rel = practice.rel
    manager = Role(current_user.role) in flow.MANAGERS
    links = db.session.scalars(
        PracticePlanItem.scoped().where(PracticePlanItem.practice_id == practice.id)
        .options(joinedload(PracticePlanItem.plan_item))).all()
    reviews = practice.current_reviews()
    show_reviews = manager or "author" in rel or "leader" in rel
    return render_template(
        "practices/show.html", practice=practice, rel=rel, actions=flow.available(practice, current_user, rel),
        moves=flow.MOVES, buttons=flow.BUTTONS, reviews=reviews if show_reviews else [],
        my_review=next((r for r in reviews if "expert" in rel and r.expert.user_id == current_user.id), None),
        average=flow.average(reviews), links=links, manager=manager,
        agenda=_agenda_of(practice), CONCLUSIONS=CONCLUSIONS, LEVELS=LEVELS, KINDS=KINDS, SOURCES=SOURCES, STATUSES=STATUSES)


def _agenda_of(practice: Practice):
    """The council meeting the practice is on (through its agenda item), or None."""
    if practice.agenda_item_id is None:
        return None
    from oms.models import AgendaItem, Meeting

    return db.session.execute(
        select(AgendaItem, Meeting).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.id == practice.agenda_item_id, AgendaItem.tenant_id == current_tenant.id)).first()


# ---- proposing and editing -----------------------------------------------------------------------

def _prepare(form: PracticeForm) -> None:
    form.author_ids.first_school_id = db.session.scalar(select(Person.school_id).where(
        Person.user_id == current_user.id, Person.tenant_id == current_tenant.id))
    form.school_id.set_choices(school_choices())
    form.area_ids.choices = areas()


def _leader_check(form: PracticeForm, person_id) -> bool:
    """A leader proposes for themselves or the members of the associations they lead."""
    if Role(current_user.role) != Role.LEADER:
        return True
    others = [p.id for p in form.author_ids.people if p.id != person_id]
    if not others:
        return True
    if person_id is None:
        form.author_ids.errors.append(_("Вы можете предложить практику только членов своих объединений."))
        return False
    from sqlalchemy.orm import aliased

    from oms.models import BodyMember

    lead, member = aliased(BodyMember), aliased(BodyMember)
    led = set(db.session.scalars(select(member.person_id).join(lead, lead.body_id == member.body_id).where(
        lead.person_id == person_id, lead.role.in_(flow.LEAD_ROLES), member.person_id.in_(others))))
    missing = [p.full_name for p in form.author_ids.people if p.id in set(others) - led]
    if missing:
        form.author_ids.errors.append(_("Не член ваших объединений: %(names)s.", names=", ".join(missing)))
        return False
    return True


def _teacher_check(form: PracticeForm, person_id) -> bool:
    """A teacher proposes a practice they are an author of."""
    if Role(current_user.role) != Role.TEACHER:
        return True
    if person_id in {p.id for p in form.author_ids.people}:
        return True
    form.author_ids.errors.append(_("Укажите себя среди авторов: педагог предлагает свою практику."))
    return False


def _fill(practice: Practice, form: PracticeForm) -> None:
    practice.title = clean(form.title.data)
    practice.annotation = (form.annotation.data or "").strip()
    practice.keywords = clean(form.keywords.data)
    practice.subjects = "; ".join(s for s in (clean(x) for x in (form.subjects.data or "").split(";")) if s)[:400]
    practice.level, practice.kind, practice.source = form.level.data, form.kind.data, form.source.data
    practice.links = "\n".join(line.strip() for line in (form.links.data or "").splitlines() if line.strip())
    practice.consent = bool(form.consent.data)
    people = form.author_ids.people
    practice.school_id = form.school_id.data or next((p.school_id for p in people if p.school_id), None)
    practice.authors_text = ", ".join(p.full_name for p in people)[:600]
    keep = {a.person_id: a for a in practice.authors}
    practice.authors = [keep.get(p.id) or PracticeAuthor(tenant_id=practice.tenant_id, person_id=p.id)
                        for p in people]
    for i, author in enumerate(practice.authors):
        author.position = i
    chosen = set(form.area_ids.data or [])
    kept = [a for a in practice.areas if a.area_id in chosen]
    practice.areas = kept + [PracticeArea(tenant_id=practice.tenant_id, area_id=i)
                             for i in sorted(chosen - {a.area_id for a in kept})]
    for upload in form.new_files.uploads:
        row = PracticeFile(tenant_id=practice.tenant_id)
        files.store(row, upload)
        practice.files.append(row)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require("practices.propose")
    person = db.session.scalar(Person.scoped().where(Person.user_id == current_user.id))
    form = PracticeForm()
    _prepare(form)
    if request.method == "GET":
        if person is not None:
            form.author_ids.data = [person.id]
            form.school_id.data = person.school_id
            form.subjects.data = person.subjects
        form.source.data = "self"
        if request.args.get("entry"):  # a contest win proposed to the bank: the form starts filled in
            for name, value in flow.draft_from_win(request.args.get("entry"), current_user).items():
                getattr(form, name).data = value
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit() and _teacher_check(form, person and person.id) \
            and _leader_check(form, person and person.id):
        practice = Practice(tenant_id=current_tenant.id, status="draft", created_by_id=current_user.id,
                            start_year=academic_start_year(clock.today()), authors=[], areas=[], files=[])
        _fill(practice, form)
        db.session.add(practice)
        db.session.flush()
        flow._step(practice, "create", current_user, "draft")
        target = url_for("practices.show", practice_id=practice.id)
        remember_result(target)
        db.session.commit()
        flash(_("Практика сохранена как черновик. Проверьте описание и отправьте её на рассмотрение."), "success")
        return go(target)
    status = 422 if request.method == "POST" else 200
    return form_page("practices/form.html", "practices/_form.html", status, form=form, practice=None,
                     conflict=None)


@bp.route("/<int:practice_id>/edit", methods=["GET", "POST"])
def edit(practice_id: int):
    practice = practice_or_404(practice_id, full=True)
    if not flow.may_edit(practice, current_user, practice.rel):
        refuse("edit", practice)
    if request.method == "GET":
        form = PracticeForm(formdata=None, obj=practice)
        form.author_ids.data = [a.person_id for a in practice.authors]
        form.area_ids.data = [a.area_id for a in practice.areas]
    else:
        form = PracticeForm()
    _prepare(form)
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        person_id = flow.my_person_id(current_user)
        if _teacher_check(form, person_id) and _leader_check(form, person_id):
            conflict = version_conflict(form, practice)
            if conflict is None:
                conflict = commit_versioned(form, practice, lambda: _fill(practice, form))
                if conflict is None:
                    flash(_("Практика сохранена."), "success")
                    return go(url_for("practices.show", practice_id=practice.id))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return form_page("practices/form.html", "practices/_form.html", status, form=form, practice=practice,
                     conflict=conflict)


@bp.route("/<int:practice_id>/delete", methods=["POST"])
def delete(practice_id: int):
    """A draft is deleted with its files (a practice past the proposal stays: it has a history)."""
    practice = practice_or_404(practice_id)
    allow("delete", practice)
    title = practice.title
    db.session.delete(practice)
    db.session.commit()
    flash(_("Черновик «%(title)s» удалён.", title=title), "success")
    return go(url_for("practices.work"))


# ---- files ---------------------------------------------------------------------------------------

def _file_or_404(practice: Practice, file_id) -> PracticeFile:
    row = db.session.scalar(PracticeFile.scoped().where(PracticeFile.id == file_id,
                                                        PracticeFile.practice_id == practice.id))
    if row is None:
        abort(404)
    return row


@bp.route("/<int:practice_id>/files/<int:practice_file_id>")
def file(practice_id: int, practice_file_id: int):
    practice = practice_or_404(practice_id)
    return files.send(_file_or_404(practice, practice_file_id))


@bp.route("/<int:practice_id>/files/<int:practice_file_id>/delete", methods=["POST"])
def file_delete(practice_id: int, practice_file_id: int):
    practice = practice_or_404(practice_id)
    if not flow.may_edit(practice, current_user, practice.rel):
        refuse("edit", practice)
    row = _file_or_404(practice, practice_file_id)
    name = row.filename
    db.session.delete(row)
    db.session.commit()
    flash(_("Файл «%(name)s» удалён.", name=name), "success")
    return go(url_for("practices.show", practice_id=practice.id))


@bp.app_template_global("practices_can")
def practices_can(action: str) -> bool:
    return can(action)


@bp.app_template_global("my_practices")
def my_practices() -> dict:
    """For «Моё»: how many practices the user authored (by status) and how many reviews wait for them."""
    person_id = flow.my_person_id(current_user)
    if person_id is None:
        return {"authored": 0, "waiting": 0}
    authored = db.session.scalar(select(func.count(PracticeAuthor.id)).where(
        PracticeAuthor.person_id == person_id, PracticeAuthor.tenant_id == current_tenant.id))
    waiting = db.session.scalar(
        select(func.count(PracticeReview.id)).join(Practice, Practice.id == PracticeReview.practice_id)
        .where(PracticeReview.expert_id == person_id, PracticeReview.submitted_at.is_(None),
               PracticeReview.round == Practice.review_round, Practice.status == "review",
               PracticeReview.tenant_id == current_tenant.id))
    return {"authored": authored or 0, "waiting": waiting or 0}
