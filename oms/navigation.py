"""The district menu: each feature adds its entry here; the menu shows what exists and is allowed.

A few entries stand on the menu's row; the rest sit in groups that open as a list (templates/base.html).
A group with one entry the user may open shows as that entry; an empty group is left out.
"""
from dataclasses import dataclass

from flask import current_app

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


def district_nav() -> list:
    """The menu row: (endpoint, label) links and NavGroups, in DISTRICT_NAV order (a group where its first entry is)."""
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
