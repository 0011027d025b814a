from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from limits import parse as parse_limit
from wtforms import EmailField, SelectField
from wtforms.validators import Email, ValidationError

from oms.concurrency import FormTokenField, VersionField
from oms.extensions import db, limiter
from oms.forms import Form, max_len, required, text_field
from oms.models import User
from oms.permissions import DISTRICT_ROLES, ROLE_LABELS

# An address is one account on the whole instance, so "taken" cannot be hidden from an admin adding an account;
# what an admin must not do is test many addresses for accounts in other districts. Taken addresses outside the
# admin's district count against this budget (per admin); spent, adding accounts pauses for that admin.
FOREIGN_EMAILS_BUDGET = "5 per hour"


def refuse_taken_email(value: str) -> None:
    """The uniqueness check of a new account's e-mail, for every form that adds one."""
    budget, key = parse_limit(FOREIGN_EMAILS_BUDGET), str(current_user.id)
    if not limiter.limiter.test(budget, "foreign-email", key):
        raise ValidationError(_("Слишком много занятых адресов подряд: добавление учётных записей приостановлено "
                                "на час. Проверьте адреса у сотрудников."))
    owner = db.session.execute(db.select(User.id, User.tenant_id)
                               .where(User.email == User.normalise_email(value))).first()
    if owner is None:
        return
    if owner.tenant_id != current_user.tenant_id:
        limiter.limiter.hit(budget, "foreign-email", key)
    raise ValidationError(_("Пользователь с такой почтой уже есть."))


ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in DISTRICT_ROLES]


class UserForm(Form):
    form_token = FormTokenField()
    full_name = text_field(_l("ФИО"), 200, True)
    email = EmailField(_l("Электронная почта"), validators=[
        required(_l("Введите адрес электронной почты.")), max_len(254), Email(_l("Неверный адрес электронной почты."))])
    role = SelectField(_l("Роль"), choices=ROLE_CHOICES)

    def validate_email(self, field):
        refuse_taken_email(field.data)


class RoleForm(Form):
    version = VersionField()
    role = SelectField(_l("Роль"), choices=ROLE_CHOICES)
