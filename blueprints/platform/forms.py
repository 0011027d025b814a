from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import Email, ValidationError

from oms.concurrency import FormTokenField, VersionField
from oms.extensions import db
from oms.forms import Form, SLUG_RULE, ProfileFields, max_len, required, text_field
from oms.models import Tenant, User
from oms.services.presets import preset_choices
from oms.tenancy import RESERVED_SLUGS


class DistrictForm(ProfileFields, Form):
    version = VersionField()


class NewDistrictForm(ProfileFields, Form):
    form_token = FormTokenField()
    slug = StringField(_l("Адрес района в системе (латиницей)"), validators=[required(), SLUG_RULE])
    preset = SelectField(_l("Начать с образца"), choices=[])
    admin_email = EmailField(_l("Почта первого администратора"), validators=[
        required(), max_len(254), Email(_l("Неверный адрес электронной почты."))])
    admin_name = text_field(_l("ФИО первого администратора"), 200, True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preset.choices = preset_choices()

    def validate_slug(self, field):
        slug = (field.data or "").strip()
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("Этот адрес зарезервирован, выберите другой."))
        if db.session.scalar(db.select(Tenant.id).where(Tenant.slug == slug)):
            raise ValidationError(_("Район с таким адресом уже есть."))

    def validate_admin_email(self, field):
        if db.session.scalar(db.select(User.id).where(User.email == User.normalise_email(field.data))):
            raise ValidationError(_("Пользователь с такой почтой уже есть."))
