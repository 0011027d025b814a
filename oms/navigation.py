"""The district menu: each feature adds its entry here; the menu shows what exists and is allowed."""
from flask import current_app

# (endpoint, label, action the user needs)
DISTRICT_NAV = [
    ("home.index", "Главная", "district.view"),
    ("workspace.leader_home", "Мои объединения", "workspace.lead"),
    ("me.index", "Моё", "workspace.me"),
    ("structure.index", "Структура", "district.view"),
    ("council.index", "Совет", "district.view"),
    ("associations.index", "Объединения", "district.view"),
    ("directions.index", "Направления и функции", "district.view"),
    ("plan.index", "План работы", "district.view"),
    ("people.index", "Педагоги", "district.view"),
    ("schools.index", "Школы", "district.view"),
    ("development.index", "Развитие", "district.view"),
    ("users.index", "Пользователи", "users.manage"),
    ("audit.index", "Журнал", "audit.view"),
    ("dataexport.index", "Выгрузка данных", "district.export"),
]


def district_nav():
    from .permissions import can

    return [(endpoint, label) for endpoint, label, action in DISTRICT_NAV
            if endpoint in current_app.view_functions and can(action)]
