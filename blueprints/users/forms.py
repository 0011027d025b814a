from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField
from wtforms.validators import Email, ValidationError

from oms.concurrency import FormTokenField, VersionField
from oms.extensions import db
from oms.forms import Form, max_len, required, text_field
from oms.models import User
from oms.permissions import DISTRICT_ROLES, ROLE_LABELS

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in DISTRICT_ROLES]


class UserForm(Form):
    form_token = FormTokenField()
    full_name = text_field(_l("ФИО"), 200, True)
    email = EmailField(_l("Электронная почта"), validators=[
        required(_l("Введите адрес электронной почты.")), max_len(254), Email(_l("Неверный адрес электронной почты."))])
    role = SelectField(_l("Роль"), choices=ROLE_CHOICES)

    def validate_email(self, field):
        if db.session.scalar(db.select(User.id).where(User.email == User.normalise_email(field.data))):
            raise ValidationError(_("Пользователь с такой почтой уже есть."))


class RoleForm(Form):
    version = VersionField()
    role = SelectField(_l("Роль"), choices=ROLE_CHOICES)
