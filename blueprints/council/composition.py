"""Membership by position (Kalar 3.1): a council's composition defined by positions — the authority's
methodists for general, pre-school and additional education; each school's deputy heads for methodological
and for upbringing work. The council's page shows which seats are empty and which schools lack their member.

A member fills a seat when the seat's title occurs in their «кого представляет, должность в составе» (compared
folded), and — for a per-school seat — the member's school is that school.
"""
import functools

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, func, select

from oms.extensions import db
from oms.models import CompositionRule, School
from oms.permissions import require
from oms.tenancy import current_tenant
from oms.text import clean, fold

from . import bp


@functools.cache
def _rules_statement():
    """The body's composition rules, a select built once (its parameters: tenant_id, body_id)."""
    return (CompositionRule.scoped_by_param().where(CompositionRule.body_id == bindparam("body_id"))
            .order_by(CompositionRule.position, CompositionRule.id))


@functools.cache
def _schools_statement():
    """The district's schools (not kindergartens) by name, a select built once (its parameter: tenant_id)."""
    return (School.scoped_by_param().with_only_columns(School.id, School.short_name, School.name)
            .where(School.kind == "school").order_by(School.short_name, School.name))


def composition(body, members) -> list[dict]:
    """[{rule, holders: [member], missing: [school label]}] — at most two queries, however many members (the
    schools only for a seat held by each school)."""
    params = {"tenant_id": current_tenant.id, "body_id": body.id}
    rules = db.session.scalars(_rules_statement(), params).all()
    if not rules:
        return []
    schools = db.session.execute(_schools_statement(), params).all() if any(r.per_school for r in rules) else []
    result = []
    for rule in rules:
        key = fold(rule.title)
        holders = [m for m in members if key and key in fold(m.role_title or "")]
        missing = []
        if rule.per_school:
            covered = {m.person.school_id for m in holders}
            missing = [short or name for sid, short, name in schools if sid not in covered]
        result.append({"rule": rule, "holders": holders, "missing": missing})
    return result


def _council(council_id):
    from .routes import screens

    body = screens.body_or_404(council_id)
    require("council.edit", body)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return body


@bp.route("/<int:council_id>/composition/rules", methods=["POST"])
def add_rule(council_id: int):
    body = _council(council_id)
    title = clean(request.form.get("title", ""))[:300]
    if not title:
        flash(_("Введите должность (кого представляет член совета)."), "error")
        return redirect(url_for("council.detail", council_id=body.id) + "#composition"), 303
    top = db.session.scalar(select(func.max(CompositionRule.position)).where(CompositionRule.body_id == body.id))
    db.session.add(CompositionRule(tenant_id=current_tenant.id, body_id=body.id, title=title,
                                   per_school=request.form.get("per_school") == "1", position=(top or 0) + 1))
    db.session.commit()
    return redirect(url_for("council.detail", council_id=body.id) + "#composition"), 303


@bp.route("/<int:council_id>/composition/rules/<int:rule_id>/delete", methods=["POST"])
def delete_rule(council_id: int, rule_id: int):
    body = _council(council_id)
    rule = db.session.scalar(CompositionRule.scoped().where(CompositionRule.id == rule_id,
                                                            CompositionRule.body_id == body.id))
    if rule is None:
        abort(404)
    db.session.delete(rule)
    db.session.commit()
    return redirect(url_for("council.detail", council_id=body.id) + "#composition"), 303

