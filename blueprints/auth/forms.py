from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from oms.passwords import MAX_LENGTH, password_problem


class LoginForm(FlaskForm):
    email = EmailField(_l("Электронная почта"), validators=[
        DataRequired(_l("Введите адрес электронной почты.")), Length(max=254, message=_l("Слишком длинный адрес."))])
    password = PasswordField(_l("Пароль"), validators=[
        DataRequired(_l("Введите пароль.")), Length(max=MAX_LENGTH, message=_l("Слишком длинный пароль."))])
    remember = BooleanField(_l("Запомнить меня на этом устройстве (14 дней)"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Новый пароль"), validators=[DataRequired(_l("Введите пароль."))])
    confirm = PasswordField(_l("Повторите пароль"), validators=[
        DataRequired(_l("Повторите пароль.")), EqualTo("password", _l("Пароли не совпадают."))])

    def __init__(self, *args, user_inputs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_inputs = user_inputs or []

    def validate_password(self, field):
        problem = password_problem(field.data or "", self._user_inputs)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Текущий пароль"), validators=[DataRequired(_l("Введите текущий пароль."))])


def email_validators():
    return [Email(_l("Неверный адрес электронной почты."))]
