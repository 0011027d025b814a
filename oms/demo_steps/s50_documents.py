"""Demo documents: each district's required list (most present with a small DOCX, the 2025/2026 plan missing —
it is still a draft, approving it fills the gap —, one document superseded by a newer version, an agreement with
the district's partner) and the bank of pedagogical information (normative documents, methodical materials,
new literature).

Dates follow the demo year 2025/2026; the district's own Положение keeps the act of its seed (tenant.act_*).
Every part looks for its rows first: loading twice adds nothing.
"""
from datetime import date

from ..extensions import db
from ..files import store
from ..models import Body, BodyKind, Document, DocumentFile, Notice, Person, Plan, User
from ..services.documents import composition_snapshot, requirements, store_plan_document, supersede
from ..services.sample_files import sample_upload
from ..text import fold

DEMO_YEAR = 2025
PREVIOUS = DEMO_YEAR - 1

BANK = [
    dict(collection="normative", kind="other", title="Федеральный закон «Об образовании в Российской Федерации»",
         issuer="Российская Федерация", number="273-ФЗ", issued_on=date(2012, 12, 29), keywords="закон, образование"),
    dict(collection="normative", kind="order",
         title="Об утверждении федеральной образовательной программы начального общего образования",
         issuer="Министерство просвещения Российской Федерации", number="372", issued_on=date(2023, 5, 18),
         level="primary", keywords="ФОП НОО"),
    dict(collection="normative", kind="order",
         title="Об утверждении федеральной образовательной программы основного общего образования",
         issuer="Министерство просвещения Российской Федерации", number="370", issued_on=date(2023, 5, 18),
         level="basic", keywords="ФОП ООО"),
    dict(collection="normative", kind="order",
         title="Об утверждении Порядка проведения аттестации педагогических работников организаций, "
               "осуществляющих образовательную деятельность",
         issuer="Министерство просвещения Российской Федерации", number="196", issued_on=date(2023, 3, 24),
         keywords="аттестация"),
    dict(collection="normative", kind="order",
         title="Об утверждении профессионального стандарта «Педагог (педагогическая деятельность в сфере "
               "дошкольного, начального общего, основного общего, среднего общего образования)»",
         issuer="Министерство труда и социальной защиты Российской Федерации", number="544н",
         issued_on=date(2013, 10, 18), keywords="профстандарт"),
    dict(collection="methodical", kind="recommendations",
         title="Методические рекомендации по формированию функциональной грамотности обучающихся",
         issued_on=date(2025, 10, 6), level="basic", subject="Межпредметные результаты",
         keywords="функциональная грамотность, читательская, математическая, естественнонаучная"),
    dict(collection="methodical", kind="recommendations",
         title="Методические рекомендации по организации наставничества молодых педагогов",
         issued_on=date(2025, 9, 15), keywords="наставничество, молодые специалисты"),
    dict(collection="methodical", kind="recommendations",
         title="Рекомендации по подготовке обучающихся к ГИА по математике в 2026 году",
         issued_on=date(2025, 11, 12), level="secondary", subject="Математика", keywords="ЕГЭ, ОГЭ"),
    dict(collection="methodical", kind="material",
         title="Памятка для организаторов школьного этапа всероссийской олимпиады школьников 2025/2026",
         issued_on=date(2025, 9, 1), keywords="ВсОШ, олимпиада"),
    dict(collection="methodical", kind="material",
         title="Чек-лист анализа урока в соответствии с обновлёнными ФГОС",
         issued_on=date(2025, 10, 20), keywords="анализ урока, открытый урок"),
    dict(collection="literature", kind="book", title="Обзор новинок методической литературы: сентябрь 2025 года",
         issued_on=date(2025, 9, 30), keywords="новинки литературы"),
    dict(collection="literature", kind="book",
         title="Новинки учебной литературы по русскому языку и литературе: обзор за осень 2025 года",
         issued_on=date(2025, 11, 28), subject="Русский язык", keywords="учебники, новинки"),
    dict(collection="literature", kind="book",
         title="Цифровые образовательные ресурсы для уроков физики и химии: подборка 2025/2026",
         issued_on=date(2025, 12, 1), subject="Физика, химия", keywords="ЦОР, цифровые ресурсы"),
]


def run(tenant, preset) -> None:
    _council_orders(tenant)
    _required(tenant)
    _bank(tenant)
    db.session.flush()
    _notices(tenant)
    db.session.flush()


def _exists(tenant, **where) -> bool:
    stmt = db.select(Document.id).where(Document.tenant_id == tenant.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(Document, name) == value)
    return db.session.scalar(stmt.limit(1)) is not None


def _add(tenant, upload_name: str, lines: list[str], **fields) -> Document:
    doc = Document(tenant_id=tenant.id, **fields)
    db.session.add(doc)
    db.session.flush()
    db.session.add(store(DocumentFile(tenant_id=tenant.id, document_id=doc.id),
                         sample_upload(upload_name, doc.title, lines)))
    return doc


def _council(tenant) -> Body | None:
    return db.session.scalar(db.select(Body).join(BodyKind, BodyKind.id == Body.kind_id)
                             .where(Body.tenant_id == tenant.id, BodyKind.category == "council",
                                    Body.school_id.is_(None)).order_by(Body.id).limit(1))


def _superseded_index(reqs) -> int:
    """Which required document shows a superseded version: a council's composition, else the last other
    non-yearly one after the main Положение, else the main Положение."""
    for r in reqs:
        if r.kind == "composition":
            return r.index
    rest = [r for r in reqs[1:] if not r.is_yearly and r.kind != "agreement"]
    return rest[-1].index if rest else reqs[0].index


def _required(tenant) -> None:
    reqs = requirements(tenant)
    if not reqs:
        return
    council = _council(tenant)
    old_index = _superseded_index(reqs)
    issuer = tenant.authority or tenant.act_issuer or ""
    for req in reqs:
        if _exists(tenant, requirement=req.title):
            continue
        common = dict(collection="service", kind=req.kind, requirement=req.title, issuer=issuer,
                      visibility="district", title=req.title)
        if council is not None and "совет" in fold(req.title) and req.kind in ("regulation", "composition"):
            common["body_id"] = council.id
        if req.kind == "plan":
            _plan_document(tenant)  # the approved 2024/2025 plan; the 2025/2026 one is a draft: missing
            continue
        if req.kind == "analysis":
            _add(tenant, "Анализ работы за 2024-2025.docx",
                 ["Анализ выполнения годового плана работы за 2024/2025 учебный год.",
                  "Выводы и задачи на 2025/2026 учебный год."],
                 **dict(common, title=f"Анализ работы {tenant.service_label} за 2024/2025 учебный год",
                        number="", issued_on=date(2025, 6, 20), school_year=PREVIOUS))
            continue
        if req.kind == "agreement":
            partner = tenant.partner_list[0] if tenant.partner_list else ""
            _add(tenant, "Соглашение.docx", ["Стороны договорились о сотрудничестве в сфере методического "
                                             "сопровождения педагогических работников."],
                 **dict(common, partner=partner, number="15/25", issued_on=date(2025, 9, 10),
                        valid_from=date(2025, 9, 10), valid_to=date(2027, 8, 31)))
            continue
        if req.index == 0 and tenant.act_date and req.index != old_index:
            # the district's own Положение, with the act of its seed
            _add(tenant, "Положение.docx", ["Общие положения.", "Цели и задачи.", "Функции.", "Структура."],
                 **dict(common, issuer=tenant.act_issuer or issuer, number=tenant.act_number,
                        issued_on=tenant.act_date, valid_from=tenant.act_date))
            continue
        if req.index == old_index:
            _superseded_pair(tenant, req, common)
            continue
        _add(tenant, f"{req.title[:80]}.docx", ["Общие положения.", "Порядок работы."],
             **dict(common, number="95-од", issued_on=date(2025, 8, 29), valid_from=date(2025, 9, 1)))


def _superseded_pair(tenant, req, common) -> None:
    """An older version, replaced in 2025/2026 by a newer one (the older «утратил силу»)."""
    first_date = tenant.act_date if req.index == 0 and tenant.act_date else date(2024, 9, 2)
    first_number = tenant.act_number if req.index == 0 and tenant.act_number else "201"
    old = _add(tenant, f"{req.title[:70]} (прежняя редакция).docx", ["Прежняя редакция документа."],
               **dict(common, number=first_number, issued_on=first_date, valid_from=first_date))
    new = _add(tenant, f"{req.title[:70]}.docx", ["Новая редакция документа.", "Изменения внесены приказом."],
               **dict(common, number="214-од", issued_on=date(2025, 9, 1), valid_from=date(2025, 9, 1),
                      lineage_id=old.id, version_no=2))
    supersede(old, new)


def _plan_document(tenant) -> None:
    plan = db.session.scalar(db.select(Plan).where(Plan.tenant_id == tenant.id, Plan.start_year == PREVIOUS,
                                                   Plan.status == "approved"))
    if plan is None or plan.act_date is None:
        return
    from flask import current_app, g

    # The plan's export reads through the district scope: run it as a request of this district would.
    with current_app.test_request_context(f"/{tenant.slug}/"):
        g.tenant_id = tenant.id
        try:
            store_plan_document(plan, tenant)
        finally:
            g.pop("tenant_id", None)


def _bank(tenant) -> None:
    for row in BANK:
        if _exists(tenant, title=row["title"]):
            continue
        fields = dict(row)
        if fields["collection"] != "normative":
            fields.setdefault("issuer", tenant.service_name or tenant.authority or "")
        visibility = "public" if fields["collection"] == "normative" else "district"
        _add(tenant, f"{fields['title'][:60]}.docx", [fields.get("keywords", ""), "Материал банка педагогической "
                                                      "информации."], visibility=visibility, **fields)


def _council_orders(tenant) -> None:
    """The council's composition by order: last year's order (superseded, a shorter list) and the current one."""
    council = _council(tenant)
    if council is None or not council.order_date or _exists(tenant, kind="composition", body_id=council.id):
        return
    req = next((r for r in requirements(tenant) if r.kind == "composition"), None)
    members = composition_snapshot(council)
    common = dict(collection="service", kind="composition", body_id=council.id, visibility="district",
                  requirement=req.title if req else "", issuer=tenant.authority or "",
                  title=req.title if req else f"Состав: {council.name}")
    earlier = members[:-2] if len(members) > 3 else members
    old = _add(tenant, "Приказ о составе 2024.docx", ["Утвердить состав:"] + [m["name"] for m in earlier],
               **dict(common, number="201", issued_on=date(2024, 9, 2), valid_from=date(2024, 9, 2),
                      composition=earlier))
    new = _add(tenant, "Приказ о составе 2025.docx", ["Утвердить состав:"] + [m["name"] for m in members],
               **dict(common, number=council.order_number, issued_on=council.order_date,
                      valid_from=council.order_date, composition=members, lineage_id=old.id, version_no=2))
    supersede(old, new)


def _notices(tenant) -> None:
    """«Новинки» for the district's teachers: to everyone, to the demo teacher's subject, to deputy heads."""
    if db.session.scalar(db.select(Notice.id).where(Notice.tenant_id == tenant.id).limit(1)):
        return
    teacher = db.session.scalar(db.select(Person).join(User, User.id == Person.user_id)
                                .where(User.email == f"teacher@{tenant.slug}.demo.oms", Person.tenant_id == tenant.id))
    subject = teacher.subject_list[0] if teacher is not None and teacher.subject_list else ""

    def doc_id(title):
        return db.session.scalar(db.select(Document.id).where(Document.tenant_id == tenant.id, Document.title == title))

    rows = [
        dict(title="Новые методические рекомендации по функциональной грамотности",
             text="В банке педагогической информации размещены рекомендации: используйте их при подготовке уроков.",
             document_id=doc_id(BANK[5]["title"]), published_on=date(2025, 10, 6)),
        dict(title="Обзор новинок методической литературы за сентябрь",
             text="Подборка новых пособий для педагогов района.", document_id=doc_id(BANK[10]["title"]),
             published_on=date(2025, 10, 1)),
        dict(title="Памятка для заместителей директоров: школьный этап ВсОШ",
             text="Проверьте сроки и порядок проведения школьного этапа.", document_id=doc_id(BANK[8]["title"]),
             positions=["заместитель директора по УВР"], published_on=date(2025, 9, 2)),
    ]
    if subject:
        rows.append(dict(title=f"Материалы для учителей: {subject.lower()}",
                         text="Новые материалы к урокам и подготовке к ГИА.", subjects=[subject],
                         document_id=doc_id(BANK[7]["title"]), published_on=date(2025, 11, 12)))
    for row in rows:
        db.session.add(Notice(tenant_id=tenant.id, **{"positions": [], "subjects": [], "school_ids": [], **row}))
