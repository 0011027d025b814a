"""The current district: resolved once per request from the URL prefix.

Every district URL is `/<slug>/...`. `TenantBlueprint` pulls the slug out of
the URL, checks that the logged-in user belongs to that district (anything
else is a 404 that tells nothing), and puts it back into every `url_for`.
A second line of defence adds `tenant_id = current` to every ORM query of a
tenant-owned model while a district is set.
"""
import threading
import weakref

from flask import Blueprint, abort, current_app, g, has_request_context, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, event
from sqlalchemy.orm import Session, with_loader_criteria
from werkzeug.local import LocalProxy
from werkzeug.routing import BaseConverter

from . import rls
from .current import current_tenant_id  # noqa: F401  (kept importable from here)
from .models.base import TenantScoped
from .models.tenant import Tenant


def _get_tenant():
    return g.get("tenant")


current_tenant: Tenant = LocalProxy(_get_tenant)  # type: ignore[assignment]


def login_redirect():
    """Logged out: a page goes to the login form; an htmx call gets 401 + HX-Redirect."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request") == "true":
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


class TenantBlueprint(Blueprint):
    """A feature blueprint living under `/<slug>/`."""

    def __init__(self, name, import_name, url_prefix="", **kwargs):
        super().__init__(name, import_name, url_prefix="/<district:slug>" + url_prefix, **kwargs)
        self.url_value_preprocessor(_pull_slug)
        self.before_request(_enter_district)


def _pull_slug(endpoint, values):
    g.tenant_slug = (values or {}).pop("slug", None)


def _enter_district():
    if not current_user.is_authenticated:
        return login_redirect()
    # A user enters only the own district, loaded with the login (User.tenant is joined): no query here.
    tenant = current_user.tenant
    if tenant is None or tenant.slug != g.tenant_slug or tenant.is_suspended:
        abort(404)
    g.tenant = tenant
    rls.enter_district(tenant.id)  # g.tenant_id, and the database's own setting on PostgreSQL


def _add_slug(endpoint, values):
    if "slug" in values or g.get("tenant_id") is None:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "slug"):
        values["slug"] = g.tenant_slug


RESERVED_SLUGS = ("login", "logout", "platform", "static", "healthz", "set-password", "account",
                  "lang", "admin", "api", "www", "ical", "public")


class DistrictConverter(BaseConverter):
    """A district slug; never one of the site's own top-level paths."""

    regex = r"(?!(?:" + "|".join(RESERVED_SLUGS) + r")(?:/|$))[a-z][a-z0-9-]{1,38}[a-z0-9]"
    # One path segment (the "/" above is only in the look-ahead): without this, werkzeug matches each of the
    # ~330 district routes as one whole-path regex, tried one by one on every request.
    part_isolating = True


def init_app(app):
    app.url_map.converters["district"] = DistrictConverter
    app.url_defaults(_add_slug)


# The district is a bound parameter whose value is read when a statement runs: the criterion, and so every
# statement's cache key, is the same for every request and every district.
_CURRENT_DISTRICT = bindparam("current_district", callable_=current_tenant_id)


def _current_district_criterion(cls):
    return cls.tenant_id == _CURRENT_DISTRICT


# One option for the whole process: built once, so its lambda is analysed once (not per request).
_TENANT_CRITERIA = with_loader_criteria(TenantScoped, _current_district_criterion, include_aliases=True,
                                        track_closure_variables=False)


# A statement → the same statement with the option. Kept for as long as the statement lives (the statements
# built once, most of a page's, for the process): a statement's cache key is computed once and kept on it, and
# a statement made anew by `.options()` for every run computed it again each time (some 60 µs a query).
_WITH_CRITERIA: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_WITH_CRITERIA_LOCK = threading.Lock()


def _with_criteria(statement):
    scoped = _WITH_CRITERIA.get(statement)
    if scoped is None:
        scoped = statement.options(_TENANT_CRITERIA)
        with _WITH_CRITERIA_LOCK:
            _WITH_CRITERIA[statement] = scoped
    return scoped


@event.listens_for(Session, "do_orm_execute")
def _scope_to_current_district(state):
    if not state.is_select or not has_request_context():
        return
    if g.get("tenant_id") is None or state.execution_options.get("all_districts"):
        return
    state.statement = _with_criteria(state.statement)
