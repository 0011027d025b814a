"""oms.templating: translations and URLs resolved once mean the same as Flask-Babel's and Flask's own."""
import html

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
    request's language."""
    page = "{% from '_macros.html' import edit_delete %}{{ edit_delete('/e', '/d', 'ok?') }}"
    seen = []
    for lang in ("en", "ru", "en"):
        with app.app_context(), app.test_request_context("/"):
            session["lang"] = lang
            seen.append(render_template_string(page))
    assert ">Edit<" in seen[0] and ">Изменить<" in seen[1] and ">Edit<" in seen[2]
