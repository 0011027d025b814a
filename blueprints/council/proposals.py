"""An association's leader proposes a question for the council's agenda (Kalar 5.1); the council's secretary
(whoever edits the council) takes it into a meeting — it becomes an agenda item — or declines it."""
import functools

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, func, select

from oms.extensions import db
from oms.models import AgendaItem, AgendaProposal, Body, BodyMember, Meeting, Person, User
from oms.permissions import can, require
from oms.tenancy import current_tenant
from oms.text import clean

from . import bp
from .forms import ProposalForm


class _Named:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _FullNamed:
    __slots__ = ("full_name",)

    def __init__(self, full_name):
        self.full_name = full_name


class _Numbered:
    __slots__ = ("number",)

    def __init__(self, number):
        self.number = number


class ListedProposal:
    """A proposal as the council's page lists it: its shown columns, its body's name, its author, its meeting."""

    __slots__ = ("id", "title", "speaker", "status", "created_at", "from_body", "proposed_by", "meeting")

    def __init__(self, id, title, speaker, status, created_at, body_id, body_name, user_id, user_name, meeting_id,
                 meeting_number):
        self.id, self.title, self.speaker, self.status, self.created_at = id, title, speaker, status, created_at
        self.from_body = _Named(body_name) if body_id is not None else None
        self.proposed_by = _FullNamed(user_name) if user_id is not None else None
        self.meeting = _Numbered(meeting_number) if meeting_id is not None else None

    status_label = AgendaProposal.status_label


@functools.cache
def _statements() -> dict:
    """The council page's selects of proposals, built once (their parameters: tenant_id, body_id, user_id)."""
    body_id = bindparam("body_id")
    return {
        "proposals": AgendaProposal.scoped_by_param().where(AgendaProposal.body_id == body_id)
        .outerjoin(Body, Body.id == AgendaProposal.from_body_id)
        .outerjoin(User, User.id == AgendaProposal.proposed_by_id)
        .outerjoin(Meeting, Meeting.id == AgendaProposal.meeting_id)
        .with_only_columns(AgendaProposal.id, AgendaProposal.title, AgendaProposal.speaker, AgendaProposal.status,
                           AgendaProposal.created_at, Body.id, Body.name, User.id, User.full_name, Meeting.id,
                           Meeting.number)
        .order_by(AgendaProposal.status != "proposed", AgendaProposal.created_at.desc()).limit(30),
        "open_meetings": Meeting.scoped_by_param().where(Meeting.body_id == body_id, Meeting.is_held.is_(False))
        .with_only_columns(Meeting.id, Meeting.number, Meeting.held_on).order_by(Meeting.held_on),
        "led_bodies": select(Body.id, Body.name).join(BodyMember, BodyMember.body_id == Body.id)
        .join(Person, Person.id == BodyMember.person_id)
        .where(Person.user_id == bindparam("user_id"), BodyMember.role.in_(("leader", "chair")),
               Body.tenant_id == bindparam("tenant_id")).order_by(Body.name),
    }


def _led_bodies() -> list[tuple[int, str]]:
    return db.session.execute(_statements()["led_bodies"],
                              {"user_id": current_user.id, "tenant_id": current_tenant.id}).all()


def proposal_form(formdata=None) -> ProposalForm:
    form = ProposalForm(formdata=formdata) if formdata is not None else ProposalForm(formdata=None)
    form.from_body_id.set_choices([(i, n) for i, n in _led_bodies()])
    return form


def proposals_context(body, extra_form=None) -> dict:
    statements, params = _statements(), {"tenant_id": current_tenant.id, "body_id": body.id}
    rows = [ListedProposal(*row) for row in db.session.execute(statements["proposals"], params)]
    open_meetings = db.session.execute(statements["open_meetings"], params).all()
    return {"proposals": rows, "open_meetings": open_meetings, "can_propose": can("agenda.propose"),
            "proposal_form": extra_form or (proposal_form() if can("agenda.propose") else None)}


def _council_or_404(council_id):
    from .routes import screens

    return screens.body_or_404(council_id)


@bp.route("/<int:council_id>/proposals", methods=["POST"])
def propose(council_id: int):
    from .routes import screens

    body = _council_or_404(council_id)
    require("agenda.propose")
    form = proposal_form(request.form)
    if not form.validate_on_submit():
        return screens.detail_page(body, 422, proposal_form=form)
    db.session.add(AgendaProposal(tenant_id=current_tenant.id, body_id=body.id, from_body_id=form.from_body_id.data,
                                  title=clean(form.title.data), speaker=clean(form.speaker.data),
                                  proposed_by_id=current_user.id))
    db.session.commit()
    flash(_("Вопрос предложен в повестку совета: секретарь включит его в заседание."), "success")
    return redirect(url_for("council.detail", council_id=body.id) + "#proposals")


def _proposal_or_404(body, proposal_id) -> AgendaProposal:
    row = db.session.scalar(AgendaProposal.scoped().where(AgendaProposal.id == proposal_id,
                                                          AgendaProposal.body_id == body.id))
    if row is None:
        abort(404)
    return row


@bp.route("/<int:council_id>/proposals/<int:proposal_id>/take", methods=["POST"])
def take_proposal(council_id: int, proposal_id: int):
    body = _council_or_404(council_id)
    require("council.edit", body)
    row = _proposal_or_404(body, proposal_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    meeting = db.session.scalar(Meeting.scoped().where(Meeting.id == request.form.get("meeting_id", type=int),
                                                       Meeting.body_id == body.id))
    if meeting is None or row.status != "proposed":
        flash(_("Выберите заседание совета, которое ещё не проведено."), "error")
        return redirect(url_for("council.detail", council_id=body.id) + "#proposals")
    top = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    db.session.add(AgendaItem(tenant_id=current_tenant.id, meeting_id=meeting.id, position=(top or 0) + 1,
                              title=row.title, speaker=row.speaker))
    row.status, row.meeting_id = "taken", meeting.id
    db.session.commit()
    flash(_("Вопрос включён в повестку заседания № %(n)s.", n=meeting.number), "success")
    return redirect(url_for("council.meeting", council_id=body.id, meeting_id=meeting.id) + "#agenda")


@bp.route("/<int:council_id>/proposals/<int:proposal_id>/decline", methods=["POST"])
def decline_proposal(council_id: int, proposal_id: int):
    body = _council_or_404(council_id)
    require("council.edit", body)
    row = _proposal_or_404(body, proposal_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if row.status == "proposed":
        row.status = "declined"
        db.session.commit()
    return redirect(url_for("council.detail", council_id=body.id) + "#proposals")
