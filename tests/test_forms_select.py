"""FastSelect, the list widget every Form uses, writes exactly what WTForms' Select writes."""
from wtforms import SelectField, SelectMultipleField
from wtforms.widgets import Select

from oms.forms import FastSelect, Form


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
