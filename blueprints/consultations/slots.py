"""Consultation days: a consultant's slots that teachers book from «Моё» (запрошена → назначена → проведена /
отменена)."""
from datetime import timedelta

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from blueprints.development.common import go, own_person
from oms.concurrency import remember_result, submit_once
from oms.extensions import db
from oms.models import Consultation, ConsultationSlot
from oms.models.consultations import CHANNELS
from oms.permissions import require
from oms.services import consultations as svc
from oms.tenancy import current_tenant
from oms.text import clean

from . import bp
from .forms import BookForm, SlotsForm


def free_slots(limit: int = 40) -> list[ConsultationSlot]:
    """Slots ahead that nobody has booked (a cancelled booking frees its slot)."""
    taken = select(Consultation.slot_id).where(Consultation.slot_id.is_not(None),
                                               Consultation.status != "cancelled")
    return db.session.scalars(
        ConsultationSlot.scoped().where(ConsultationSlot.starts_at >= svc.now(), ConsultationSlot.id.not_in(taken))
        .options(joinedload(ConsultationSlot.consultant)).order_by(ConsultationSlot.starts_at).limit(limit)).all()


def _form():
    form = SlotsForm()
    if request.method == "GET":
        first = next(iter(svc.consultants(current_tenant.id)), None)
        form.consultant_id.data = first.id if first is not None else None
    return form


@bp.route("/slots/", methods=["GET", "POST"])
def slots():
    require("consultations.journal")
    form = _form()
    status = 200
    if request.method == "POST":
        require("consultations.edit")
        repeat = submit_once(form)
        if repeat is not None:
            return repeat
        if form.validate_on_submit():
            if form.starts_at.data < svc.now():
                form.starts_at.errors.append(_("Слоты назначают на будущее время."))
            else:
                for n in range(form.count.data):
                    db.session.add(ConsultationSlot(
                        tenant_id=current_tenant.id, consultant_id=form.consultant_id.data,
                        starts_at=form.starts_at.data + timedelta(minutes=n * form.minutes.data),
                        minutes=form.minutes.data, channel=form.channel.data, place=clean(form.place.data)))
                remember_result(url_for("consultations.slots"))
                db.session.commit()
                flash(_("Слоты консультационного дня добавлены: %(n)s.", n=form.count.data), "success")
                return go(url_for("consultations.slots"))
        status = 422
    upcoming = db.session.scalars(
        ConsultationSlot.scoped().where(ConsultationSlot.starts_at >= svc.now())
        .options(joinedload(ConsultationSlot.consultant)).order_by(ConsultationSlot.starts_at).limit(200)).all()
    bookings = {c.slot_id: c for c in db.session.scalars(
        Consultation.scoped().where(Consultation.slot_id.in_([s.id for s in upcoming]),
                                    Consultation.status != "cancelled"))} if upcoming else {}
    return render_template("consultations/slots.html", form=form, upcoming=upcoming, bookings=bookings,
                           CHANNELS=CHANNELS), status


@bp.route("/slots/<int:consultation_slot_id>/delete", methods=["POST"])
def slot_delete(consultation_slot_id: int):
    slot = ConsultationSlot.get_or_404(consultation_slot_id)
    require("consultations.edit")
    booked = db.session.scalar(select(Consultation.id).where(Consultation.slot_id == slot.id,
                                                             Consultation.status != "cancelled"))
    if booked:
        flash(_("Слот уже забронирован: сначала отмените консультацию."), "error")
        return go(url_for("consultations.slots")), 422
    db.session.delete(slot)
    db.session.commit()
    flash(_("Слот удалён."), "success")
    return go(url_for("consultations.slots"))


@bp.route("/slots/<int:consultation_slot_id>/book", methods=["POST"])
def book(consultation_slot_id: int):
    """A teacher books a free slot: a consultation «запрошена» the consultant then confirms."""
    slot = ConsultationSlot.get_or_404(consultation_slot_id)
    require("consultations.book")
    me = own_person()
    form = BookForm()
    back = url_for("consultations.index")
    if me is None:
        flash(_("Записаться может только педагог из реестра: попросите методиста связать вашу учётную запись."),
              "error")
        return go(back), 422
    if not form.validate_on_submit():
        flash(form.topic.errors[0] if form.topic.errors else _("Проверьте форму."), "error")
        return go(back), 422
    if slot.id not in {s.id for s in free_slots(limit=1000)}:
        flash(_("Это время уже занято или прошло: выберите другой слот."), "error")
        return go(back), 422
    # an earlier cancelled booking of this slot gives its place (the slot is unique per consultation)
    for old in db.session.scalars(Consultation.scoped().where(Consultation.slot_id == slot.id)):
        old.slot_id = None
    db.session.flush()
    db.session.add(Consultation(
        tenant_id=current_tenant.id, held_at=slot.starts_at, form="individual", channel=slot.channel,
        consultant_id=slot.consultant_id, asker_kind="person", asker_person_id=me.id, asker_name=me.full_name,
        school_id=me.school_id, topic=clean(form.topic.data), status="requested", slot_id=slot.id,
        requested_by_id=current_user.id))
    db.session.commit()
    flash(_("Вы записаны на консультацию %(when)s. Консультант подтвердит запись.",
            when=slot.starts_at.strftime("%d.%m.%Y %H:%M")), "success")
    return go(back)
