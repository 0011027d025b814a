"""Form pieces shared by several features.

Every form of a feature derives from `Form` (not FlaskForm directly): it then
* carries a one-time token, so a double click or a resent post saves once
  (`{{ form.csrf_token }}` renders it; see oms/concurrency.py, section 2);
* keeps control characters out of every text it takes: a text field (StringField,
  TextAreaField and their kin, passwords excepted) drops them, so a text made only of
  them is empty: "Заполните это поле." when required, nothing stored when not;
* renders its lists' options with `FastSelect`: the same HTML as WTForms' Select, at a fraction
  of the cost (a district's list of schools or people is hundreds of options).

Every field's attributes are written by `html_params` below, installed in WTForms' place at import: the
same text, a third of the time.
"""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
import wtforms.widgets
import wtforms.widgets.core
from wtforms import DateField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import Select
from wtforms.widgets.core import clean_key

from .concurrency import FormTokenField
from .models.tenant import MODEL_KINDS

# C0 and C1 controls but tab and line breaks; zero-width and direction marks, line and paragraph
# separators, the byte order mark: invisible, they make a "title" of nothing and break exports.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_LINE_BREAKS = re.compile("[\t\r\n]+")


def clean_text(value):
    """A form's text without invisible control characters (tabs and line breaks stay)."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value)


def clean_line(value):
    """One line of text: control characters dropped, tabs and line breaks made spaces."""
    if not isinstance(value, str):
        return value
    return _LINE_BREAKS.sub(" ", _CONTROL.sub("", value))


# ---- WTForms' attribute writer, cheaper ------------------------------------------------------------

WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params  # WTForms' own: the test compares the two


def html_params(**kwargs) -> Markup:
    """What WTForms' `html_params` writes — names sorted, `class_` as class, `data_`/`aria_` names with
    hyphens, True as the bare name, False left out, values escaped and `"` as &quot; — without a
    `Markup.format` per attribute, which was two thirds of rendering a field (an input: 49 → 16 µs)."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


# Where WTForms looks it up: the module's name (Select, TextArea, options), the package's (labels) and the
# input and button widgets' own attribute.
wtforms.widgets.core.html_params = wtforms.widgets.html_params = html_params
wtforms.widgets.core.Input.html_params = wtforms.widgets.core.Button.html_params = staticmethod(html_params)


class _CsrfAndFormToken:
    """`{{ form.csrf_token }}` of a Form: the CSRF input and the form's one-time token."""

    def __init__(self, widget, token_field):
        self.widget, self.token_field = widget, token_field

    def __call__(self, field, **kwargs):
        return Markup(str(self.widget(field, **kwargs)) + str(self.token_field()))


class FastSelect(Select):
    """WTForms' Select with a plain option (no extra attributes) written directly: the same HTML as
    `Select.render_option` (attributes in sorted order: `selected` before `value`, both escaped), without its
    `html_params` and `Markup.format` per option. A list of plain (value, label) pairs is read straight from
    the field's choices: WTForms makes two objects of each choice and reads the list twice (a list of ten
    schools with its label: 72 → 48 µs)."""

    def __call__(self, field, **kwargs):
        choices = field.choices
        if (type(field).iter_choices not in _PLAIN_ITER_CHOICES or type(choices) is not list
                or not all(type(c) is tuple and len(c) == 2 for c in choices)):
            return super().__call__(field, **kwargs)  # groups, options with attributes, a callable: WTForms'
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = field.flags
        for name in self.validation_attrs:
            if name not in kwargs and hasattr(flags, name) and name in dir(flags):
                kwargs[name] = getattr(flags, name)
        coerce, data = field.coerce, field.data
        if self.multiple:
            data = data or ()
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for value, label in choices:
            selected = (coerce(value) in data) if self.multiple else (coerce(value) == data)
            shown = escape(label or value)
            if isinstance(value, bool):
                value = str(value)
            value = str(escape(value)).replace('"', "&quot;")
            html.append(f'<option {"selected " if selected else ""}value="{value}">{shown}</option>')
        html.append("</select>")
        return Markup("".join(html))

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = choice.value
        if isinstance(value, bool):
            value = str(value)
        value = str(escape(value)).replace('"', "&quot;")
        label = escape(choice.label or choice.value)
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{value}">{label}</option>')

    @classmethod
    def _dispatch_render_option(cls):
        # WTForms inspects render_option's signature on every list it renders (for overrides of the pre-3.3
        # signature); this one has the current signature (choice, **kwargs).
        return cls.render_option


_FAST_SELECTS = {False: FastSelect(), True: FastSelect(multiple=True)}
_PLAIN_ITER_CHOICES = (SelectField.iter_choices, SelectMultipleField.iter_choices)


class Form(FlaskForm):
    """The base of every form: a one-time token, and text fields that refuse control characters."""

    form_token = FormTokenField()

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                cleaner = clean_text if issubclass(field_class, TextAreaField) else clean_line
                filters = tuple(unbound_field.kwargs.get("filters", ()))
                if cleaner not in filters:
                    unbound_field.kwargs["filters"] = (cleaner,) + filters
            field = unbound_field.bind(form=form, **options)
            if type(field.widget) is Select:  # WTForms' own list widget, not a feature's
                field.widget = _FAST_SELECTS[field.widget.multiple]
            return field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None and "form_token" in self._fields:
            csrf.widget = _CsrfAndFormToken(csrf.widget, self.form_token)

MODEL_KIND_LABELS = {
    "department": _l("Отдел (структурное подразделение) органа управления образованием"),
    "centre_department": _l("Методический отдел муниципального центра (учреждения)"),
    "distributed": _l("Распределённое выполнение функций специалистами органа управления"),
    "department_service": _l("Методическая служба отдела управления образованием"),
}

# Russia's zones (IANA names) with their offsets, for the district's calendar.
TIME_ZONES = [
    ("Europe/Kaliningrad", _l("Калининград (UTC+2)")), ("Europe/Moscow", _l("Москва (UTC+3)")),
    ("Europe/Samara", _l("Самара (UTC+4)")), ("Asia/Yekaterinburg", _l("Екатеринбург (UTC+5)")),
    ("Asia/Omsk", _l("Омск (UTC+6)")), ("Asia/Tomsk", _l("Томск (UTC+7)")),
    ("Asia/Novosibirsk", _l("Новосибирск (UTC+7)")), ("Asia/Krasnoyarsk", _l("Красноярск (UTC+7)")),
    ("Asia/Irkutsk", _l("Иркутск (UTC+8)")), ("Asia/Chita", _l("Чита (UTC+9)")),
    ("Asia/Yakutsk", _l("Якутск (UTC+9)")), ("Asia/Vladivostok", _l("Владивосток (UTC+10)")),
    ("Asia/Magadan", _l("Магадан (UTC+11)")), ("Asia/Kamchatka", _l("Камчатка (UTC+12)")),
]


def required(message=None):
    return DataRequired(message if message is not None else _l("Заполните это поле."))


def max_len(n):
    return Length(max=n, message=_l("Не длиннее %(max)d символов."))  # WTForms fills in %(max)d


def text_field(label, n, required_field=False, **kw):
    """One line of text: control characters dropped (also outside a Form), at most n characters."""
    validators = [required()] if required_field else [Optional()]
    kw["filters"] = (clean_line,) + tuple(kw.get("filters", ()))
    return StringField(label, validators=validators + [max_len(n)], **kw)


def ru_date_field(label, **kw):
    return DateField(label, validators=[Optional()], format="%Y-%m-%d", **kw)


class ProfileFields:
    """The district profile of DOMAIN.md, shared by the operator's and the admin's forms."""

    name = text_field(_l("Название района (округа)"), 200, True)
    full_name = text_field(_l("Полное название муниципального образования"), 300)
    region = text_field(_l("Субъект РФ"), 200, True)
    authority = text_field(_l("Орган управления образованием"), 300, True)
    authority_genitive = text_field(_l("Орган управления в родительном падеже (план утверждён приказом кого?)"), 300)
    service_name = text_field(_l("Полное название методической службы"), 300, True)
    service_name_genitive = text_field(_l("Название службы в родительном падеже (для заголовка плана)"), 300)
    service_abbr = text_field(_l("Сокращение (ОМС, ММС…)"), 40)
    head_title = text_field(_l("Должность руководителя службы"), 200)
    model_kind = SelectField(_l("Модель организации"), choices=[(k, MODEL_KIND_LABELS[k]) for k in MODEL_KINDS])
    act_kind = text_field(_l("Вид акта (приказ, постановление)"), 60)
    act_issuer = text_field(_l("Кем издан акт"), 300)
    act_issuer_genitive = text_field(_l("Кем издан акт, в родительном падеже (утверждено постановлением кого?)"), 300)
    act_title = text_field(_l("Утверждённый документ (Положение о …)"), 300)
    act_number = text_field(_l("Номер акта"), 60)
    act_date = ru_date_field(_l("Дата акта"))
    time_zone = SelectField(_l("Часовой пояс (время в календаре)"), choices=TIME_ZONES, default="Europe/Moscow")
    partners = TextAreaField(_l("Партнёры (по одному в строке)"), validators=[Optional(), max_len(3000)])


SLUG_RULE = Regexp(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$",
                   message=_l("Латинские строчные буквы, цифры и дефис, от 3 до 40 символов, начинается с буквы."))


def column_mapping_form(batch, targets: dict):
    """The import's mapping step: one choice per column of the uploaded sheet (`batch.header`), what it loads into
    (`targets`: code → label) or nothing; the batch's saved mapping preselected. Every spreadsheet import uses it."""
    from flask_babel import gettext as _
    from openpyxl.utils import get_column_letter

    choices = [("", _("— не загружать —"))] + list(targets.items())

    class MappingForm(Form):
        pass

    for col, title in enumerate(batch.header):
        label = f"{get_column_letter(col + 1)}: {title}" if title else get_column_letter(col + 1)
        setattr(MappingForm, f"col_{col}", SelectField(label, choices=choices,
                                                       default=(batch.mapping or {}).get(str(col), "")))
    return MappingForm()
