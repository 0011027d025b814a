"""The district menu: each feature adds its entry here; the menu shows what exists and is allowed.

A few entries stand on the menu's row; the rest sit in groups that open as a list (templates/base.html).
A group with one entry the user may open shows as that entry; an empty group is left out.
"""
from dataclasses import dataclass

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from .text import N_

ORGANISATION = N_("Организация")
WORK = N_("Работа службы")
TEACHERS = N_("Педагоги")
ADMIN = N_("Управление")

# (endpoint, label, action the user needs, group or None for the menu's row)
DISTRICT_NAV = [
    ("home.index", N_("Главная"), "district.view", None),
    ("workspace.leader_home", N_("Мои объединения"), "workspace.lead", None),
    ("me.index", N_("Моё"), "workspace.me", None),
    ("calendar.index", N_("Календарь"), "district.view", None),
    ("plan.index", N_("План работы"), "district.view", None),
    ("structure.index", N_("Структура"), "district.view", ORGANISATION),
    ("council.index", N_("Совет"), "district.view", ORGANISATION),
    ("associations.index", N_("Объединения"), "district.view", ORGANISATION),
    ("bodies.index", N_("Советы школ"), "district.view", ORGANISATION),
    ("directions.index", N_("Направления и функции"), "district.view", ORGANISATION),
    ("events.index", N_("Мероприятия"), "district.view", WORK),
    ("contests.index", N_("Конкурсы и олимпиады"), "contests.view", WORK),
    ("practices.index", N_("Банк практик"), "district.view", WORK),
    ("consultations.index", N_("Консультации"), "district.view", WORK),
    ("surveys.index", N_("Анкеты"), "district.view", WORK),
    ("people.index", N_("Педагоги"), "district.view", TEACHERS),
    ("schools.index", N_("Школы"), "district.view", TEACHERS),
    ("development.index", N_("Развитие"), "district.view", TEACHERS),
    ("pd_requests.index", N_("Заявки на курсы"), "pd.request", TEACHERS),
    ("documents.index", N_("Документы"), "district.view", None),
    ("users.index", N_("Пользователи"), "users.manage", ADMIN),
    ("audit.index", N_("Журнал"), "audit.view", ADMIN),
    ("dataexport.index", N_("Выгрузка данных"), "district.export", ADMIN),
]


@dataclass
class NavGroup:
    label: str
    links: list  # [(endpoint, label)]

    def holds(self, blueprint: str) -> bool:
        return any(endpoint.split(".")[0] == blueprint for endpoint, _label in self.links)


def _role_only() -> bool:
    """Whether every menu entry's right is a plain yes/no of the role (no rule looking at the user or an object):
    then the menu depends on the role alone, and is built once per role."""
    from .permissions import RULES

    return all(not callable(rule) for _e, _l, action, _g in DISTRICT_NAV for rule in RULES[action].values())


def district_nav() -> list:
    """The menu row: (endpoint, label) links and NavGroups, in DISTRICT_NAV order (a group where its first entry is).
    Built once per role (the rights of the menu's entries are the role's; see _role_only)."""
    if not current_user.is_authenticated or not ROLE_ONLY:
        return _build_nav()
    cache = current_app.extensions.setdefault("oms_nav", {})
    nav = cache.get(current_user.role)
    if nav is None:
        nav = cache[current_user.role] = _build_nav()
    return nav


def _build_nav() -> list:
    from .permissions import can

    row, groups = [], {}
    for endpoint, label, action, group in DISTRICT_NAV:
        if endpoint not in current_app.view_functions or not can(action):
            continue
        if group is None:
            row.append((endpoint, label))
        elif group in groups:
            groups[group].links.append((endpoint, label))
        else:
            groups[group] = NavGroup(group, [(endpoint, label)])
            row.append(groups[group])
    return [entry.links[0] if isinstance(entry, NavGroup) and len(entry.links) == 1 else entry for entry in row]


def district_links() -> list:
    """Every entry the user may open, flat (the home page's tiles)."""
    links = []
    for entry in district_nav():
        links.extend(entry.links if isinstance(entry, NavGroup) else [entry])
    return links


def district_menu() -> Markup:
    """The menu's HTML (templates/_district_menu.html), rendered once per role, district, language and current
    section, then reused: the links and labels are the same for every such request."""
    here = request.endpoint.split(".")[0] if request.endpoint else ""
    if not current_user.is_authenticated or not ROLE_ONLY:
        return Markup(render_template("_district_menu.html", nav=district_nav(), here=here))
    key = (current_user.role, g.get("tenant_slug"), str(get_locale()), here, request.script_root)
    cache = current_app.extensions.setdefault("oms_menus", {})
    html = cache.get(key)
    if html is None:
        if len(cache) > 5000:  # districts × roles × languages × sections: bounded all the same
            cache.clear()
        html = cache[key] = Markup(render_template("_district_menu.html", nav=district_nav(), here=here))
    return html


ROLE_ONLY = _role_only()
