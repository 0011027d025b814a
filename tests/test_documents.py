"""Documents of the service: roles, bad input, versions, visibility, the required-documents checklist,
search, the inventory, the plan's document on approval."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from factories.documents import document_file_in, document_in
from factories.plan import direction_in, item_in, plan_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Document, DocumentFile
from oms.services.sample_files import docx_bytes

REQUIRED = [{"kind": "положение", "title": "Положение о Методическом совете"},
            {"kind": "план", "title": "План работы ММС на учебный год"},
            {"kind": "соглашение", "title": "Соглашение с ТОИПКРО"},
            {"kind": "анализ", "title": "Анализ работы ММС"}]


@pytest.fixture
def d(district):
    district.tenant.catalogues = {"documents": REQUIRED}
    district.tenant.partners = "ТОИПКРО\nИнститут развития образования"
    db.session.commit()
    district.url = f"/{district.slug}/documents"
    return district


def docx(name="Положение.docx"):
    return (io.BytesIO(docx_bytes("Положение", ["Текст положения."])), name)


def form_data(**kw):
    data = {"collection": "service", "kind": "regulation", "title": "Положение о Методическом совете",
            "issuer": "Управление образования", "number": "155", "issued_on": "2020-05-14",
            "valid_from": "2020-05-14", "valid_to": "", "description": "", "subject": "", "level": "",
            "keywords": "", "direction_id": "", "function_id": "", "body_id": "", "partner": "",
            "visibility": "district", "requirement": "", "school_year": "", "attachments": docx()}
    data.update(kw)
    if isinstance(data["attachments"][0], bytes):  # parameters are shared by the runs: a fresh stream each time
        data["attachments"] = (io.BytesIO(data["attachments"][0]), data["attachments"][1])
    return data


def test_methodist_adds_a_document_with_its_file_and_a_teacher_downloads_it(make_browser, d):
    b = make_browser(d.methodist.email)
    assert b.get(f"{d.url}/new").status_code == 200
    resp = b.post(f"{d.url}/new", form_data(requirement=REQUIRED[0]["title"]), content_type="multipart/form-data")
    assert resp.status_code == 302
    doc = db.session.scalar(db.select(Document))
    assert doc.title == "Положение о Методическом совете" and doc.number == "155" and doc.is_current
    file = db.session.scalar(db.select(DocumentFile))
    assert file.document_id == doc.id and file.filename == "Положение.docx"
    teacher = make_browser(d.teacher.email)
    page = teacher.get(f"{d.url}/{doc.id}/").get_data(as_text=True)
    assert "Положение о Методическом совете" in page and "действует" in page
    got = teacher.get(f"{d.url}/{doc.id}/files/{file.id}")
    assert got.status_code == 200 and got.data.startswith(b"PK") and "attachment" in got.headers["Content-Disposition"]


@pytest.mark.parametrize("role, status", [("admin", 200), ("methodist", 200), ("leader", 403), ("teacher", 403)])
def test_only_the_service_manages_documents(make_browser, d, role, status):
    doc = document_in(d.tenant)
    b = make_browser(getattr(d, role).email)
    assert b.get(f"{d.url}/").status_code == 200
    assert b.get(f"{d.url}/new").status_code == status
    assert b.get(f"{d.url}/{doc.id}/edit").status_code == status
    assert b.get(f"{d.url}/{doc.id}/version").status_code == status
    assert b.get(f"{d.url}/{doc.id}/delete").status_code == status
    if status == 403:
        assert b.post(f"{d.url}/{doc.id}/delete").status_code == 403
        assert db.session.get(Document, doc.id) is not None


@pytest.mark.parametrize("changes, message", [
    ({"title": "   "}, "Заполните это поле."),
    ({"valid_from": "2025-09-01", "valid_to": "2025-08-31"}, "Окончание действия не может быть раньше его начала."),
    ({"attachments": (b"<html><script>alert(1)</script></html>", "Положение.pdf")},
     "не соответствует его расширению .pdf"),
    ({"issued_on": "31.02.2025"}, "Введите дату в формате дд.мм.гггг."),
    ({"partner": "Неизвестный партнёр"}, "Выберите значение из списка."),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(make_browser, d, changes, message):
    b = make_browser(d.methodist.email)
    resp = b.post(f"{d.url}/new", form_data(**changes), content_type="multipart/form-data")
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0
    assert db.session.scalar(db.select(db.func.count(DocumentFile.id))) == 0


def test_a_too_big_file_is_refused(app, make_browser, d):
    app.config["FILE_MAX_MB"] = 1
    try:
        b = make_browser(d.methodist.email)
        big = (io.BytesIO(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)), "Большой.pdf")
        resp = b.post(f"{d.url}/new", form_data(attachments=big), content_type="multipart/form-data")
    finally:
        app.config["FILE_MAX_MB"] = 20
    assert resp.status_code == 422 and "больше 1 МБ" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0


def test_a_new_version_supersedes_the_old_one_and_the_history_keeps_both_files(app, make_browser, d):
    old = document_in(d.tenant, title="Положение о Методическом совете", requirement=REQUIRED[0]["title"],
                      valid_from=date(2020, 5, 14))
    old_file = document_file_in(d.tenant, old, name="Положение 2020.docx")
    b = make_browser(d.admin.email)
    with pinned(app, date(2025, 10, 1)):
        form = b.get(f"{d.url}/{old.id}/version").get_data(as_text=True)
        assert "Положение о Методическом совете" in form  # prefilled from the current version
        no_file = b.post(f"{d.url}/{old.id}/version", form_data(attachments=(io.BytesIO(b""), "")),
                         content_type="multipart/form-data")
        assert no_file.status_code == 422 and "Выберите файл." in no_file.get_data(as_text=True)
        resp = b.post(f"{d.url}/{old.id}/version",
                      form_data(number="201", issued_on="2025-09-20", valid_from="2025-09-20",
                                requirement=REQUIRED[0]["title"], attachments=docx("Положение 2025.docx")),
                      content_type="multipart/form-data")
        assert resp.status_code == 302
        new = db.session.scalar(db.select(Document).where(Document.id != old.id))
        old = db.session.get(Document, old.id)
        assert new.lineage_id == old.id and new.version_no == 2 and new.is_current
        assert not old.is_current and old.valid_to == date(2025, 9, 19)
        old_page = b.get(f"{d.url}/{old.id}/").get_data(as_text=True)
        assert "утратил силу" in old_page and "заменён новой редакцией" in old_page
        new_page = b.get(f"{d.url}/{new.id}/").get_data(as_text=True)
        assert "История редакций" in new_page and "Положение 2020.docx" in new_page and "Положение 2025.docx" in new_page
        assert b.get(f"{d.url}/{old.id}/files/{old_file.id}").status_code == 200
        # The list shows the current version only, unless asked for all
        listing = b.get(f"{d.url}/").get_data(as_text=True)
        assert listing.count("Положение о Методическом совете") == 1 and "№ 201" in listing
        assert b.get(f"{d.url}/?status=all").get_data(as_text=True).count("Положение о Методическом совете") == 2
        lapsed = b.get(f"{d.url}/?status=lapsed").get_data(as_text=True)
        assert lapsed.count("Положение о Методическом совете") == 1 and "№ 201" not in lapsed
        active = b.get(f"{d.url}/?status=active").get_data(as_text=True)
        assert active.count("Положение о Методическом совете") == 1 and "№ 201" in active


def test_a_teacher_never_sees_a_service_only_document_nor_its_file(make_browser, d):
    hidden = document_in(d.tenant, title="Служебная записка о кадрах", visibility="service")
    hidden_file = document_file_in(d.tenant, hidden)
    opened = document_in(d.tenant, title="Методические рекомендации по ФОП", visibility="district",
                         collection="methodical", kind="recommendations")
    for role in ("teacher", "leader"):
        b = make_browser(getattr(d, role).email)
        listing = b.get(f"{d.url}/").get_data(as_text=True)
        assert "Методические рекомендации по ФОП" in listing and "Служебная записка" not in listing
        assert "Служебная записка" not in b.get(f"{d.url}/?q=записка&status=all").get_data(as_text=True)
        assert b.get(f"{d.url}/{hidden.id}/").status_code == 404
        assert b.get(f"{d.url}/{hidden.id}/files/{hidden_file.id}").status_code == 404
        sheet = load_workbook(io.BytesIO(b.get(f"{d.url}/export.xlsx?status=all").data)).active
        titles = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert titles == {"Методические рекомендации по ФОП"}
    methodist = make_browser(d.methodist.email)
    assert "Служебная записка" in methodist.get(f"{d.url}/").get_data(as_text=True)
    assert opened


def test_a_file_of_another_document_is_not_served_under_this_one(make_browser, d):
    one, other = document_in(d.tenant), document_in(d.tenant)
    file = document_file_in(d.tenant, other)
    b = make_browser(d.admin.email)
    assert b.get(f"{d.url}/{one.id}/files/{file.id}").status_code == 404
    assert b.get(f"{d.url}/{other.id}/files/{file.id}").status_code == 200


def test_documents_and_files_of_another_district_answer_404(make_browser, d, make_tenant, make_user):
    other = make_tenant()
    doc = document_in(other, visibility="public")
    file = document_file_in(other, doc)
    b = make_browser(d.admin.email)
    for url in (f"{d.url}/{doc.id}/", f"{d.url}/{doc.id}/files/{file.id}", f"{d.url}/{doc.id}/edit",
                f"/{other.slug}/documents/{doc.id}/"):
        assert b.get(url).status_code == 404, url


def test_checklist_shows_present_missing_and_expired(app, make_browser, d):
    with pinned(app, date(2025, 10, 1)):
        document_in(d.tenant, title="Положение о МС", requirement=REQUIRED[0]["title"], valid_from=date(2020, 5, 14))
        document_in(d.tenant, title="Соглашение", kind="agreement", requirement=REQUIRED[2]["title"],
                    partner="ТОИПКРО", valid_from=date(2022, 1, 1), valid_to=date(2024, 12, 31))
        # last year's plan does not count for this year
        document_in(d.tenant, title="План 2024/2025", kind="plan", requirement=REQUIRED[1]["title"], school_year=2024)
        b = make_browser(d.methodist.email)
        page = b.get(f"{d.url}/checklist").get_data(as_text=True)
        rows = {title: page.split(f'data-requirement="{title}"')[1].split("</tr>")[0] for title in
                (r["title"] for r in REQUIRED)}
        assert "есть" in rows[REQUIRED[0]["title"]] and "Положение о МС" in rows[REQUIRED[0]["title"]]
        assert "отсутствует" in rows[REQUIRED[1]["title"]] and "2025/2026" in page
        assert "утратил силу" in rows[REQUIRED[2]["title"]] and "Загрузить новую редакцию" in rows[REQUIRED[2]["title"]]
        last_year = b.get(f"{d.url}/checklist?year=2024-2025").get_data(as_text=True)
        plan_row = last_year.split(f'data-requirement="{REQUIRED[1]["title"]}"')[1].split("</tr>")[0]
        assert "есть" in plan_row and "План 2024/2025" in plan_row
        # the analysis wanted during 2025/2026 is the one of the year before
        analysis = page.split(f'data-requirement="{REQUIRED[3]["title"]}"')[1].split("</tr>")[0]
        assert "отсутствует" in analysis and "за 2024/2025 учебный год" in analysis
        document_in(d.tenant, title="Анализ за 2024/2025", kind="analysis", requirement=REQUIRED[3]["title"],
                    school_year=2024)
        page = b.get(f"{d.url}/checklist?year=2025-2026").get_data(as_text=True)
        analysis = page.split(f'data-requirement="{REQUIRED[3]["title"]}"')[1].split("</tr>")[0]
        assert "есть" in analysis and "Анализ за 2024/2025" in analysis
        # «Добавить» for a missing one opens the form prefilled with the entry and the year
        form = b.get(f"{d.url}/new?requirement=1&year=2025-2026").get_data(as_text=True)
        assert 'value="2025"' in form and "План работы ММС на учебный год" in form


def test_approving_the_plan_keeps_its_xlsx_as_the_year_plan_document(make_browser, d):
    plan = plan_in(d.tenant, 2025)
    item_in(d.tenant, plan=plan, direction=direction_in(d.tenant))
    b = make_browser(d.admin.email)
    resp = b.post(f"/{d.slug}/plans/2025-2026/approve", {"act_number": "112-од", "act_date": "2025-08-29",
                                                         "version": plan.version})
    assert resp.status_code == 302
    doc = db.session.scalar(db.select(Document).where(Document.kind == "plan"))
    assert doc.number == "112-од" and doc.issued_on == date(2025, 8, 29) and doc.school_year == 2025
    assert doc.requirement == REQUIRED[1]["title"] and doc.plan_id == plan.id
    file = db.session.scalar(db.select(DocumentFile).where(DocumentFile.document_id == doc.id))
    assert file.filename.endswith(".xlsx")
    got = b.get(f"{d.url}/{doc.id}/files/{file.id}")
    assert load_workbook(io.BytesIO(got.data)).sheetnames
    with pinned(b.client.application, date(2025, 10, 1)):
        page = b.get(f"{d.url}/checklist?year=2025-2026").get_data(as_text=True)
    row = page.split(f'data-requirement="{REQUIRED[1]["title"]}"')[1].split("</tr>")[0]
    assert "есть" in row and "№ 112-од" in row


def test_search_folds_case_and_yo_and_finds_by_number_and_tags(make_browser, d):
    document_in(d.tenant, title="Методические рекомендации по учёту достижений", number="47-р", subject="Химия")
    document_in(d.tenant, title="Приказ о конкурсе", number="12")
    b = make_browser(d.teacher.email)
    for q in ("УЧЕТУ", "учёту", "47-Р", "химия"):
        page = b.get(f"{d.url}/?q={q}").get_data(as_text=True)
        assert "учёту достижений" in page and "Приказ о конкурсе" not in page, q


def test_filters_and_pages(make_browser, d):
    for n in range(35):
        document_in(d.tenant, title=f"Новинка литературы {n:02d}", collection="literature", kind="book")
    document_in(d.tenant, title="Положение о ШМО")
    b = make_browser(d.teacher.email)
    first = b.get(f"{d.url}/?collection=literature").get_data(as_text=True)
    assert "Положение о ШМО" not in first and "стр. 1 из 2" in first
    assert "Новинка литературы" in b.get(f"{d.url}/?collection=literature&page=2").get_data(as_text=True)
    assert "Положение о ШМО" in b.get(f"{d.url}/?kind=regulation").get_data(as_text=True)


def test_inventory_xlsx_lists_documents_without_formulas(make_browser, d):
    document_in(d.tenant, title="=HYPERLINK(\"http://evil\")", number="1")
    document_in(d.tenant, title="Положение о ММС", number="155", issued_on=date(2020, 5, 14))
    b = make_browser(d.methodist.email)
    resp = b.get(f"{d.url}/export.xlsx")
    ws = load_workbook(io.BytesIO(resp.data)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:4] == ["№", "Раздел", "Вид", "Название"]
    titles = {row[3] for row in values[1:]}
    assert "Положение о ММС" in titles
    cell = next(c for row in ws.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"


def test_delete_asks_first_then_removes_every_version_and_file(make_browser, d):
    old = document_in(d.tenant)
    document_file_in(d.tenant, old)
    b = make_browser(d.admin.email)
    resp = b.post(f"{d.url}/{old.id}/version", form_data(attachments=docx()), content_type="multipart/form-data")
    assert resp.status_code == 302
    new = db.session.scalar(db.select(Document).where(Document.is_current.is_(True)))
    page = b.get(f"{d.url}/{new.id}/delete").get_data(as_text=True)
    assert "Удалить документ" in page and "(2)" in page
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 2
    assert b.post(f"{d.url}/{new.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0
    assert db.session.scalar(db.select(db.func.count(DocumentFile.id))) == 0


def test_the_list_runs_a_constant_number_of_queries(make_browser, d, count_queries):
    b = make_browser(d.methodist.email)

    def run():
        with count_queries() as q:
            assert b.get(f"{d.url}/").status_code == 200
        return q.count

    document_in(d.tenant)
    few = run()
    for n in range(20):
        doc = document_in(d.tenant, collection="methodical", kind="material")
        document_file_in(d.tenant, doc)
    assert run() == few


def test_the_analysis_of_an_approved_plan_is_kept_from_the_checklist(app, make_browser, d):
    previous = plan_in(d.tenant, 2024, status="approved", act_number="98-од", act_date=date(2024, 8, 30))
    item_in(d.tenant, plan=previous, direction=direction_in(d.tenant))
    plan_in(d.tenant, 2025)  # a draft
    teacher = make_browser(d.teacher.email)
    assert teacher.post(f"{d.url}/checklist/analysis", {"year": "2024-2025"}).status_code == 403
    b = make_browser(d.methodist.email)
    with pinned(app, date(2025, 10, 1)):
        page = b.get(f"{d.url}/checklist?year=2025-2026").get_data(as_text=True)
        row = page.split(f'data-requirement="{REQUIRED[3]["title"]}"')[1].split("</tr>")[0]
        assert "отсутствует" in row and "Сохранить анализ из плана 2024/2025" in row
        refused = b.post(f"{d.url}/checklist/analysis", {"year": "2025-2026"}, follow_redirects=True)
        assert "только для утверждённого плана" in refused.get_data(as_text=True)
        assert db.session.scalar(db.select(db.func.count(Document.id))) == 0
        resp = b.post(f"{d.url}/checklist/analysis", {"year": "2024-2025"})
        assert resp.status_code == 302
        doc = db.session.scalar(db.select(Document).where(Document.kind == "analysis"))
        assert doc.school_year == 2024 and doc.requirement == REQUIRED[3]["title"] and doc.issued_on == date(2025, 10, 1)
        file = db.session.scalar(db.select(DocumentFile).where(DocumentFile.document_id == doc.id))
        book = load_workbook(io.BytesIO(b.get(f"{d.url}/{doc.id}/files/{file.id}").data))
        assert len(book.sheetnames) == 2  # the plan and its execution analysis
        page = b.get(f"{d.url}/checklist?year=2025-2026").get_data(as_text=True)
        row = page.split(f'data-requirement="{REQUIRED[3]["title"]}"')[1].split("</tr>")[0]
        assert "есть" in row and "Анализ выполнения плана работы" in row


def test_the_district_archive_holds_every_document_file(make_browser, d, make_tenant):
    import zipfile

    doc = document_in(d.tenant, title="Положение о ММС")
    file = document_file_in(d.tenant, doc, name="Положение о ММС.docx")
    document_file_in(make_tenant(), name="Чужое.docx")
    resp = make_browser(d.admin.email).get(f"/{d.slug}/export/archive.zip", buffered=True)
    archive = zipfile.ZipFile(io.BytesIO(resp.get_data()))
    names = [n for n in archive.namelist() if n.startswith("files/document_file/")]
    assert names == [f"files/document_file/{file.id}-Положение о ММС.docx"]
    assert archive.read(names[0]).startswith(b"PK")


def test_search_finds_a_document_by_its_direction_tag(make_browser, d):
    direction = direction_in(d.tenant, name="Информационно-консультационное направление")
    db.session.commit()
    b = make_browser(d.methodist.email)
    resp = b.post(f"{d.url}/new", form_data(title="Памятка для педагогов", direction_id=str(direction.id)),
                  content_type="multipart/form-data")
    assert resp.status_code == 302
    assert "Памятка для педагогов" in b.get(f"{d.url}/?q=консультационное").get_data(as_text=True)
    assert "Памятка для педагогов" not in b.get(f"{d.url}/?q=аналитическое").get_data(as_text=True)
