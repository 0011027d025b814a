"""Who may do what: one table of roles × actions, one check.

Views call `require(action, obj)`; templates call `can(action, obj)` to hide
what a user may not press. A rule is either True (the role may) or a
predicate on (user, obj) for rights that depend on the object, such as an
association leader editing only their own association.
"""
from collections.abc import Callable
from enum import StrEnum

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user


class Role(StrEnum):
    OPERATOR = "operator"
    ADMIN = "admin"
    METHODIST = "methodist"
    LEADER = "leader"
    TEACHER = "teacher"


ROLE_LABELS = {
    Role.OPERATOR: _l("Оператор платформы"),
    Role.ADMIN: _l("Администратор района"),
    Role.METHODIST: _l("Методист"),
    Role.LEADER: _l("Руководитель объединения"),
    Role.TEACHER: _l("Педагог"),
}
DISTRICT_ROLES = (Role.ADMIN, Role.METHODIST, Role.LEADER, Role.TEACHER)


def _leads(user, obj) -> bool:
    """The object belongs to an association this user leads."""
    check = getattr(obj, "is_led_by", None)
    return bool(check and check(user))


def _is_self(user, obj) -> bool:
    return obj is not None and getattr(obj, "user_id", None) == user.id


def _keeps_mentoring_log(user, obj) -> bool:
    check = getattr(obj, "is_kept_by", None)
    return bool(check and check(user))


def _in_mentorship(user, obj) -> bool:
    check = getattr(obj, "involves", None)
    return bool(check and check(user))


A, M, L, T = Role.ADMIN, Role.METHODIST, Role.LEADER, Role.TEACHER
Rule = bool | Callable

RULES: dict[str, dict[Role, Rule]] = {
    "platform.manage": {Role.OPERATOR: True},
    "district.view": {A: True, M: True, L: True, T: True},
    "users.manage": {A: True},
    "audit.view": {A: True},
    "district.export": {A: True},
    "district.profile": {A: True},
    "structure.edit": {A: True},
    "directions.edit": {A: True},
    "council.edit": {A: True, M: True},
    "body.edit": {A: True, M: True, L: _leads},
    "agenda.propose": {A: True, M: True, L: True},
    "association.create": {A: True, M: True},
    "association.edit": {A: True, M: True, L: _leads},
    "association.manage": {A: True, M: True},
    "people.edit": {A: True, M: True},
    "people.import": {A: True, M: True},
    "people.export": {A: True, M: True, L: True},
    "people.contacts": {A: True, M: True, L: True, T: _is_self},
    "schools.edit": {A: True, M: True},
    "person.edit_self": {A: True, M: True, L: _is_self, T: _is_self},
    "plan.edit": {A: True, M: True},
    "plan.approve": {A: True},
    "plan.item.edit": {A: True, M: True, L: _leads},
    "plan.export": {A: True, M: True, L: True, T: True},
    "plan.import": {A: True, M: True},
    "development.edit": {A: True, M: True},
    "development.view": {A: True, M: True, L: True},
    "development.person": {A: True, M: True, L: True, T: _is_self},
    "course.propose": {A: _is_self, M: _is_self, L: _is_self, T: _is_self},
    "mentoring.view": {A: True, M: True, L: True, T: _in_mentorship},
    "mentoring.log": {A: True, M: True, L: _keeps_mentoring_log, T: _keeps_mentoring_log},
    "practices.propose": {A: True, M: True, L: True, T: True},
    "practices.manage": {A: True, M: True},
    "practices.rubric": {A: True},
    "practices.export": {A: True, M: True},
    "contests.view": {A: True, M: True, L: True, T: True},
    "contests.edit": {A: True, M: True},
    "events.edit": {A: True, M: True, L: _leads},
    "events.register_others": {A: True, M: True, L: _leads},  # a leader: for events of their own association
    "calendar.feed": {A: True, M: True, L: True, T: True},
    "workspace.lead": {L: True},
    "workspace.me": {A: True, M: True, L: True, T: True},
    "consultations.journal": {A: True, M: True, L: True},
    "consultations.edit": {A: True, M: True},
    "consultations.book": {A: True, M: True, L: True, T: True},
    "surveys.manage": {A: True, M: True},
    "surveys.answer": {A: True, M: True, L: True, T: True},
    "pd.request": {A: True, M: True, L: True, T: True},
    "pd.manage": {A: True, M: True},
    "documents.manage": {A: True, M: True},
}


def can(action: str, obj=None, user=None) -> bool:
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return False
    rule = RULES[action].get(Role(user.role), False)
    if callable(rule):
        return rule(user, obj)
    return bool(rule)


def require(action: str, obj=None) -> None:
    if not can(action, obj):
        from .audit import record_denial

        record_denial(action, obj)
        abort(403)
