"""Cheap templates: translations and URLs resolved once, not once per call.

Measured on the demo (bench/pages.py): Jinja's `_()` through Flask-Babel cost about 20 µs a call (each call
looks the domain, the locale and the catalogue up again through Flask's context proxies) and `url_for` about
15 µs; a list page makes hundreds of both. Three mechanisms, installed by `init_app`, change no template:

- `RequestDomain`: Flask-Babel's domain, keeping the request's catalogue once found (for the current locale;
  `force_locale` gives another locale and so another catalogue). Every `gettext` and lazy label benefits.
- Jinja's `_`, `gettext`, `ngettext`, `pgettext`, `npgettext`: the same meaning as Jinja's "newstyle"
  gettext (the result is escaped-safe Markup under autoescape and always %-formatted), but the request's
  catalogue is read straight from where RequestDomain keeps it, and a message without variables is
  translated (and escaped, and formatted) once per catalogue.
- `url_for` in templates: the URL is the endpoint's pattern with the values put in, instead of a new build.
  A pattern belongs to an endpoint with a set of arguments (names and types) and the app's root, and is kept
  for the process: the URL defaults (the district's slug) are put among the values first, so one pattern
  serves every district. It is made by building the URL with stand-in values and checking that putting two
  other sets (large and small numbers, other strings) into it gives exactly the URLs Flask builds for them;
  an endpoint where that fails is always built. Only whole numbers (>= 0) and strings of URL-safe characters
  are put in (no `_anchor`, `_external` and the like); anything else is built as before.
"""
import re

from flask import g, url_for as flask_url_for
from flask.globals import _cv_app, _cv_request
from flask_babel import Domain, get_translations
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup, escape

from .text import N_

# ---- translations --------------------------------------------------------------------------------


def _babel_context():
    app_ctx = _cv_app.get(None)
    return None if app_ctx is None else app_ctx.g.__dict__.get("_flask_babel")


class RequestDomain(Domain):
    """Flask-Babel's Domain, remembering the request's catalogue for the request's locale."""

    def get_translations(self):
        ctx = _babel_context()
        if ctx is not None:
            state = ctx.__dict__
            hit = state.get("oms_translations")
            if hit is not None and hit[0] is state.get("babel_locale") and hit[2] is self:
                return hit[1]
        translations = super().get_translations()
        ctx = _babel_context()
        if ctx is not None and ctx.__dict__.get("babel_locale") is not None:
            ctx.oms_translations = (ctx.babel_locale, translations, self)
        return translations


def _catalogue(eval_ctx=None):
    """The request's catalogue, as RequestDomain keeps it. (Not kept on the template: a macro module
    imported without context is cached by Jinja across requests, and so is its EvalContext.)"""
    ctx = _babel_context()
    if ctx is not None:
        state = ctx.__dict__
        hit = state.get("oms_translations")
        if hit is not None and hit[0] is state.get("babel_locale") and hit[2] is state.get("babel_domain"):
            return hit[1]
    return get_translations()


def _memo(translations) -> dict:
    memo = translations.__dict__.get("_oms_memo")
    if memo is None:
        memo = translations._oms_memo = {}
    return memo


@pass_context
def gettext(__context, __string, **variables):
    eval_ctx = __context.eval_ctx
    translations = _catalogue(eval_ctx)
    autoescape = eval_ctx.autoescape
    if variables:
        rv = translations.ugettext(__string)
        return (Markup(rv) if autoescape else rv) % variables
    memo = _memo(translations)
    key = (__string, autoescape)
    try:
        return memo[key]
    except KeyError:
        rv = translations.ugettext(__string)
        rv = memo[key] = (Markup(rv) if autoescape else rv) % {}
        return rv


@pass_context
def ngettext(__context, __singular, __plural, __num, **variables):
    variables.setdefault("num", __num)
    rv = _catalogue(__context.eval_ctx).ungettext(__singular, __plural, __num)
    return (Markup(rv) if __context.eval_ctx.autoescape else rv) % variables


@pass_context
def pgettext(__context, __string_ctx, __string, **variables):
    variables.setdefault("context", __string_ctx)
    rv = _catalogue(__context.eval_ctx).upgettext(__string_ctx, __string)
    return (Markup(rv) if __context.eval_ctx.autoescape else rv) % variables


@pass_context
def npgettext(__context, __string_ctx, __singular, __plural, __num, **variables):
    variables.setdefault("context", __string_ctx)
    variables.setdefault("num", __num)
    rv = _catalogue(__context.eval_ctx).unpgettext(__string_ctx, __singular, __plural, __num)
    return (Markup(rv) if __context.eval_ctx.autoescape else rv) % variables


# ---- URLs ----------------------------------------------------------------------------------------

_SAFE = re.compile(r"[A-Za-z0-9_.~-]{1,200}")
_NO_PATTERN = object()


def _stand_in(value_type, n: int, round_: int):
    if round_ == 2:  # small values: a converter that pads or formats numbers shows here
        return n + 1 if value_type is int else f"a{n}"
    return (987_000_000 + 7919 * n + 104_729 * round_) if value_type is int else f"zq{n}x{round_}qz"


def _fits(value) -> bool:
    kind = type(value)
    return (kind is int and value >= 0) or (kind is str and _SAFE.fullmatch(value) is not None)


def _pattern(endpoint: str, names: tuple, types: tuple):
    """The URL split around its values: [text, value index, text, ...], or _NO_PATTERN."""
    try:
        first, second, small = ([_stand_in(t, n, round_) for n, t in enumerate(types)] for round_ in (0, 1, 2))
        url = flask_url_for(endpoint, **dict(zip(names, first)))
        checks = [(values, flask_url_for(endpoint, **dict(zip(names, values)))) for values in (second, small)]
    except Exception:  # noqa: BLE001 (a stand-in a converter refuses: build every time, as before)
        return _NO_PATTERN
    parts: list = [url]
    for n, value in enumerate(first):
        text = str(value)
        split = []
        for part in parts:
            if isinstance(part, str) and text in part:
                pieces = part.split(text)
                if len(pieces) != 2:
                    return _NO_PATTERN
                split += [pieces[0], n, pieces[1]]
            else:
                split.append(part)
        if len(split) != len(parts) + 2:
            return _NO_PATTERN
        parts = split
    if any(_fill(parts, [str(v) for v in values]) != check for values, check in checks):
        return _NO_PATTERN
    return parts


def _fill(parts, texts) -> str:
    return "".join(texts[p] if type(p) is int else p for p in parts)


def url_for(endpoint: str, **values) -> str:
    """Flask's url_for, from the endpoint's pattern once one is known (see above)."""
    request_ctx = _cv_request.get(None)
    if request_ctx is None or not all(map(_fits, values.values())) or any(name[0] == "_" for name in values):
        return flask_url_for(endpoint, **values)
    app = request_ctx.app
    app.inject_url_defaults(endpoint, values)  # the district's slug (oms.tenancy), as Flask's url_for would
    if not all(map(_fits, values.values())):
        return flask_url_for(endpoint, **values)
    names = tuple(values)
    key = (endpoint, names, tuple(map(type, values.values())), request_ctx.request.script_root)
    patterns = app.extensions["oms_url_patterns"]
    parts = patterns.get(key)
    if parts is None:
        if len(patterns) > 20_000:  # endpoints × their sets of values: a few thousand; bounded all the same
            patterns.clear()
        parts = patterns[key] = _pattern(endpoint, names, key[2])
    if parts is _NO_PATTERN:
        return flask_url_for(endpoint, **values)
    return _fill(parts, [str(v) for v in values.values()])


_ROW_ID = 987_654_321


def url_prefix(endpoint: str, name: str, **values) -> str:
    """The URL of `endpoint` up to its last value, a row's id (`name`): a list writes `{{ prefix }}{{ row.id }}`
    for each row instead of building a URL per row. Refused (ValueError) for a URL that does not end with the id."""
    url = url_for(endpoint, **values, **{name: _ROW_ID})
    if not url.endswith(str(_ROW_ID)):
        raise ValueError(f"{endpoint}: the URL does not end with its {name}")
    return url[:-len(str(_ROW_ID))]


def row_url(endpoint: str, name: str, **values):
    """A function of a row's id giving the URL of `endpoint` for that row, built with ONE url_for for the whole
    list: `{% set at = row_url('x.edit', 'item_id') %}` … `{{ at(row.id) }}`. For URLs where the id is followed by
    more of the path (`/items/<id>/edit`), which url_prefix refuses."""
    url = url_for(endpoint, **values, **{name: _ROW_ID})
    before, found, after = url.partition(str(_ROW_ID))
    if not found or str(_ROW_ID) in after:
        raise ValueError(f"{endpoint}: the URL does not hold its {name} once")
    return lambda row_id: f"{before}{int(row_id)}{after}"


def resolved(labels: dict) -> dict:
    """A dict of lazy labels as plain strings of the current language: a list reads each label once per page
    (`{% set statuses = STATUSES|resolved %}`), not once per row."""
    return {key: str(label) for key, label in labels.items()}


def csrf_token() -> str:
    """Flask-WTF's `csrf_token()` for templates, cheap on every call after the first: generate_csrf makes the
    request's token once and keeps it in `g.csrf_token`; a list with a delete form per row reads it from there."""
    token = g.get("csrf_token")
    return token if token is not None else generate_csrf()


@pass_context
def edit_delete(__context, edit_url, delete_url, confirm, row=None, box=None, delete_label=None) -> Markup:
    """A row's «Изменить» link and «Удалить» form; `confirm` is asked before deleting. With `box` (the id of the
    element holding the rows) they work in place through htmx: the edit form replaces the element `row`, and
    `box` comes back without the deleted row. Without `box`: a plain link and form (static/js/app.js asks
    `confirm` from data-confirm). A global written here, not a macro: a list calls it once per row, and the
    macro with its nested csrf() cost about 40 µs a row."""
    edit_url, delete_url, confirm = escape(edit_url), escape(delete_url), escape(confirm)
    edit_hx = f' hx-get="{edit_url}" hx-target="#{escape(row)}" hx-swap="outerHTML"' if row else ""
    ask = (f' hx-post="{delete_url}" hx-target="#{escape(box)}" hx-swap="outerHTML" hx-confirm="{confirm}"' if box
           else f' data-confirm="{confirm}"')
    label = escape(delete_label) if delete_label else gettext(__context, N_("Удалить"))
    return Markup(f'<a href="{edit_url}"{edit_hx}>{gettext(__context, N_("Изменить"))}</a>\n'
                  f'<form method="post" action="{delete_url}"{ask}><input type="hidden" name="csrf_token" '
                  f'value="{escape(csrf_token())}"><button class="linklike danger" type="submit">{label}</button></form>')


def field(f, hint=None, autofocus=False) -> Markup:
    """A form field with its label, hint and errors: `{{ field(form.title, hint=_("…")) }}`. A list of ticks
    (a ListWidget) is a fieldset with its legend; a tick box (BooleanField) stands before its label. A field
    with errors is marked aria-invalid and described by them. A global written here, not a macro: a form page
    renders dozens, and the macro cost about 40 µs a field besides the field's own HTML."""
    errors = f.errors
    invalid = {"aria-invalid": "true", "aria-describedby": f"{f.id}-err"} if errors else {}
    error_id = escape(f"{f.id}-err")
    tail = (f'<div class="hint">{escape(hint)}</div>' if hint else "") + "".join(
        f'<div class="error" id="{error_id}">{escape(e)}</div>' for e in errors)
    marked = " field--error" if errors else ""
    if hasattr(f.widget, "html_tag"):
        return Markup(f'<fieldset class="field{marked}"><legend>{escape(f.label.text)}</legend>'
                      f'{f(class_="checks", **invalid)}{tail}</fieldset>')
    if f.type == "BooleanField":
        return Markup(f'<div class="field{marked} field--check">'
                      f'{f(**({"aria-invalid": "true"} if errors else {}))} {f.label}{tail}</div>')
    return Markup(f'<div class="field{marked}">{f.label}{f(autofocus=autofocus, **invalid)}{tail}</div>')


# ---- wiring --------------------------------------------------------------------------------------

def init_app(app, babel) -> None:
    babel.domain_instance = RequestDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                                 npgettext=npgettext, url_for=url_for,
                                 url_prefix=url_prefix, row_url=row_url, csrf_token=csrf_token,
                                 edit_delete=edit_delete, field=field)
    app.jinja_env.filters["resolved"] = resolved
    app.extensions["oms_url_patterns"] = {}
    # Flask-WTF also puts its csrf_token into every template's context: this processor, registered later, wins.
    app.context_processor(lambda: {"csrf_token": csrf_token})
