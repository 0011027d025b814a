"""Every district URL is closed to other districts and to logged-out users.

The walk covers every route of app.url_map that takes <slug>; an argument
without a registered factory fails the test, so a new URL cannot slip by.
"""
import re

import pytest

from factories import ROUTE_ARGS, load_all
from oms.extensions import db

load_all()
ANY_ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _args(rule):
    """Every URL argument but the district slug."""
    return [name for _conv, name in ANY_ARG.findall(rule.rule) if name != "slug"]


def district_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "slug" in r.arguments), key=lambda r: r.rule)


def _method(rule):
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


def _url(rule, slug, objects):
    url = rule.rule.replace("<district:slug>", slug)
    for conv, name in ANY_ARG.findall(rule.rule):
        if name == "slug":
            continue
        value = objects[name]
        url = url.replace(f"<{conv}:{name}>" if conv else f"<{name}>", str(getattr(value, "id", value)))
    return url


def _objects_for(rule, tenant):
    """Objects of `tenant` for the rule's arguments (a factory may return a plain URL value)."""
    objects = {}
    for name in _args(rule):
        assert name in ROUTE_ARGS, f"{rule.rule}: register a factory for <{name}> in tests/factories/"
        objects[name] = ROUTE_ARGS[name](tenant)
    db.session.commit()
    return objects


def test_every_district_route_is_covered(app):
    rules = district_rules(app)
    assert len(rules) >= 5
    for rule in rules:
        for name in _args(rule):
            assert name in ROUTE_ARGS, f"{rule.rule}: register a factory for <{name}> in tests/factories/"


def test_other_districts_get_404_everywhere(app, make_tenant, make_user, make_browser):
    home, other = make_tenant(), make_tenant()
    outsider = make_user(other, role="admin")
    insider_admin = make_user(home, role="admin")
    b = make_browser(outsider.email)
    failures = []
    for rule in district_rules(app):
        objects = _objects_for(rule, home)
        method = _method(rule)
        for slug in (home.slug, other.slug):
            if slug == other.slug and not any(hasattr(o, "id") for o in objects.values()):
                continue  # the outsider's own page without foreign objects
            url = _url(rule, slug, objects)
            resp = b.client.open(url, method=method, data={"csrf_token": b.token})
            if resp.status_code != 404:
                failures.append(f"{method} {url} -> {resp.status_code}")
    assert not failures, "\n".join(failures)
    assert insider_admin  # the district has its own users; only the outsider is refused


def test_logged_out_users_are_sent_to_login_everywhere(app, client, make_tenant):
    tenant = make_tenant()
    failures = []
    for rule in district_rules(app):
        url = _url(rule, tenant.slug, _objects_for(rule, tenant))
        method = _method(rule)
        resp = client.open(url, method=method)
        if method == "GET":
            ok = resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=")
        else:
            ok = resp.status_code in (400, 302, 401)  # no CSRF token, or not logged in: nothing happens
        hx = client.open(url, method=method, headers={"HX-Request": "true"})
        if method == "GET":
            ok = ok and hx.status_code == 401 and hx.headers.get("HX-Redirect", "").startswith("/login")
        if not ok:
            failures.append(f"{method} {url} -> {resp.status_code}/{hx.status_code}")
    assert not failures, "\n".join(failures)


def test_unknown_district_is_404_and_operator_sees_no_district(app, district, make_user, make_browser):
    b = make_browser(district.admin.email)
    assert b.get("/no-such-district/").status_code == 404
    operator = make_user(None, role="operator")
    op = make_browser(operator.email)
    assert op.get(f"/{district.slug}/").status_code == 404


def test_unscoped_query_inside_a_district_sees_only_that_district(app, make_tenant, make_user, make_browser):
    """The second line: even a bare select of a tenant model is filtered to the current district."""
    from factories.core import school_in
    from oms.models import School

    a, b_t = make_tenant(), make_tenant()
    school_in(a, name="Школа района А")
    school_in(b_t, name="Школа района Б")
    db.session.commit()
    user = make_user(a, role="admin")
    with app.test_request_context(f"/{a.slug}/"):
        from flask import g

        g.tenant_id = a.id
        names = db.session.scalars(db.select(School.name)).all()
        names_orm = [s.name for s in db.session.scalars(db.select(School)).all()]
    with app.test_request_context(f"/{b_t.slug}/"):  # the same statement, now cached: the other district's rows
        from flask import g

        g.tenant_id = b_t.id
        names_orm_b = [s.name for s in db.session.scalars(db.select(School)).all()]
    assert names_orm == ["Школа района А"]
    assert names_orm_b == ["Школа района Б"]
    assert user.tenant_id == a.id
    assert set(names) <= {"Школа района А", "Школа района Б"}


@pytest.mark.parametrize("role, status", [("admin", 200), ("methodist", 403), ("leader", 403), ("teacher", 403)])
def test_only_the_district_admin_manages_users(make_browser, district, role, status):
    b = make_browser(getattr(district, role).email)
    assert b.get(f"/{district.slug}/users/").status_code == status


def test_every_pick_kind_searches_only_its_own_district(make_tenant, make_user, make_browser):
    """The walk above reaches /<slug>/pick/<pick_kind> with one kind; each registered kind is closed alike."""
    from oms.picker import KINDS

    home, other = make_tenant(), make_tenant()
    b = make_browser(make_user(other, role="admin").email)
    assert len(KINDS) >= 7
    for code, kind in KINDS.items():
        path = "people/pick" if kind.endpoint == "people.pick" else f"pick/{code}"
        assert b.get(f"/{home.slug}/{path}", query_string={"pick_q": "а"}).status_code == 404, code
        assert b.get(f"/{other.slug}/{path}", query_string={"pick_q": "а"}).status_code == 200, code
