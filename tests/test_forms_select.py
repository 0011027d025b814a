"""FastSelect, the list widget every Form uses, writes exactly what WTForms' Select writes; the attribute
writer installed in WTForms' place writes exactly what WTForms' own writes."""
import wtforms.widgets
import wtforms.widgets.core
from markupsafe import Markup
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.widgets import Select

from oms.forms import WTFORMS_HTML_PARAMS, FastSelect, Form, html_params


class Sample(Form):
    one = SelectField(choices=[("", "— все —"), ("a\"b", "<b>кавычка</b> & \"текст\""), (3, "три"), (True, "да"),
                               ("x", "")])
    many = SelectMultipleField(choices=[(1, "один"), (2, "два & <два>")], coerce=int)


def test_options_are_written_as_wtforms_writes_them(app):
    with app.test_request_context("/"):
        form = Sample(meta={"csrf": False}, one="a\"b", many=[2])
        for field in (form.one, form.many):
            assert isinstance(field.widget, FastSelect)
            fast = str(field())
            plain = str(Select(multiple=field.widget.multiple)(field))
            assert fast == plain
        assert '<option selected value="a&#34;b">&lt;b&gt;кавычка&lt;/b&gt; &amp; &#34;текст&#34;</option>' in str(form.one())
        assert '<option selected value="2">два &amp; &lt;два&gt;</option>' in str(form.many())


def test_an_option_with_its_own_attributes_goes_through_wtforms(app):
    with app.test_request_context("/"):
        form = Sample(meta={"csrf": False})
        form.one.choices = [("a", "A", {"disabled": True}), ("b", "B")]
        assert str(form.one()) == str(Select()(form.one))
        assert '<option disabled value="a">A</option>' in str(form.one())


ATTRIBUTES = [
    {},
    {"name": "title", "id": "title", "type": "text", "value": ""},
    {"class_": "btn btn--primary", "for_": "x", "data_picker_remove": "1", "aria_describedby": "a-err",
     "data_x": True, "hx_get": "/p?q=1&b=2"},
    {"value": 'он сказал "да" <b> & \'нет\'', "placeholder": Markup('<i>"уже HTML"</i>'), "maxlength": 60},
    {"checked": True, "readonly": False, "disabled": True, "min": 0, "step": 0.5, "title": None},
]


def test_attributes_are_written_as_wtforms_writes_them():
    for attributes in ATTRIBUTES:
        ours, theirs = html_params(**attributes), WTFORMS_HTML_PARAMS(**attributes)
        assert isinstance(ours, Markup)
        assert str(ours) == str(theirs), attributes
    assert str(html_params(value='"x" & <y>', data_a_b=True, hidden=False)) == 'data-a-b value="&#34;x&#34; &amp; &lt;y&gt;"'
    assert str(html_params(placeholder=Markup('"m"'))) == 'placeholder="&quot;m&quot;"'


def test_every_widget_writes_its_attributes_with_ours(app):
    assert wtforms.widgets.core.html_params is html_params and wtforms.widgets.html_params is html_params
    assert wtforms.widgets.core.Input.html_params is html_params

    class Text(Form):
        title = StringField("Название «<b>»", render_kw={"maxlength": 60})

    with app.test_request_context("/"):
        form = Text(meta={"csrf": False}, title='"кавычки" & <тег>')
        assert str(form.title()) == ('<input id="title" maxlength="60" name="title" type="text" '
                                     'value="&#34;кавычки&#34; &amp; &lt;тег&gt;">')
        assert str(form.title.label) == '<label for="title">Название «&lt;b&gt;»</label>'
