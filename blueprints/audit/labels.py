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
    "PlanItemResponsible": _l("Ответственный за мероприятие"),
    "PlanStatusChange": _l("Утверждение или возврат плана"),
    "CompetenceArea": _l("Область компетенций"),
    "Course": _l("Курс повышения квалификации"),
    "Deficit": _l("Профессиональный дефицит"),
    "RouteStep": _l("Шаг индивидуального маршрута"),
    "Mentorship": _l("Наставническая пара"),
    "MentoringMeeting": _l("Встреча наставника"),
    "Attestation": _l("Аттестация"),
    "ImportBatch": _l("Загрузка педагогов из файла"),
    "Event": _l("Мероприятие"),
    "EventRegistration": _l("Запись на мероприятие"),
    "PlanItemLink": _l("Связь пункта плана с мероприятием"),
    "AgendaProposal": _l("Предложение в повестку"),
    "CompositionRule": _l("Место в составе по должности"),
}

FIELD_LABELS = {
    "name": _l("Название"), "full_name": _l("Полное имя / название"), "short_name": _l("Краткое название"),
    "email": _l("Почта"), "role": _l("Роль"), "is_active_account": _l("Учётная запись активна"),
    "password_hash": _l("Пароль"), "tenant_id": _l("Район"), "user_id": _l("Пользователь"),
    "last_name": _l("Фамилия"), "first_name": _l("Имя"), "middle_name": _l("Отчество"),
    "position": _l("Порядок в списке"), "school_id": _l("Организация"), "subjects": _l("Предметы"),
    "category": _l("Категория"), "category_date": _l("Дата категории"), "experience_years": _l("Стаж, лет"),
    "is_young_specialist": _l("Молодой специалист"), "education": _l("Образование"), "phone": _l("Телефон"),
    "notes": _l("Заметки"), "kind": _l("Вид"), "address": _l("Адрес"),
    "head": lazy_pgettext("head of a school", "Руководитель"), "region": _l("Субъект РФ"),
    "authority": _l("Орган управления образованием"), "service_name": _l("Название службы"),
    "authority_genitive": _l("Орган управления (род. п.)"), "act_issuer_genitive": _l("Кем издан акт (род. п.)"),
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
    "last_login_at": _l("Последний вход"),
    # Links to other records: the page shows the record's name (resolved_names), not its number.
    "person_id": _l("Педагог"), "body_id": _l("Орган, объединение"), "meeting_id": _l("Заседание"),
    "direction_id": _l("Направление"), "function_id": _l("Функция"), "body_kind_id": _l("Вид органа"),
    "plan_id": _l("План"), "item_id": _l("Мероприятие плана"), "plan_item_id": _l("Мероприятие плана"),
    "form_id": _l("Форма проведения"), "venue_school_id": _l("Место проведения"),
    "area_id": _l("Область компетенций"), "deficit_id": _l("Профессиональный дефицит"),
    "course_id": _l("Курс повышения квалификации"), "mentorship_id": _l("Наставническая пара"),
    "mentor_id": _l("Наставник"), "mentee_id": _l("Наставляемый"), "responsible_id": _l("Ответственный"),
    "approved_by_id": _l("Кто утвердил"), "proposed_by_id": _l("Кто предложил"),
    "reviewed_by_id": _l("Кто проверил"),
    # The plan and its items.
    "start_year": _l("Учебный год"), "approved_at": _l("Когда утверждён"), "months": _l("Месяцы"),
    "date_from": _l("Дата начала"), "date_to": _l("Дата окончания"), "audience": _l("Участники"),
    "responsible_note": _l("Ответственные (текстом)"), "expected_result": _l("Ожидаемый результат"),
    "moved_to_month": _l("Перенесено на месяц"), "cancel_reason": _l("Причина отмены"),
    "actual_date": _l("Дата проведения"), "participants_count": _l("Число участников"),
    "result_note": _l("Результат"), "action": _l("Действие"), "reason": _l("Причина"),
    "user_name": _l("Кто"), "at": _l("Когда"),
    # Councils and associations.
    "number": _l("Номер"), "held_on": _l("Дата проведения"), "topic": _l("Тема"), "venue": _l("Место проведения"),
    "is_held": _l("Заседание проведено"), "minutes": _l("Ход заседания (для протокола)"),
    "present": _l("Присутствовал(а)"), "is_guest": _l("Приглашённый"),
    "role_title": _l("Кого представляет, должность в составе"), "speaker": _l("Докладчик"),
    "text": _l("Текст"), "due_date": _l("Срок исполнения"), "status_note": _l("Отметка об исполнении"),
    # Schools.
    "is_base_site": _l("Базовая площадка"), "base_site_year": _l("Базовая площадка: год"),
    "base_site_topic": _l("Базовая площадка: тема"), "is_internship_site": _l("Стажировочная площадка"),
    "internship_site_year": _l("Стажировочная площадка: год"),
    "internship_site_topic": _l("Стажировочная площадка: тема"),
    "is_innovation_site": _l("Инновационная площадка"), "innovation_site_year": _l("Инновационная площадка: год"),
    "innovation_site_topic": _l("Инновационная площадка: тема"),
    "low_results": _l("Низкие или необъективные результаты"), "low_results_year": _l("Низкие результаты: год"),
    # Development.
    "provider": _l("Организация, проводившая обучение"), "hours": _l("Объём, часов"), "form": _l("Форма обучения"),
    "certificate": _l("Номер удостоверения"), "review_note": _l("Замечание при проверке"),
    "reviewed_at": _l("Когда проверено"), "source": _l("Как выявлен"), "found_on": _l("Дата выявления"),
    "closed_on": _l("Дата закрытия"), "note": _l("Примечание"), "due_month": _l("Срок (месяц)"),
    "done_on": _l("Дата выполнения"), "goals": _l("Цели и задачи"), "result": _l("Итоги"),
    "passed_on": _l("Дата аттестации (приказа)"), "next_due": _l("Следующая аттестация — не позднее"),
    # Evidence, events, calendar.
    "evidence_mode": _l("Откуда отметка о выполнении"), "override_note": _l("Почему отметка исправлена вручную"),
    "time_zone": _l("Часовой пояс"), "calendar_token": _l("Ссылка на личный календарь"),
    "object_id": _l("Связанная запись"), "starts_at": _l("Начало"), "ends_at": _l("Окончание"),
    "online_url": _l("Ссылка для участия онлайн"), "capacity": _l("Мест"), "is_public": _l("Открытое"),
    "sequence": _l("Номер изменения (для календарей)"), "state": _l("Состояние записи"),
    "attended": _l("Присутствовал(а)"), "walk_in": _l("Без записи"), "registered_by_id": _l("Кто записал"),
    "event_id": _l("Мероприятие"), "rating": _l("Оценка"), "comment": _l("Отзыв"), "guest_name": _l("Гость"), "guest_org": _l("Организация гостя"),
    "guest_position": _l("Должность гостя"), "from_body_id": _l("От объединения"),
    "per_school": _l("От каждой школы"),
    # What went along with a deleted record (oms.audit.annotate).
    "taken_along": _l("Удалено вместе с записью"), "unlinked": _l("Ссылки на запись сняты"),
}

# Where a field means something more specific for one kind of object.
TYPE_FIELD_LABELS = {
    "User": {"full_name": _l("ФИО")},
    "Person": {"email": _l("Почта"), "full_name": _l("ФИО"), "position": _l("Должность")},
    "Tenant": {"name": _l("Название района"), "full_name": _l("Полное название муниципального образования")},
    "Decision": {"text": _l("Решение")},
    "Function": {"text": _l("Содержание функции")},
    "BodyMember": {"role": _l("Роль в составе")},
    "PlanItem": {"form_id": _l("Форма проведения"), "body_id": _l("Организатор (совет, объединение)")},
    "Course": {"form": _l("Форма обучения"), "date_from": _l("Начало обучения"), "date_to": _l("Окончание обучения")},
    "Mentorship": {"body_id": _l("Объединение")},
    "RouteStep": {"kind": _l("Вид шага")},
    "Attestation": {"category": _l("Категория")},
    "PlanStatusChange": {"action": _l("Что сделано")},
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


@lru_cache(maxsize=1)
def _coded_values() -> dict:
    """(kind of object, field) → labels of the codes the field holds."""
    from oms.models.development import (ATTESTATION_CATEGORIES, COURSE_FORMS, COURSE_STATUSES, DEFICIT_SOURCES,
                                        DEFICIT_STATUSES, STEP_KINDS, STEP_STATUSES)
    from oms.models.people import CATEGORY_LABELS, SCHOOL_KIND_LABELS
    from oms.models.plan import ACT_KIND_LABELS, ITEM_STATUS_LABELS, PLAN_STATUSES, STATUS_CHANGES
    from oms.models.structure import BODY_CATEGORIES, DECISION_STATUSES, LEVEL_LABELS, MEMBER_ROLE_LABELS

    return {
        ("Plan", "status"): PLAN_STATUSES, ("Plan", "act_kind"): ACT_KIND_LABELS,
        ("PlanItem", "status"): ITEM_STATUS_LABELS,
        ("PlanStatusChange", "action"): STATUS_CHANGES,
        ("Course", "form"): COURSE_FORMS, ("Course", "status"): COURSE_STATUSES,
        ("Deficit", "source"): DEFICIT_SOURCES, ("Deficit", "status"): DEFICIT_STATUSES,
        ("RouteStep", "kind"): STEP_KINDS, ("RouteStep", "status"): STEP_STATUSES,
        ("Attestation", "category"): ATTESTATION_CATEGORIES,
        ("Person", "category"): CATEGORY_LABELS, ("School", "kind"): SCHOOL_KIND_LABELS,
        ("BodyKind", "category"): BODY_CATEGORIES, ("BodyKind", "level"): LEVEL_LABELS,
        ("BodyMember", "role"): MEMBER_ROLE_LABELS, ("Decision", "status"): DECISION_STATUSES,
    }


@lru_cache(maxsize=512)
def link_target(type_name: str, field: str) -> str | None:
    """The kind of object a field refers to (its foreign key), or None."""
    cls = model_class(type_name)
    column = cls.__table__.columns.get(field) if cls is not None else None
    if column is None or field in HIDDEN_FIELDS:
        return None
    from oms.extensions import db

    for key in column.foreign_keys:
        for mapper in db.Model.registry.mappers:
            if mapper.local_table is key.column.table:
                return mapper.class_.__name__
    return None


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def resolved_names(events, tenant_id: int) -> dict[tuple[str, int], str]:
    """Names of the records the entries' changes refer to by id: one query per kind of record on the page.

    A record deleted since is missing, and shown by its number.
    """
    from oms.extensions import db

    wanted: dict[str, set[int]] = {}
    for event in events:
        for field, change in (event.changes or {}).items():
            target = link_target(event.object_type, field)
            if target:
                values = change if isinstance(change, list) else [change]
                wanted.setdefault(target, set()).update(v for v in values if _is_id(v))
    names = {}
    for type_name, ids in wanted.items():
        cls = model_class(type_name)
        if cls is None or not ids or "tenant_id" not in cls.__table__.columns:
            continue
        # The district's records, and the platform's own (an operator's account) that have no district.
        stmt = db.select(cls).where(cls.id.in_(sorted(ids)), (cls.tenant_id == tenant_id) | cls.tenant_id.is_(None))
        for obj in db.session.scalars(stmt):
            names[(type_name, obj.id)] = str(getattr(obj, "audit_label", "") or "") or f"№ {obj.id}"
    return names


def _value_text(field: str, value, type_name: str = "", names: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if field == "role" and type_name in ("", "User") and value in Role._value2member_map_:
        return str(ROLE_LABELS[Role(value)])
    coded = _coded_values().get((type_name, field))
    if coded is not None and isinstance(value, str):
        return str(coded.get(value, value))
    target = link_target(type_name, field) if type_name else None
    if target and _is_id(value):
        return (names or {}).get((target, value)) or _("№ %(id)s (удалён)", id=value)
    if type_name == "PlanItem" and field in ("months", "moved_to_month") and _is_id(value):
        from oms.models.plan import MONTH_LABELS, months_of

        months = months_of(value) if field == "months" else [value]  # months: a mask of the school year's months
        if months and all(m in MONTH_LABELS for m in months):
            return ", ".join(str(MONTH_LABELS[m]) for m in months)
    if field == "start_year" and _is_id(value):
        return f"{value}/{value + 1}"
    if isinstance(value, (dict, list)):
        value = ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else ", ".join(map(str, value))
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        return f"{text[8:10]}.{text[5:7]}.{text[:4]}"  # an ISO date
    return text if len(text) <= 200 else text[:199] + "…"


def change_lines(type_name: str, action: str, changes, names: dict | None = None) -> list[tuple[str, str | None, str]]:
    """(field label, before or None, after) for each recorded field; `names` from resolved_names."""

    def value_text(field, value):
        return _value_text(field, value, type_name, names)

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
