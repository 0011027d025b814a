from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.validators import Email, ValidationError

from oms.concurrency import FormTokenField, VersionField
from oms.extensions import db
from oms.forms import max_len, required, text_field
from oms.models import User
from oms.permissions import DISTRICT_ROLES, ROLE_LABELS

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in DISTRICT_ROLES]


class UserForm(FlaskForm):
    form_token = FormTokenField()
    full_name = text_field("ФИО", 200, True)
    email = EmailField("Электронная почта", validators=[
        required("Введите адрес электронной почты."), max_len(254), Email("Неверный адрес электронной почты.")])
    role = SelectField("Роль", choices=ROLE_CHOICES)

    def validate_email(self, field):
        if db.session.scalar(db.select(User.id).where(User.email == User.normalise_email(field.data))):
            raise ValidationError("Пользователь с такой почтой уже есть.")


class RoleForm(FlaskForm):
    version = VersionField()
    role = SelectField("Роль", choices=ROLE_CHOICES)
