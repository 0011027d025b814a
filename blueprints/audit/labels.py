"""How the audit trail reads in the user's language: actions, kinds of objects, fields and values.

A feature whose model is not listed here can name it on the class:
`audit_type_label = _l("Мероприятие плана")` and `audit_field_labels = {"starts_on": _l("Дата начала")}`.
Anything unnamed is shown by its code, never hidden.
"""
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel import to_user_timezone

from oms.permissions import ROLE_LABELS, Role

ACTION_LABELS = {
    "create": _l("Создание"),
    "update": _l("Изменение"),
    "delete": _l("Удаление"),
    "login": _l("Вход"),
    "logout": _l("Выход"),
    "login_failed": _l("Неудачный вход"),
    "password_set": _l("Пароль установлен по ссылке"),
    "password_changed": _l("Смена пароля"),
    "denied": _l("Отказ в доступе"),
    "throttled": _l("Слишком много попыток"),
    "export": _l("Выгрузка"),
    "import": _l("Загрузка"),
}

OBJECT_LABELS = {
    "Tenant": _l("Район"),
    "User": _l("Пользователь"),
    "School": _l("Образовательная организация"),
    "Person": _l("Педагог"),
    "BodyKind": _l("Вид органа"),
    "Body": _l("Орган, объединение"),
    "BodyMember": _l("Участник"),
    "Meeting": _l("Заседание"),
    "AgendaItem": _l("Вопрос повестки"),
    "Attendance": _l("Присутствие"),
    "Decision": _l("Решение"),
    "Direction": _l("Направление"),
    "Function": _l("Функция"),
    "FunctionAssignee": _l("Исполнитель функции"),
    "WorkForm": _l("Форма работы"),
    "Plan": _l("План"),
    "PlanItem": _l("Мероприятие плана"),
}

FIELD_LABELS = {
    "name": _l("Название"), "full_name": _l("Полное имя / название"), "short_name": _l("Краткое название"),
    "email": _l("Почта"), "role": _l("Роль"), "is_active_account": _l("Учётная запись активна"),
    "password_hash": _l("Пароль"), "tenant_id": _l("Район"), "user_id": _l("Пользователь"),
    "last_name": _l("Фамилия"), "first_name": _l("Имя"), "middle_name": _l("Отчество"),
    "position": _l("Должность"), "school_id": _l("Организация"), "subjects": _l("Предметы"),
    "category": _l("Категория"), "category_date": _l("Дата категории"), "experience_years": _l("Стаж, лет"),
    "is_young_specialist": _l("Молодой специалист"), "education": _l("Образование"), "phone": _l("Телефон"),
    "notes": _l("Заметки"), "kind": _l("Вид"), "address": _l("Адрес"),
    "head": lazy_pgettext("head of a school", "Руководитель"), "region": _l("Субъект РФ"),
    "authority": _l("Орган управления образованием"), "service_name": _l("Название службы"),
    "service_name_genitive": _l("Название службы (род. п.)"), "service_abbr": _l("Сокращение"),
    "head_title": _l("Должность руководителя"), "model_kind": _l("Модель организации"),
    "act_kind": _l("Вид акта"), "act_issuer": _l("Кем издан акт"), "act_title": _l("Утверждённый документ"),
    "act_number": _l("Номер акта"), "act_date": _l("Дата акта"), "partners": _l("Партнёры"),
    "is_suspended": _l("Приостановлен"), "slug": _l("Адрес района"), "preset": _l("Образец"),
    "terms": _l("Термины"), "catalogues": _l("Справочники"), "title": _l("Название"),
    "description": _l("Описание"), "subject": _l("Предмет"), "parent_id": _l("Входит в"), "kind_id": _l("Вид"),
    "position_no": _l("Порядок"), "order_number": _l("Номер приказа"), "order_date": _l("Дата приказа"),
    "date": _l("Дата"), "starts_on": _l("Дата начала"), "ends_on": _l("Дата окончания"),
    "status": _l("Состояние"), "code": _l("Код"), "clause": _l("Пункт"), "level": _l("Уровень"),
}

# Where a field means something more specific for one kind of object.
TYPE_FIELD_LABELS = {
    "User": {"full_name": _l("ФИО")},
    "Person": {"email": _l("Почта"), "full_name": _l("ФИО")},
    "Tenant": {"name": _l("Название района"), "full_name": _l("Полное название муниципального образования")},
}
# Never worth a line: the district is the page's own, the rest is machinery.
HIDDEN_FIELDS = {"tenant_id", "version", "search_key", "name_key", "updated_at", "created_at"}

PERMISSION_LABELS = {
    "platform.manage": _l("управление платформой"),
    "district.view": _l("просмотр района"),
    "users.manage": _l("управление пользователями"),
    "audit.view": _l("просмотр журнала"),
    "district.profile": _l("профиль района"),
    "district.export": _l("выгрузка всех данных района"),
    "structure.edit": _l("изменение структуры"),
    "directions.edit": _l("изменение направлений"),
    "council.edit": _l("работа совета"),
    "association.create": _l("создание объединения"),
    "association.edit": _l("изменение объединения"),
    "people.edit": _l("изменение списка педагогов"),
    "person.edit_self": _l("изменение своей карточки"),
    "plan.edit": _l("изменение плана"),
    "plan.approve": _l("утверждение плана"),
    "plan.item.edit": _l("изменение мероприятия плана"),
    "plan.export": _l("выгрузка плана"),
    "plan.import": _l("загрузка плана"),
    "development.edit": _l("изменение раздела «Развитие»"),
}

SECRET_MARK = "***"


@lru_cache(maxsize=256)
def model_class(type_name: str):
    from oms.extensions import db

    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == type_name:
            return mapper.class_
    return None


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_label(type_name: str) -> str:
    if not type_name:
        return ""
    cls = model_class(type_name)
    return str(getattr(cls, "audit_type_label", None) or OBJECT_LABELS.get(type_name, type_name))


def field_label(type_name: str, field: str) -> str:
    cls = model_class(type_name)
    own = getattr(cls, "audit_field_labels", None) or {}
    return str(own.get(field) or TYPE_FIELD_LABELS.get(type_name, {}).get(field) or FIELD_LABELS.get(field, field))


def value_text(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if field == "role" and value in Role._value2member_map_:
        return str(ROLE_LABELS[Role(value)])
    if isinstance(value, (dict, list)):
        value = ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else ", ".join(map(str, value))
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        return f"{text[8:10]}.{text[5:7]}.{text[:4]}"  # an ISO date
    return text if len(text) <= 200 else text[:199] + "…"


def change_lines(type_name: str, action: str, changes) -> list[tuple[str, str | None, str]]:
    """(field label, before or None, after) for each recorded field."""
    lines = []
    for field, change in (changes or {}).items():
        if field in HIDDEN_FIELDS:
            continue
        label = field_label(type_name, field)
        if change == SECRET_MARK:
            lines.append((label, None, _("изменён (значение не записывается)")))
        elif isinstance(change, list) and len(change) == 2:
            before, after = change
            lines.append((label, None if action == "create" else value_text(field, before), value_text(field, after)))
        else:
            lines.append((label, None, value_text(field, change)))
    return lines


def summary_text(event) -> str:
    if event.action == "denied":
        return str(PERMISSION_LABELS.get(event.summary, event.summary))
    return event.summary


def local_time(value) -> str:
    return to_user_timezone(value).strftime("%d.%m.%Y %H:%M:%S") if value else ""
