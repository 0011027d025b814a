"""«Новинки»: the service publishes news and new materials to an audience of teachers (positions, subjects,
schools); each user reads what is addressed to them, in «Моё» with unread marks."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func

from blueprints.people import records
from oms import clock
from oms.concurrency import remember_result, submit_once
from oms.extensions import db
from oms.models import Person, School
from oms.models.documents import OPEN_VISIBILITY, Document, Notice, NoticeRead
from oms.permissions import require
from oms.services import news as svc
from oms.services.workspace import my_person
from oms.tenancy import current_tenant
from oms.text import clean

from . import bp
from .forms import NoticeForm
from .routes import may_manage

PER_PAGE = 30


def notice_or_404(notice_id) -> Notice:
    """The district's notice, if it is addressed to this user (the service sees every one)."""
    notice = Notice.get_or_404(notice_id)
    if not may_manage() and (notice.published_on > clock.today()
                             or not svc.addressed(notice, my_person(current_user))):
        abort(404)
    return notice


@bp.route("/news/")
def news():
    """The service: every notice with how many have read it. Others: the notices addressed to them."""
    if not may_manage():
        mine = svc.my_notices(current_user, my_person(current_user), current_tenant.id, clock.today(), limit=50)
        return render_template("documents/news.html", mine=mine, page=None)
    page = db.paginate(Notice.scoped().order_by(Notice.published_on.desc(), Notice.id.desc()),
                       page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    ids = [n.id for n in page.items]
    reads = dict(db.session.execute(NoticeRead.scoped().with_only_columns(NoticeRead.notice_id, func.count())
                                    .where(NoticeRead.notice_id.in_(ids)).group_by(NoticeRead.notice_id)).all()) \
        if ids else {}
    return render_template("documents/news.html", mine=None, page=page, reads=reads)


def _audience_choices(form) -> None:
    positions = db.session.scalars(Person.scoped().with_only_columns(Person.position).distinct()
                                   .where(Person.position != "").order_by(Person.position).limit(200)).all()
    form.positions.choices = [(p, p) for p in positions]
    subjects = set()
    for text in db.session.scalars(Person.scoped().with_only_columns(Person.subjects).distinct()
                                   .where(Person.subjects != "").limit(500)):
        subjects.update(s.strip() for s in text.split(";") if s.strip())
    form.subjects.choices = [(s, s) for s in sorted(subjects)]
    schools = db.session.execute(School.scoped().with_only_columns(School.id, School.short_name, School.name)
                                 .order_by(School.name_key)).all()
    form.school_ids.choices = [(i, short or name) for i, short, name in schools]
    # the material: found with the picker among the open current documents of the bank, however many there are


@bp.route("/news/new", methods=["GET", "POST"])
def new_notice():
    require("documents.manage")
    form = NoticeForm()
    _audience_choices(form)
    if request.method == "GET" and request.args.get("document_id", type=int):  # «announce» from a document's page
        form.document_id.data = request.args.get("document_id", type=int)
        chosen = form.document_id.records
        form.document_id.data = chosen[0].id if chosen else None
        form.title.data = chosen[0].title[:300] if chosen else form.title.data
    repeat = submit_once(form)
    if repeat is not None:
        return repeat
    if form.validate_on_submit():
        notice = Notice(tenant_id=current_tenant.id, title=clean(form.title.data), text=(form.text.data or "").strip(),
                        document_id=form.document_id.data, positions=form.positions.data,
                        subjects=form.subjects.data, school_ids=form.school_ids.data,
                        published_on=clock.today(), created_by_id=current_user.id)
        db.session.add(notice)
        db.session.flush()
        remember_result(url_for(".notice", notice_id=notice.id))
        db.session.commit()
        flash(_("Новинка опубликована: её увидят адресаты в разделе «Моё»."), "success")
        return redirect(url_for(".notice", notice_id=notice.id))
    return render_template("documents/notice_form.html", form=form), records.form_status()


@bp.route("/news/<int:notice_id>/")
def notice(notice_id: int):
    item = notice_or_404(notice_id)
    doc = None
    if item.document_id:
        doc = db.session.scalar(Document.scoped().where(Document.id == item.document_id))
        if doc is not None and not (may_manage() or doc.visibility in OPEN_VISIBILITY):
            doc = None
    schools = db.session.scalars(School.scoped().where(School.id.in_(item.school_ids or [])).order_by(School.name_key)
                                 ).all() if item.school_ids else []
    db.session.commit()  # end the read transaction before the write (SQLite locking)
    svc.mark_read(item, current_user)
    db.session.commit()
    return render_template("documents/notice.html", notice=item, doc=doc, schools=schools)


@bp.route("/news/<int:notice_id>/delete", methods=["POST"])
def delete_notice(notice_id: int):
    require("documents.manage")
    item = Notice.get_or_404(notice_id)
    title = item.title
    db.session.delete(item)
    db.session.commit()
    flash(_("Новинка «%(title)s» удалена.", title=title), "success")
    return records.go(url_for(".news"))
