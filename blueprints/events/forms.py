"""Forms of the events section."""
from datetime import datetime

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional, URL, ValidationError

from blueprints.council.forms import date_field
from oms.concurrency import FormTokenField, VersionField
from oms.fields import IdSelectField, WholeNumberField
from oms.forms import Form, max_len, required, text_field
from oms.picker import PersonPickerField
from oms.models.events import EVENT_KINDS, EVENT_STATUSES


class RuTimeField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Введите время в формате чч:мм.")) from None


class EventForm(Form):
    kind = SelectField(_l("Форма"), choices=list(EVENT_KINDS.items()))
    title = StringField(_l("Название"), validators=[required(_l("Введите название мероприятия.")), max_len(500)])
    day = date_field(_l("Дата"), required_field=True)
    start_time = RuTimeField(_l("Начало"), validators=[InputRequired(_l("Укажите время начала."))])
    end_time = RuTimeField(_l("Окончание"), validators=[InputRequired(_l("Укажите время окончания."))])
    end_day = date_field(_l("Дата окончания (если мероприятие идёт несколько дней)"))
    venue_school_id = IdSelectField(_l("Место: организация"), required=False, blank=_l("— не в школе —"))
    address = text_field(_l("Адрес (если не в школе)"), 300)
    online_url = StringField(_l("Ссылка для участия онлайн"), validators=[
        Optional(), max_len(500), URL(require_tld=False, message=_l("Введите ссылку, начиная с https://"))])
    audience = text_field(_l("Для кого (участники)"), 500)
    capacity = WholeNumberField(_l("Мест (пусто — без ограничения)"), validators=[
        Optional(), NumberRange(min=1, max=10000, message=_l("Введите число от 1 до 10 000."))])
    body_id = IdSelectField(_l("Организатор (объединение, совет)"), required=False, blank=_l("— служба —"))
    description = TextAreaField(_l("Описание, программа"), validators=[Optional(), max_len(10000)])
    is_public = BooleanField(_l("Открытое: показывать в общем календаре района для подписки без входа"))
    status = SelectField(_l("Состояние"), choices=list(EVENT_STATUSES.items()))
    version = VersionField()

    @property
    def starts_at(self) -> datetime | None:
        if self.day.data and self.start_time.data:
            return datetime.combine(self.day.data, self.start_time.data)
        return None

    @property
    def ends_at(self) -> datetime | None:
        if self.end_time.data and (self.end_day.data or self.day.data):
            return datetime.combine(self.end_day.data or self.day.data, self.end_time.data)
        return None

    def validate_end_time(self, field):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(_("Окончание должно быть позже начала."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.venue_school_id.data and not (self.address.data or "").strip() \
                and not (self.online_url.data or "").strip():
            # empty optional fields skip their own validators: the place is checked over the three of them
            self.address.errors = list(self.address.errors) + [
                _("Укажите место: организацию, адрес или ссылку для участия онлайн.")]
            ok = False
        return ok


class NewEventForm(EventForm):
    form_token = FormTokenField()


class PersonForm(Form):
    """Whom to register (or mark as come without registering): chosen with the person picker."""
    person_id = PersonPickerField(_l("Кого записать"), required=True)


class FeedbackForm(Form):
    rating = SelectField(_l("Оценка"), choices=[("5", "5"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1")])
    comment = TextAreaField(_l("Отзыв"), validators=[Optional(), max_len(3000)])
