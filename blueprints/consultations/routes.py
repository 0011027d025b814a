"""The journal: list with filters and the quick add, a consultation's card, its form, status, follow-up, files,
statistics, the printable journal and its XLSX."""
import functools
import io

from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import joinedload

from blueprints.development.common import form_page, go, one_or_404, own_person, page_number
from oms import files as stored
from oms.audit import record
from oms.concurrency import commit_versioned, remember_result, submit_once, version_conflict
from oms.extensions import db
from oms.models import (CompetenceArea, Consultation, ConsultationCategory, ConsultationFile, Deficit, Document, Person,
                        Practice, RouteStep, School)
from oms.models.people import short_name
from oms.models.consultations import ASKER_KINDS, CHANNELS, FORMS, STATUSES
from oms.models.development import add_months
from oms.permissions import can, require
from oms.services import consultations as svc
from oms.tenancy import current_tenant
from oms.text import clean, in_russian
from oms.views import paginate_rows, render_page_or_partial
from oms.xlsx import content_disposition, row_values

from . import bp, evidence
from .common import (PER_PAGE, apply, categories, file_counts, fill_choices, filtered, filters, schools,
                     store_files)
from .forms import ConsultationForm, FollowUpForm, QuickForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINT_LIMIT = 3000
LABELS = dict(FORMS=FORMS, CHANNELS=CHANNELS, STATUSES=STATUSES, ASKER_KINDS=ASKER_KINDS)


def _listing(f):
    return filtered(f).options(joinedload(Consultation.consultant), joinedload(Consultation.school),
                               joinedload(Consultation.category))


class _Named:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _Labelled:
    __slots__ = ("label",)

    def __init__(self, label):
        self.label = label


class _ShortNamed:
    __slots__ = ("short_name",)

    def __init__(self, short_name):
        self.short_name = short_name


class ListedConsultation:
    """A consultation as the journal lists it: its shown columns, its category, school and consultant."""

    __slots__ = ("id", "held_at", "topic", "asker_name", "asker_kind", "form", "channel", "status", "category",
                 "school", "consultant")

    def __init__(self, row):
        (self.id, self.held_at, self.topic, self.asker_name, self.asker_kind, self.form, self.channel,
         self.status) = row[:8]
        category_id, category_name, school_id, school_short, school_name, person_id, *names = row[8:]
        self.category = _Named(category_name) if category_id is not None else None
        self.school = _Labelled(school_short or school_name) if school_id is not None else None
        self.consultant = _ShortNamed(short_name(*names)) if person_id is not None else None


def _journal_select(stmt):
    """The journal's listed columns of a select of consultations (category, school and consultant joined), the
    newest first."""
    return (stmt.outerjoin(ConsultationCategory, ConsultationCategory.id == Consultation.category_id)
            .outerjoin(School, School.id == Consultation.school_id)
            .outerjoin(Person, Person.id == Consultation.consultant_id)
            .with_only_columns(Consultation.id, Consultation.held_at, Consultation.topic, Consultation.asker_name,
                               Consultation.asker_kind, Consultation.form, Consultation.channel, Consultation.status,
                               ConsultationCategory.id, ConsultationCategory.name, School.id, School.short_name,
                               School.name, Person.id, Person.last_name, Person.first_name, Person.middle_name)
            .order_by(Consultation.held_at.desc(), Consultation.id.desc()))


@functools.cache
def _whole_journal():
    """The unfiltered journal's select, built once (its parameter: tenant_id)."""
    return _journal_select(Consultation.scoped_by_param())


def _journal_page(f):
    """A page of the journal as filtered by `f`: one select of the listed columns (and its count)."""
    if any(f.values()):
        page = paginate_rows(_journal_select(filtered(f)), page_number(), PER_PAGE)
    else:
        page = paginate_rows(_whole_journal(), page_number(), PER_PAGE, {"tenant_id": current_tenant.id})
    page.items = [ListedConsultation(row) for row in page.items]
    return page


def _new_form(form_class, school_rows=None, category_rows=None, consultants=None):
    form = form_class()
    fill_choices(form, school_rows, category_rows)
    if request.method == "GET":
        form.held_at.data = svc.now().replace(second=0)
        me = own_person()
        if consultants is None and (me is None or me.school_id is not None):
            consultants = svc.consultants(current_tenant.id)
        first = me if me is not None and me.school_id is None else next(iter(consultants), None)
        if first is not None:
            form.consultant_id.data = first.id
    return form


@bp.route("/")
def index():
    require("district.view")
    if not can("consultations.journal"):
        return _mine()
    f = filters()
    page = _journal_page(f)
    school_rows, category_rows, consultants = schools(), categories(), svc.consultants(current_tenant.id)
    quick = _new_form(QuickForm, school_rows, category_rows, consultants) if can("consultations.edit") else None
    return render_page_or_partial(
        "consultations/index.html", "consultations/_list.html", page=page, f=f, quick=quick,
        files=file_counts([c.id for c in page.items]), schools=school_rows, categories=category_rows,
        consultants=consultants, filtered=any(f.values()), **LABELS)


def _mine():
    """A teacher's own consultations and the free slots of consultation days."""
    from .slots import free_slots

    me = own_person()
    mine = [] if me is None else db.session.scalars(
        Consultation.scoped().where(Consultation.asker_person_id == me.id)
        .options(joinedload(Consultation.consultant)).order_by(Consultation.held_at.desc()).limit(50)).all()
    return render_template("consultations/mine.html", person=me, mine=mine, slots=free_slots(), **LABELS)


@bp.route("/quick", methods=["POST"])
def quick_add():
    """The one-line add (htmx): the line comes back empty with the new row listed, or with its errors (422)."""
    require("consultations.edit")
    form = _new_form(QuickForm)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    c = Consultation(tenant_id=current_tenant.id)
    if form.validate_on_submit() and apply(c, form, new=True):
        db.session.add(c)
        evidence.follow(c.plan_item_id)
        remember_result(url_for("consultations.index"))
        db.session.commit()
        flash(_("Консультация записана в журнал."), "success")
        return go(url_for("consultations.index"))
    db.session.rollback()
    return form_page("consultations/new.html", "consultations/_quick.html", 422, quick=form, **LABELS)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require("consultations.edit")
    form = _new_form(ConsultationForm)
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    c = Consultation(tenant_id=current_tenant.id)
    if form.validate_on_submit() and apply(c, form, new=True):
        db.session.add(c)
        store_files(c, form)
        db.session.flush()
        evidence.follow(c.plan_item_id)
        remember_result(url_for("consultations.detail", consultation_id=c.id))
        db.session.commit()
        flash(_("Консультация записана в журнал."), "success")
        return go(url_for("consultations.detail", consultation_id=c.id))
    status = 422 if request.method == "POST" else 200
    if status == 422:
        db.session.rollback()
    return form_page("consultations/form.html", "consultations/_form.html", status, form=form, c=None,
                     conflict=None, **LABELS)


def _card_or_404(consultation_id) -> Consultation:
    return one_or_404(Consultation, consultation_id, options=[
        joinedload(Consultation.consultant), joinedload(Consultation.school), joinedload(Consultation.category),
        joinedload(Consultation.asker), joinedload(Consultation.slot)])


def _may_see(c: Consultation) -> bool:
    if can("consultations.journal"):
        return True
    me = own_person()
    return me is not None and c.asker_person_id == me.id


@bp.route("/<int:consultation_id>/")
def detail(consultation_id: int):
    c = _card_or_404(consultation_id)
    if not _may_see(c):
        abort(403)
    files = db.session.scalars(ConsultationFile.scoped().where(ConsultationFile.consultation_id == c.id)
                               .order_by(ConsultationFile.id)).all()
    follow = _follow_form() if can("consultations.edit") and c.asker_person_id else None
    return render_template("consultations/detail.html", c=c, files=files, follow=follow,
                           recommended=recommendations(c),
                           moves=svc.allowed_moves(c), **LABELS)


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
def edit(consultation_id: int):
    c = _card_or_404(consultation_id)
    require("consultations.edit")
    form = ConsultationForm(obj=c) if request.method == "GET" else ConsultationForm()
    fill_choices(form)
    form.plan_item_id.keep = {c.plan_item_id} if c.plan_item_id else set()  # stays chosen if renamed since
    if request.method == "GET":
        form.status.data = c.status if c.status in ("held", "scheduled") else "held"
    conflict = None
    before = c.plan_item_id
    if request.method == "POST" and form.validate_on_submit():
        conflict = version_conflict(form, c)
        if conflict is None and apply(c, form, new=False):
            store_files(c, form)
            conflict = commit_versioned(form, c, lambda: evidence.follow(before, c.plan_item_id))
            if conflict is None:
                flash(_("Консультация сохранена."), "success")
                return go(url_for("consultations.detail", consultation_id=c.id))
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    if status == 422:
        db.session.rollback()
    return form_page("consultations/form.html", "consultations/_form.html", status, form=form, c=c,
                     conflict=conflict, **LABELS)


@bp.route("/<int:consultation_id>/status", methods=["POST"])
def set_status(consultation_id: int):
    c = Consultation.get_or_404(consultation_id)
    require("consultations.edit")
    try:
        svc.move(c, request.form.get("to", ""))
    except svc.MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return go(url_for("consultations.detail", consultation_id=c.id)), 422
    evidence.follow(c.plan_item_id)
    db.session.commit()
    flash(_("Состояние консультации: %(s)s.", s=STATUSES[c.status]), "success")
    return go(url_for("consultations.detail", consultation_id=c.id))


@bp.route("/<int:consultation_id>/delete", methods=["POST"])
def delete(consultation_id: int):
    c = Consultation.get_or_404(consultation_id)
    require("consultations.edit")
    item_id = c.plan_item_id
    db.session.delete(c)
    evidence.follow(item_id)
    db.session.commit()
    flash(_("Консультация удалена из журнала."), "success")
    return go(url_for("consultations.index"))


def _follow_form() -> FollowUpForm:
    form = FollowUpForm()
    form.area_id.set_choices([(a.id, a.name) for a in db.session.scalars(
        CompetenceArea.scoped().order_by(CompetenceArea.position, CompetenceArea.name))])
    return form


def recommendations(c: Consultation) -> list[tuple[str, str]]:
    """(title, address) of the practice and document a consultation recommends."""
    out = []
    if c.practice_id:
        p = db.session.scalar(Practice.scoped().where(Practice.id == c.practice_id))
        if p is not None:
            out.append((p.title, url_for("practices.show", practice_id=p.id)))
    if c.document_id:
        d = db.session.scalar(Document.scoped().where(Document.id == c.document_id))
        if d is not None:
            out.append((d.title, url_for("documents.detail", document_id=d.id)))
    return out


@bp.route("/<int:consultation_id>/follow-up", methods=["POST"])
def follow_up(consultation_id: int):
    """What the consultation leads to for the teacher: a deficit, or a step of their route."""
    c = Consultation.get_or_404(consultation_id)
    require("consultations.edit")
    if not c.asker_person_id:
        abort(404)
    form = _follow_form()
    if form.validate_on_submit():
        day = c.held_at.date()
        if form.kind.data in ("practice", "document"):
            field = form.practice_id if form.kind.data == "practice" else form.document_id
            if not field.data:
                field.errors.append(field.required_message)  # «Выберите практику из банка.», «Выберите документ.»
            else:
                setattr(c, field.name, field.data)
                db.session.commit()
                flash(_("Рекомендация отправлена педагогу: она видна ему в разделе «Моё»."), "success")
                return go(url_for("consultations.detail", consultation_id=c.id))
        elif form.kind.data == "deficit":
            if not form.area_id.data:
                form.area_id.errors.append(_("Выберите область компетенций."))
            else:
                deficit = Deficit(tenant_id=current_tenant.id, person_id=c.asker_person_id, area_id=form.area_id.data,
                                  source="consultation", found_on=day, status="open",
                                  note=in_russian(_("По итогам консультации: %(t)s", t=c.topic))[:1000])
                db.session.add(deficit)
                db.session.flush()
                c.deficit_id = deficit.id
                db.session.commit()
                flash(_("Дефицит записан педагогу."), "success")
                return go(url_for("consultations.detail", consultation_id=c.id))
        else:
            title = clean(form.title.data) or c.topic
            step = RouteStep(tenant_id=current_tenant.id, person_id=c.asker_person_id, kind="self_study",
                             title=title[:500], due_month=add_months(day, 1), status="planned",
                             deficit_id=c.deficit_id)
            db.session.add(step)
            db.session.flush()
            c.step_id = step.id
            db.session.commit()
            flash(_("Шаг добавлен в индивидуальный маршрут педагога."), "success")
            return go(url_for("consultations.detail", consultation_id=c.id))
    db.session.rollback()
    for errors in form.errors.values():
        for e in errors:
            flash(e, "error")
    for e in [*form.area_id.errors, *form.practice_id.errors, *form.document_id.errors]:
        flash(e, "error")
    return go(url_for("consultations.detail", consultation_id=c.id)), 422


@bp.route("/<int:consultation_id>/files/<int:consultation_file_id>")
def file(consultation_id: int, consultation_file_id: int):
    c = Consultation.get_or_404(consultation_id)
    if not _may_see(c):
        abort(403)
    row = one_or_404(ConsultationFile, consultation_file_id, ConsultationFile.consultation_id == c.id)
    return stored.send(row)


@bp.route("/stats")
def stats():
    require("consultations.journal")
    f = filters()
    return render_template("consultations/stats.html", f=f, s=svc.statistics(filtered(f)), schools=schools(),
                           categories=categories(), consultants=svc.consultants(current_tenant.id), **LABELS)


def _journal_rows(f):
    return db.session.scalars(_listing(f).options(joinedload(Consultation.asker))
                              .order_by(Consultation.held_at, Consultation.id).limit(PRINT_LIMIT)).all()


@bp.route("/journal")
def journal():
    """«Журнал учёта консультаций», ready to print."""
    require("consultations.journal")
    f = filters()
    rows = _journal_rows(f)
    return render_template("consultations/journal.html", rows=rows, f=f, limit=PRINT_LIMIT, **LABELS)


HEADER = ["№", "Дата", "Время", "Форма", "Способ", "Консультант", "Кто обратился", "Категория обратившегося",
          "Образовательная организация", "Тема (вопрос)", "Категория вопроса", "Ответ, рекомендации", "Состояние"]
WIDTHS = [6, 12, 8, 14, 12, 26, 28, 22, 30, 40, 26, 50, 14]


@bp.route("/export.xlsx")
def export():
    require("consultations.journal")
    f = filters()
    rows = _journal_rows(f)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Журнал консультаций")
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append(row_values(HEADER))
    for n, c in enumerate(rows, start=1):
        ws.append(row_values([n, c.held_at.date(), c.held_at.strftime("%H:%M"), in_russian(FORMS[c.form]),
                              in_russian(CHANNELS[c.channel]), c.consultant.full_name if c.consultant else "",
                              c.asker_name, in_russian(ASKER_KINDS.get(c.asker_kind, "")),
                              c.school.name if c.school else "", c.topic, c.category.name if c.category else "",
                              c.answer, in_russian(STATUSES[c.status])]))
    buf = io.BytesIO()
    wb.save(buf)
    db.session.commit()
    record("export", summary=f"Журнал консультаций: {len(rows)} записей в XLSX")
    db.session.commit()
    response = make_response(buf.getvalue())
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = content_disposition(
        f"Журнал учёта консультаций {current_tenant.name}.xlsx")
    return response


@bp.app_template_global("my_consultation_bookings")
def my_consultation_bookings():
    """For «Моё»: the user's own booked consultations still ahead."""
    from flask import g

    if g.get("tenant_id") is None or not current_user.is_authenticated:
        return []
    me = own_person()
    if me is None:
        return []
    return db.session.scalars(
        Consultation.scoped().where(Consultation.asker_person_id == me.id,
                                    Consultation.status.in_(("requested", "scheduled")))
        .options(joinedload(Consultation.consultant)).order_by(Consultation.held_at).limit(10)).all()


@bp.app_template_global("my_consultation_recommendations")
def my_consultation_recommendations():
    """For «Моё»: practices and documents the user's consultations recommended (one query)."""
    from flask import g

    if g.get("tenant_id") is None or not current_user.is_authenticated:
        return []
    me = own_person()
    if me is None:
        return []
    return db.session.scalars(
        Consultation.scoped().where(Consultation.asker_person_id == me.id,
                                    Consultation.practice_id.is_not(None) | Consultation.document_id.is_not(None))
        .options(joinedload(Consultation.practice), joinedload(Consultation.document))
        .order_by(Consultation.held_at.desc()).limit(10)).all()


