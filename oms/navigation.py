"""The district menu: each feature adds its entry here; the menu shows what exists and is allowed."""
from flask import current_app

from .text import N_

# (endpoint, label, action the user needs)
DISTRICT_NAV = [
    ("home.index", N_("Главная"), "district.view"),
    ("workspace.leader_home", N_("Мои объединения"), "workspace.lead"),
    ("me.index", N_("Моё"), "workspace.me"),
    ("structure.index", N_("Структура"), "district.view"),
    ("council.index", N_("Совет"), "district.view"),
    ("associations.index", N_("Объединения"), "district.view"),
    ("bodies.index", N_("Советы школ"), "district.view"),
    ("directions.index", N_("Направления и функции"), "district.view"),
    ("plan.index", N_("План работы"), "district.view"),
    ("events.index", N_("Мероприятия"), "district.view"),
    ("calendar.index", N_("Календарь"), "district.view"),
    ("people.index", N_("Педагоги"), "district.view"),
    ("schools.index", N_("Школы"), "district.view"),
    ("development.index", N_("Развитие"), "district.view"),
    ("practices.index", N_("Банк практик"), "district.view"),
    ("consultations.index", N_("Консультации"), "district.view"),
    ("surveys.index", N_("Анкеты"), "district.view"),
    ("pd_requests.index", N_("Заявки на курсы"), "pd.request"),
    ("contests.index", N_("Конкурсы и олимпиады"), "contests.view"),
    ("documents.index", N_("Документы"), "district.view"),
    ("users.index", N_("Пользователи"), "users.manage"),
    ("audit.index", N_("Журнал"), "audit.view"),
    ("dataexport.index", N_("Выгрузка данных"), "district.export"),
]


def district_nav():
    from .permissions import can

    return [(endpoint, label) for endpoint, label, action in DISTRICT_NAV
            if endpoint in current_app.view_functions and can(action)]
