"""An account for a teacher or an association leader, made from their person record in one step.

The admin picks the person, confirms the role and the address, and gets a one-time link to hand
over; when the instance has a mail server the link is also mailed. The account is linked to the
person (Person.user_id), so a leader's rights follow the person's leadership of an association.
"""
from flask import render_template, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from wtforms import EmailField
from wtforms.validators import Email

from oms import mail
from oms.concurrency import FormTokenField, remember_result, submit_once
from oms.extensions import db
from oms.fields import ChoiceField
from oms.forms import Form, max_len, required
from oms.models import Body, BodyKind, BodyMember, PasswordLink, Person, School, User
from oms.models.base import search_filter
from oms.models.structure import ASSOCIATION_CATEGORIES
from oms.permissions import ROLE_LABELS, Role
from oms.tenancy import current_tenant
from oms.views import external_url, render_page_or_partial

from . import bp
from .forms import refuse_taken_email

ACCOUNT_ROLES = [(Role.LEADER.value, ROLE_LABELS[Role.LEADER]), (Role.TEACHER.value, ROLE_LABELS[Role.TEACHER])]
PER_PAGE = 30


class PersonAccountForm(Form):
    form_token = FormTokenField()
    role = ChoiceField(_l("Роль"), choices=ACCOUNT_ROLES)
    email = EmailField(_l("Электронная почта для входа"), validators=[
        required(_l("Введите адрес электронной почты.")), max_len(254), Email(_l("Неверный адрес электронной почты."))])

    def validate_email(self, field):
        refuse_taken_email(field.data)


def _led_associations(person: Person) -> list[Body]:
    return db.session.scalars(
        Body.scoped().join(BodyKind, BodyKind.id == Body.kind_id).join(BodyMember, BodyMember.body_id == Body.id)
        .where(BodyMember.person_id == person.id, BodyMember.role.in_(("leader", "chair")),
               BodyKind.category.in_(ASSOCIATION_CATEGORIES))
        .order_by(Body.name)
    ).all()


@bp.route("/from-person/")
def people_for_accounts():
    q = request.args.get("q", "").strip()[:100]
    without = request.args.get("without", "1") == "1"
    stmt = Person.scoped().options(joinedload(Person.school))
    if q:
        stmt = stmt.where(*search_filter(Person, q))
    if without:
        stmt = stmt.where(Person.user_id.is_(None))
    stmt = stmt.order_by(Person.last_name, Person.first_name, Person.id)
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    users = {u.id: u for u in db.session.scalars(
        User.scoped().where(User.id.in_([p.user_id for p in page.items if p.user_id])))} if page.items else {}
    return render_page_or_partial("users/people.html", "users/_people.html", page=page, q=q, without=without,
                                  users=users, ROLE_LABELS=ROLE_LABELS)


@bp.route("/from-person/<int:person_id>", methods=["GET", "POST"])
def from_person(person_id: int):
    person = Person.get_or_404(person_id)
    school = School.get_or_404(person.school_id) if person.school_id else None
    form = PersonAccountForm()
    repeat = submit_once(form)  # a double click makes one account: the repeat lands on this page, «уже есть»
    if repeat is not None:
        return repeat
    account = User.get_or_404(person.user_id) if person.user_id else None
    led = _led_associations(person)
    if account is not None:
        return render_template("users/from_person.html", person=person, school=school, account=account, led=led,
                               form=None, ROLE_LABELS=ROLE_LABELS)
    if request.method == "GET":
        form.role.data = Role.LEADER.value if led else Role.TEACHER.value
        form.email.data = person.email
    if form.validate_on_submit():
        user = User(tenant_id=current_tenant.id, full_name=person.full_name,
                    email=User.normalise_email(form.email.data), role=form.role.data)
        db.session.add(user)
        db.session.flush()
        person.user_id = user.id
        token = PasswordLink.issue(user)
        remember_result(url_for("users.from_person", person_id=person.id))
        link = external_url("auth.set_password", token=token)
        mailed = None
        if mail.configured():  # queued in the same transaction: the letter goes out with `flask send-mail`
            mailed = mail.send(user.email, f"Вход в {current_tenant.service_label}: задайте пароль",
                               _letter(user, link), tenant_id=current_tenant.id)
        db.session.commit()
        return render_template("users/link.html", user=user, link=link, created=True, mailed=mailed,
                               person=person)
    status = 422 if request.method == "POST" else 200
    return render_template("users/from_person.html", person=person, school=school, account=None, led=led,
                           form=form, ROLE_LABELS=ROLE_LABELS), status


def _letter(user: User, link: str) -> str:
    """In Russian whatever the admin's UI language: the letter is for the new user."""
    with force_locale("ru"):
        role = str(ROLE_LABELS[Role(user.role)])
    return (f"Здравствуйте, {user.full_name}!\n\n"
            f"Для вас создана учётная запись в системе «{current_tenant.service_label}» ({current_tenant.name}), "
            f"роль: {role}.\n"
            f"Чтобы задать пароль, откройте ссылку (она действует 3 дня и работает один раз):\n{link}\n\n"
            f"Адрес для входа: {user.email}\n")
