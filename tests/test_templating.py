"""oms.templating: translations and URLs resolved once mean the same as Flask-Babel's and Flask's own."""
import html
from types import SimpleNamespace

from flask import render_template_string, session, url_for
from flask_babel import force_locale, gettext

TEMPLATE = ("{{ _('Главная') }}|{{ _('Педагоги') }}|{{ _('%(n)s из %(m)s', n=1, m=2) }}|"
            "{% for i in ids %}{{ url_for('people.detail', person_id=i) }} {% endfor %}|"
            "{% for i in ids %}{{ url_for('people.index', page=i, q='abc') }} {% endfor %}|"
            "{{ url_for('people.detail', person_id=-1) if false else '' }}")


def _render(app, lang, ids, slug="kalar"):
    with app.app_context(), app.test_request_context(f"/{slug}/"):  # a request of its own (and its g)
        from flask import g

        session["lang"] = lang
        g.tenant_slug, g.tenant_id = slug, 1
        expected_urls = ([url_for("people.detail", person_id=i) for i in ids],
                         [url_for("people.index", page=i, q="abc") for i in ids])
        return html.unescape(render_template_string(TEMPLATE, ids=ids)).split("|"), expected_urls


def test_translations_follow_the_request_language(app):
    ru, _ = _render(app, "ru", [1])
    en, _ = _render(app, "en", [1])
    again, _ = _render(app, "ru", [1])
    assert ru[:2] == ["Главная", "Педагоги"] and again[:2] == ru[:2]
    assert en[:2] == ["Home", "Teachers"]


def test_repeated_urls_are_those_flask_builds(app):
    ids = [5, 12, 123456, 0, 7]
    parts, (detail, listing) = _render(app, "ru", ids, slug="other-district")
    assert parts[3].split() == detail and parts[4].split() == listing
    assert detail[0].startswith("/other-district/people/5") and listing[1] == "/other-district/people/?page=12&q=abc"


def test_a_url_remembered_in_one_request_is_not_used_in_another(app):
    from flask import g

    pages = []
    with app.app_context():  # one app context (and g) around two requests, as a test or a worker may have
        for slug in ("first-district", "second-district"):
            with app.test_request_context(f"/{slug}/"):
                g.tenant_slug, g.tenant_id = slug, 1
                pages.append(render_template_string("{% for i in [1, 2, 3] %}{{ url_for('people.detail', "
                                                    "person_id=i) }} {% endfor %}"))
    assert "/first-district/" in pages[0] and "first-district" not in pages[1]
    assert pages[1].split() == [f"/second-district/people/{i}" for i in (1, 2, 3)]


def test_force_locale_gives_its_own_language_inside_a_request(app):
    with app.app_context(), app.test_request_context("/"):
        session["lang"] = "ru"
        assert gettext("Главная") == "Главная"
        with force_locale("en"):
            assert gettext("Главная") == "Home"
        assert gettext("Главная") == "Главная"


def test_a_cached_macro_module_follows_the_request_language(app):
    """Jinja caches a macro module imported without context across renders: its texts still follow each
    request's language. So do the globals written in Python (a row's edit and delete)."""
    page = ("{% from '_macros.html' import pager %}{{ pager(page, 'auth.login') }}"
            "{{ edit_delete('/e', '/d', 'ok?') }}")
    listed = SimpleNamespace(pages=3, page=2, total=70, has_prev=True, prev_num=1, has_next=True, next_num=3)
    seen = []
    for lang in ("en", "ru", "en"):
        with app.app_context(), app.test_request_context("/"):
            session["lang"] = lang
            seen.append(render_template_string(page, page=listed))
    assert "next" in seen[0] and "вперёд" in seen[1] and "next" in seen[2]
    assert ">Edit<" in seen[0] and ">Изменить<" in seen[1] and ">Edit<" in seen[2]
    assert ">Delete<" in seen[0] and ">Удалить<" in seen[1]


def test_a_field_with_its_label_hint_and_errors(app):
    """field(): the label and the input, the hint, each error tied to the input; a tick box before its label;
    a list of ticks as a fieldset with its legend. User text is escaped."""
    from wtforms import BooleanField, SelectMultipleField, StringField, widgets

    from oms.forms import Form

    class Sample(Form):
        title = StringField("Название <b>")
        agree = BooleanField("Согласен")
        areas = SelectMultipleField("Области", choices=[(1, "ИКТ"), (2, "<Оценивание>")], coerce=int,
                                    widget=widgets.ListWidget(prefix_label=False),
                                    option_widget=widgets.CheckboxInput())

    page = "{{ field(form.title, hint=hint, autofocus=true) }}|{{ field(form.agree) }}|{{ field(form.areas) }}"
    with app.test_request_context("/"):
        form = Sample(meta={"csrf": False}, title='"Урок" & <script>')
        form.title.errors = ["Слишком <длинно>."]
        html_text = render_template_string(page, form=form, hint="Не больше <300> знаков")
    title, agree, areas = html_text.split("|")
    assert title.startswith('<div class="field field--error"><label for="title">Название &lt;b&gt;</label><input ')
    assert 'aria-describedby="title-err" aria-invalid="true" autofocus id="title"' in title
    assert 'value="&#34;Урок&#34; &amp; &lt;script&gt;"' in title
    assert '<div class="hint">Не больше &lt;300&gt; знаков</div>' in title
    assert '<div class="error" id="title-err">Слишком &lt;длинно&gt;.</div></div>' in title
    assert agree.startswith('<div class="field field--check"><input id="agree" name="agree" type="checkbox" value="y"> '
                            '<label for="agree">Согласен</label>')
    assert areas.startswith('<fieldset class="field"><legend>Области</legend><ul class="checks" id="areas">')
    assert "&lt;Оценивание&gt;" in areas and "aria-invalid" not in areas
