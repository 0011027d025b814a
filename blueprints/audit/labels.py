"""How the audit trail reads in Russian: actions, kinds of objects, fields and values.

A feature whose model is not listed here can name it on the class:
`audit_type_label = "Мероприятие плана"` and `audit_field_labels = {"starts_on": "Дата начала"}`.
Anything unnamed is shown by its code, never hidden.
"""
from functools import lru_cache

from flask_babel import to_user_timezone

from oms.permissions import ROLE_LABELS, Role

ACTION_LABELS = {
    "create": "Создание",
    "update": "Изменение",
    "delete": "Удаление",
    "login": "Вход",
    "logout": "Выход",
    "login_failed": "Неудачный вход",
    "password_set": "Пароль установлен по ссылке",
    "password_changed": "Смена пароля",
    "denied": "Отказ в доступе",
    "throttled": "Слишком много попыток",
    "export": "Выгрузка",
    "import": "Загрузка",
}

OBJECT_LABELS = {
    "Tenant": "Район",
    "User": "Пользователь",
    "School": "Образовательная организация",
    "Person": "Педагог",
    "BodyKind": "Вид органа",
    "Body": "Орган, объединение",
    "BodyMember": "Участник",
    "Meeting": "Заседание",
    "AgendaItem": "Вопрос повестки",
    "Attendance": "Присутствие",
    "Decision": "Решение",
    "Direction": "Направление",
    "Function": "Функция",
    "FunctionAssignee": "Исполнитель функции",
    "WorkForm": "Форма работы",
    "Plan": "План",
    "PlanItem": "Мероприятие плана",
}

FIELD_LABELS = {
    "name": "Название", "full_name": "Полное имя / название", "short_name": "Краткое название",
    "email": "Почта", "role": "Роль", "is_active_account": "Учётная запись активна",
    "password_hash": "Пароль", "tenant_id": "Район", "user_id": "Пользователь",
    "last_name": "Фамилия", "first_name": "Имя", "middle_name": "Отчество", "position": "Должность",
    "school_id": "Организация", "subjects": "Предметы", "category": "Категория",
    "category_date": "Дата категории", "experience_years": "Стаж, лет", "is_young_specialist": "Молодой специалист",
    "education": "Образование", "phone": "Телефон", "notes": "Заметки", "kind": "Вид", "address": "Адрес",
    "head": "Руководитель", "region": "Субъект РФ", "authority": "Орган управления образованием",
    "service_name": "Название службы", "service_name_genitive": "Название службы (род. п.)",
    "service_abbr": "Сокращение", "head_title": "Должность руководителя", "model_kind": "Модель организации",
    "act_kind": "Вид акта", "act_issuer": "Кем издан акт", "act_title": "Утверждённый документ",
    "act_number": "Номер акта", "act_date": "Дата акта", "partners": "Партнёры", "is_suspended": "Приостановлен",
    "slug": "Адрес района", "preset": "Образец", "terms": "Термины", "catalogues": "Справочники",
    "title": "Название", "description": "Описание", "subject": "Предмет", "parent_id": "Входит в",
    "kind_id": "Вид", "position_no": "Порядок", "order_number": "Номер приказа", "order_date": "Дата приказа",
    "date": "Дата", "starts_on": "Дата начала", "ends_on": "Дата окончания", "status": "Состояние",
    "code": "Код", "clause": "Пункт", "level": "Уровень",
}

# Where a field means something more specific for one kind of object.
TYPE_FIELD_LABELS = {
    "User": {"full_name": "ФИО"},
    "Person": {"email": "Почта", "full_name": "ФИО"},
    "Tenant": {"name": "Название района", "full_name": "Полное название муниципального образования"},
}
# Never worth a line: the district is the page's own, the rest is machinery.
HIDDEN_FIELDS = {"tenant_id", "version", "search_key", "name_key", "updated_at", "created_at"}

PERMISSION_LABELS = {
    "platform.manage": "управление платформой",
    "district.view": "просмотр района",
    "users.manage": "управление пользователями",
    "audit.view": "просмотр журнала",
    "district.profile": "профиль района",
    "district.export": "выгрузка всех данных района",
    "structure.edit": "изменение структуры",
    "directions.edit": "изменение направлений",
    "council.edit": "работа совета",
    "association.create": "создание объединения",
    "association.edit": "изменение объединения",
    "people.edit": "изменение списка педагогов",
    "person.edit_self": "изменение своей карточки",
    "plan.edit": "изменение плана",
    "plan.approve": "утверждение плана",
    "plan.item.edit": "изменение мероприятия плана",
    "plan.export": "выгрузка плана",
    "plan.import": "загрузка плана",
    "development.edit": "изменение раздела «Развитие»",
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
    return ACTION_LABELS.get(action, action)


def object_label(type_name: str) -> str:
    if not type_name:
        return ""
    cls = model_class(type_name)
    return getattr(cls, "audit_type_label", None) or OBJECT_LABELS.get(type_name, type_name)


def field_label(type_name: str, field: str) -> str:
    cls = model_class(type_name)
    own = getattr(cls, "audit_field_labels", None) or {}
    return own.get(field) or TYPE_FIELD_LABELS.get(type_name, {}).get(field) or FIELD_LABELS.get(field, field)


def value_text(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if field == "role" and value in Role._value2member_map_:
        return ROLE_LABELS[Role(value)]
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
            lines.append((label, None, "изменён (значение не записывается)"))
        elif isinstance(change, list) and len(change) == 2:
            before, after = change
            lines.append((label, None if action == "create" else value_text(field, before), value_text(field, after)))
        else:
            lines.append((label, None, value_text(field, change)))
    return lines


def summary_text(event) -> str:
    if event.action == "denied":
        return PERMISSION_LABELS.get(event.summary, event.summary)
    return event.summary


def local_time(value) -> str:
    return to_user_timezone(value).strftime("%d.%m.%Y %H:%M:%S") if value else ""
