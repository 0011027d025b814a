from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from oms.passwords import MAX_LENGTH, password_problem


class LoginForm(FlaskForm):
    email = EmailField("Электронная почта", validators=[
        DataRequired("Введите адрес электронной почты."), Length(max=254, message="Слишком длинный адрес.")])
    password = PasswordField("Пароль", validators=[
        DataRequired("Введите пароль."), Length(max=MAX_LENGTH, message="Слишком длинный пароль.")])
    remember = BooleanField("Запомнить меня на этом устройстве (14 дней)")


class NewPasswordForm(FlaskForm):
    password = PasswordField("Новый пароль", validators=[DataRequired("Введите пароль.")])
    confirm = PasswordField("Повторите пароль", validators=[
        DataRequired("Повторите пароль."), EqualTo("password", "Пароли не совпадают.")])

    def __init__(self, *args, user_inputs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_inputs = user_inputs or []

    def validate_password(self, field):
        problem = password_problem(field.data or "", self._user_inputs)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField("Текущий пароль", validators=[DataRequired("Введите текущий пароль.")])


def email_validators():
    return [Email("Неверный адрес электронной почты.")]
