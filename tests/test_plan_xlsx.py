"""The plan as an XLSX document: the export's layout and safety, the import, and the round trip."""
import io
import re
import zipfile
from datetime import date
from urllib.parse import unquote

import pytest
from openpyxl import Workbook, load_workbook

from factories.core import person_in
from factories.plan import body_in, direction_in, form_in, item_in, plan_in
from oms.extensions import db
from oms.models import AuditEvent, Plan, PlanItem, PlanItemResponsible, WorkForm
from oms.models.plan import mask_of
from oms.services.plan_export import HEADERS

YEAR = "2025-2026"
PAYLOADS = ["=1+1", "+79991234567", "-мероприятие", "@SUM(A1)", "\t=cmd", "\r=2+2", '=HYPERLINK("http://evil")']


@pytest.fixture
def doc(district):
    t = district.tenant
    t.service_name_genitive = "Методической службы"
    t.act_issuer = "Администрация района"  # the issuer of the district's regulation, not the plan's approver
    t.authority_genitive = "Отдела образования"
    d = type("Doc", (), {})()
    d.district, d.tenant, d.slug, d.url = district, t, t.slug, f"/{t.slug}/plans/{YEAR}"
    d.analytic = direction_in(t, "Аналитическая", position=1)
    d.info = direction_in(t, "Информационная", position=2)
    d.seminar, d.contest = form_in(t, "Семинар"), form_in(t, "Конкурс")
    d.ivanova = person_in(t, last_name="Иванова", first_name="Анна", middle_name="Петровна")
    d.petrov = person_in(t, last_name="Петров", first_name="Олег", middle_name="")
    d.council = body_in(t, "Методический совет", category="council")
    d.plan = plan_in(t, 2025)
    db.session.commit()
    return d


def add_items(d, payloads=PAYLOADS):
    t, p = d.tenant, d.plan
    item_in(t, p, d.analytic, title="Анализ результатов ГИА-2025", months=(9,), form_id=d.seminar.id,
            people=[d.ivanova, d.petrov], audience="руководители ОО", expected_result="Аналитическая справка",
            status="done", actual_date=date(2025, 9, 25), participants_count=34)
    item_in(t, p, d.analytic, title="Консультации по аттестации", months=tuple(range(1, 13)),
            responsible_note="руководители ШМО, заместители директоров", status="moved", moved_to_month=3)
    item_in(t, p, d.info, title="Заседание совета № 1", months=(10, 12), date_from=date(2025, 10, 15),
            date_to=date(2025, 10, 17), form_id=d.contest.id, people=[d.petrov], body_id=d.council.id,
            expected_result="Протокол\nРешения совета", status="cancelled", cancel_reason="карантин")
    item_in(t, p, d.info, title="Мониторинг сайтов", months=(9, 10, 11, 3), audience=PAYLOADS[0],
            expected_result=PAYLOADS[3], responsible_note=PAYLOADS[1])
    for i, payload in enumerate(payloads):
        item_in(t, p, d.info, title=payload, months=(4,), audience=payloads[(i + 1) % len(payloads)])
    db.session.commit()


def export(b, url):
    resp = b.get(f"{url}/export.xlsx")
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return resp


def test_export_reads_like_the_document(make_browser, doc):
    add_items(doc)
    b = make_browser(doc.district.teacher.email)
    resp = export(b, doc.url)
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"План работы {doc.tenant.name} 2025-2026.xlsx"
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == ["План", "Анализ выполнения"]
    ws = wb["План"]
    # The approval block top right: blank lines for a draft.
    assert [ws[f"E{r}"].value for r in (1, 2, 3)] == ["УТВЕРЖДЁН", "приказом Отдела образования",
                                                       "от «___» ____________ 20___ г. № _______"]
    assert "E1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A5"].value == "План работы Методической службы на 2025/2026 учебный год"
    assert ws["A5"].font.b and "A5:G5" in {str(r) for r in ws.merged_cells.ranges}
    assert tuple(c.value for c in ws[7]) == HEADERS
    assert all(c.border.top.style == "thin" and c.font.b for c in ws[7])
    # Section rows per direction, merged across; items numbered within them.
    assert ws["A8"].value == "1. Аналитическая" and "A8:G8" in {str(r) for r in ws.merged_cells.ranges}
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=9, max_row=12)]
    assert rows[0] == ("1.1", "Анализ результатов ГИА-2025", "Семинар", "сентябрь", "Иванова А. П., Петров О.",
                       "руководители ОО", "Аналитическая справка")
    assert rows[1][:5] == ("1.2", "Консультации по аттестации", None, "в течение года",
                           "руководители ШМО, заместители директоров")
    assert rows[2][0] == "2. Информационная"
    assert rows[3][:5] == ("2.1", "Заседание совета № 1", "Конкурс", "15.10.2025 – 17.10.2025, декабрь",
                           "Петров О.\nМетодический совет")
    # The printed page: A4 landscape, fit to width, header repeated, header frozen, fixed widths, wrapped text.
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$7:$7"
    assert ws.freeze_panes == "A8"
    assert [ws.column_dimensions[c].width for c in "ABCDEFG"] == [7, 50, 20, 17, 28, 24, 32]
    assert ws["B9"].alignment.wrap_text and ws["B9"].border.left.style == "thin"
    assert ws.row_dimensions[12].height >= 2 * 14.5  # tall enough for its two lines
    assert db.session.scalar(db.select(AuditEvent.summary).where(AuditEvent.action == "export",
                                                                 AuditEvent.object_type == "Plan")).startswith(
        "Выгрузка плана 2025/2026")


def test_user_text_never_becomes_a_formula(make_browser, doc):
    add_items(doc)
    b = make_browser(doc.district.methodist.email)
    wb = load_workbook(io.BytesIO(export(b, doc.url).data))
    seen = 0
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.value.startswith("'"), (ws.title, cell.coordinate, cell.value)
                    seen += 1
    assert seen >= 2 * len(PAYLOADS)  # titles on both sheets, audiences on the plan sheet
    with zipfile.ZipFile(io.BytesIO(export(b, doc.url).data)) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_approved_plan_export_states_the_act_and_analysis_sheet(make_browser, doc):
    add_items(doc)
    admin = make_browser(doc.district.admin.email)
    assert admin.post(f"{doc.url}/approve", {"act_number": "112-од", "act_date": "2025-08-29",
                                             "version": doc.plan.version}).status_code == 302
    wb = load_workbook(io.BytesIO(export(admin, doc.url).data))
    assert wb["План"]["E2"].value == "приказом Отдела образования"
    assert wb["План"]["E3"].value == "от 29.08.2025 № 112-од"
    ws = wb["Анализ выполнения"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert values[0] == "Анализ выполнения плана работы Методической службы на 2025/2026 учебный год"
    assert "Отметка о выполнении" in values
    assert "выполнено 25.09.2025, участников: 34" in values
    assert "перенесено на март" in values and "отменено: карантин" in values
    # the counts are numbers, one a column, under their headers
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[1] == "Направление")
    assert header[2:10] == ("В плане", "Выполнено", "%", "Перенесено", "%", "Отменено", "%", "Без отметки")
    by_direction = next(r for r in rows if r[1] == "Аналитическая")
    assert by_direction[2:10] == (2, 1, 50, 1, 50, 0, 0, 0)
    total = next(r for r in rows if r[1] == "Итого")
    assert all(isinstance(v, int) for v in total[2:10]) and total[2] == 4 + len(PAYLOADS)
    september = next(r for r in rows if r[1] == "Сентябрь 2025")
    assert isinstance(september[2], int) and isinstance(september[3], int)
    # the long list's header is printed on every page; an item's mark spans the count columns
    marks_header = next(i for i, r in enumerate(rows, start=1) if r[3] == "Отметка о выполнении")
    assert ws.print_title_rows.replace("$", "") == f"{marks_header}:{marks_header}"
    assert f"D{marks_header}:J{marks_header}" in {str(r) for r in ws.merged_cells.ranges}
    assert "5. Невыполненные мероприятия и причины" in values
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage


def _snapshot(plan_id):
    items = db.session.scalars(db.select(PlanItem).where(PlanItem.plan_id == plan_id)
                               .order_by(PlanItem.direction_id, PlanItem.position, PlanItem.id)).all()
    people = {}
    for item_id, person_id in db.session.execute(db.select(PlanItemResponsible.item_id, PlanItemResponsible.person_id)
                                                 .order_by(PlanItemResponsible.position)):
        people.setdefault(item_id, []).append(person_id)
    forms = dict(db.session.execute(db.select(WorkForm.id, WorkForm.name)).all())
    return [(i.direction_id, i.title, forms.get(i.form_id), i.months, i.date_from, i.date_to, i.audience,
             i.expected_result, tuple(people.get(i.id, ())), i.responsible_note, i.body_id) for i in items]


def upload(b, url, data, name="plan.xlsx"):
    return b.post(f"{url}/import", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_export_then_import_gives_back_the_same_items(make_browser, doc):
    add_items(doc, payloads=[p.strip() for p in PAYLOADS])  # as the form saves them: trimmed
    before = _snapshot(doc.plan.id)
    admin = make_browser(doc.district.admin.email)
    data = export(admin, doc.url).data
    assert admin.post(f"{doc.url}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0
    preview = upload(admin, doc.url, data)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[-2000:]
    assert f"Будет создано мероприятий: {len(before)}" in page
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0  # nothing saved on preview
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    filename = re.search(r'name="filename" type="hidden" value="([^"]+)"', page).group(1)
    done = admin.post(f"{doc.url}/import/confirm", {"token": token, "filename": filename})
    assert done.status_code == 302
    plan = db.session.scalar(db.select(Plan).where(Plan.start_year == 2025))
    assert plan.status == "draft"
    assert _snapshot(plan.id) == before
    assert db.session.scalar(db.select(AuditEvent.id).where(AuditEvent.action == "import")) is not None
    # The upload is used once.
    again = admin.post(f"{doc.url}/import/confirm", {"token": token, "filename": filename})
    assert again.status_code == 422 and "загрузите его снова" in again.get_data(as_text=True)
    assert len(_snapshot(plan.id)) == len(before)


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = list(HEADERS)


def test_every_bad_row_is_reported_and_nothing_is_saved(make_browser, doc):
    data = _sheet([
        ["УТВЕРЖДЁН"], [], ["План работы"], HEADER,
        ["1.1", "Мероприятие до раздела", "Семинар", "октябрь"],
        ["1. Аналитическая"],
        ["1.1", "Хорошее мероприятие", "Семинар", "октябрь, ноябрь", "Иванова А. П."],
        ["1.2", None, "Семинар", "октябрь", "Иванова А. П."],
        ["1.3", "Плохие сроки", "Семинар", "в конце четверти"],
        ["1.4", "Дата не того года", None, "15.10.2024"],
        ["1.5", "Период назад", None, "май – сентябрь"],
        ["1.6", "Т" * 1001, None, "май"],
        ["9. Строевая подготовка"],
        ["9.1", "Мероприятие неизвестного раздела", None, "май"],
    ])
    b = make_browser(doc.district.methodist.email)
    resp = upload(b, doc.url, data)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "ничего не сохранено" in page
    for message in ("Строка 5: мероприятие до первой строки раздела (направления)",
                    "Строка 8, столбец B («Мероприятие»): не заполнено название мероприятия",
                    "Строка 9, столбец D («Сроки»): не удалось разобрать «в конце четверти»",
                    "Строка 10, столбец D («Сроки»): дата 15.10.2024 вне 2025/2026 учебного года",
                    "Строка 11, столбец D («Сроки»): период «май – сентябрь» идёт назад",
                    "Строка 12, столбец B («Мероприятие»): длиннее 1000 символов",
                    "Строка 13, столбец A: раздел «9. Строевая подготовка» не совпадает ни с одним направлением"):
        assert message in page, message
    assert "Хорошее мероприятие" not in page  # no preview while anything is wrong
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0
    assert "confirm" not in page.split("import-errors")[1]


def test_import_accepts_the_usual_ways_of_writing_timing(make_browser, doc):
    data = _sheet([HEADER, ["1. Аналитическая"],
                   ["1", "Раз", "Новая форма работы", "в течение учебного года"],
                   ["2", "Два", "семинар", "Сентябрь–Ноябрь 2025 г."],
                   ["3", "Три", None, "в октябре, марте"],
                   ["4", "Четыре", None, date(2026, 2, 12)],
                   ["5", "Пять", None, "12.02.26 - 14.02.26"],
                   ["Информационное направление"],
                   ["6", "Шесть", None, "апрель и май", "Петров О., ММО учителей истории", "учителя"]])
    b = make_browser(doc.district.methodist.email)
    page = upload(b, doc.url, data).get_data(as_text=True)
    assert "Будет создано мероприятий: 6" in page, page[-3000:]
    assert "Новая форма работы" in page and "новая" in page  # added to the catalogue on import
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    assert b.post(f"{doc.url}/import/confirm", {"token": token, "filename": "plan.xlsx"}).status_code == 302
    items = {i.title: i for i in db.session.scalars(db.select(PlanItem))}
    assert items["Раз"].months == mask_of(range(1, 13))
    assert items["Два"].months == mask_of([9, 10, 11]) and items["Два"].form_id == doc.seminar.id
    assert items["Три"].months == mask_of([10, 3])
    assert items["Четыре"].date_from == date(2026, 2, 12) and items["Четыре"].months == mask_of([2])
    assert (items["Пять"].date_from, items["Пять"].date_to) == (date(2026, 2, 12), date(2026, 2, 14))
    six = items["Шесть"]
    assert six.direction_id == doc.info.id and six.responsible_note == "ММО учителей истории"
    assert db.session.scalars(db.select(PlanItemResponsible.person_id)
                              .where(PlanItemResponsible.item_id == six.id)).all() == [doc.petrov.id]
    assert db.session.scalar(db.select(WorkForm.id).where(WorkForm.name == "Новая форма работы")) is not None


@pytest.mark.parametrize("name, data, message", [
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Поддерживаются файлы .xlsx и .csv."),
    ("plan.xlsx", b"PK\x03\x04 not a zip", "повреждён"),
    ("plan.xlsx", b"", "Файл пустой."),
    ("plan.xlsx", b"PK" + b"0" * (5 * 1024 * 1024), "больше 5 МБ"),
])
def test_hostile_or_broken_files_are_refused(make_browser, doc, name, data, message):
    b = make_browser(doc.district.methodist.email)
    resp = upload(b, doc.url, data, name)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0


def test_zip_bomb_and_too_many_rows_are_refused(make_browser, doc):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<x/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (80 * 1024 * 1024))
    b = make_browser(doc.district.methodist.email)
    assert "слишком большой" in upload(b, doc.url, bomb.getvalue()).get_data(as_text=True)
    many = _sheet([HEADER, ["1. Аналитическая"]] + [["1", f"Мероприятие {i}", None, "май"] for i in range(5000)])
    resp = upload(b, doc.url, many)
    assert resp.status_code == 422 and "больше 5000 строк" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0


def test_a_file_without_the_table_header_is_explained(make_browser, doc):
    b = make_browser(doc.district.methodist.email)
    resp = upload(b, doc.url, _sheet([["Список"], ["Иванова", "октябрь"]]))
    assert resp.status_code == 422 and "Не найдена строка заголовка таблицы" in resp.get_data(as_text=True)


def test_import_into_an_approved_plan_or_with_a_forged_token_is_refused(make_browser, doc):
    b = make_browser(doc.district.methodist.email)
    forged = b.post(f"{doc.url}/import/confirm", {"token": "../../etc/passwd", "filename": "x.xlsx"})
    assert forged.status_code == 422
    doc.plan.status = "approved"
    db.session.commit()
    assert b.get(f"{doc.url}/import").status_code == 409
    assert upload(b, doc.url, _sheet([HEADER, ["1. Аналитическая"], ["1", "x", None, "май"]])).status_code == 409
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0


def test_another_users_upload_cannot_be_confirmed(make_browser, doc, make_user):
    b = make_browser(doc.district.methodist.email)
    page = upload(b, doc.url, _sheet([HEADER, ["1. Аналитическая"], ["1", "Семинар", None, "май"]]))
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    other = make_browser(make_user(doc.tenant, role="methodist").email)
    resp = other.post(f"{doc.url}/import/confirm", {"token": token, "filename": "plan.xlsx"})
    assert resp.status_code == 422
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0


def test_importing_the_same_file_again_warns_about_repeats(make_browser, doc):
    add_items(doc, payloads=[])
    b = make_browser(doc.district.methodist.email)
    data = export(b, doc.url).data
    page = upload(b, doc.url, data).get_data(as_text=True)
    assert "импорт добавит их повторно" in page and "(4)" in page


def test_a_control_character_does_not_take_the_formula_guard_away(make_browser, doc):
    """Text pasted with an invisible control character: the character goes, the guard stays, the export works."""
    item_in(doc.tenant, doc.plan, doc.info, title='\x01=HYPERLINK("http://evil","x")', months=(4,),
            audience="учителя\x07 района")
    db.session.commit()
    b = make_browser(doc.district.methodist.email)
    wb = load_workbook(io.BytesIO(export(b, doc.url).data))
    row = next(r for r in wb["План"].iter_rows(values_only=True) if r[1] and "HYPERLINK" in r[1])
    assert row[1] == "'=HYPERLINK(\"http://evil\",\"x\")" and row[5] == "учителя района"
    marks = [r for r in wb["Анализ выполнения"].iter_rows(values_only=True) if r[1] and "HYPERLINK" in r[1]]
    assert marks and all(r[1].startswith("'") for r in marks)


def _with_sheet_xml(rows, change):
    """A workbook made by openpyxl whose first sheet's XML is then changed by hand (what a hostile or
    broken program could write)."""
    src = zipfile.ZipFile(io.BytesIO(_sheet(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


@pytest.mark.parametrize("cells", [
    b"<row r='9'><c r='A9'><v>1</v></row>",  # not well-formed XML
    b'<row r="9"><c r="A9" t="n"><v>abc</v></c></row>',  # a number that is not one
    b'<row r="9"><c r="A9" t="s"><v>999</v></c></row>',  # a shared string that does not exist
    b'<row r="9"><c r="A9" t="d"><v>yesterday</v></c></row>',  # a date that is not one
], ids=["xml", "number", "shared-string", "date"])
def test_a_damaged_sheet_is_refused_with_a_message_not_a_server_error(make_browser, doc, cells):
    data = _with_sheet_xml([HEADER, ["1. Аналитическая"], ["1", "Семинар", None, "май"]],
                           lambda xml: xml.replace(b"</sheetData>", cells + b"</sheetData>"))
    b = make_browser(doc.district.methodist.email)
    resp = upload(b, doc.url, data)
    assert resp.status_code == 422
    assert "файл повреждён или в другом формате" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PlanItem.id))) == 0


def test_cells_far_to_the_right_do_not_blow_up_the_rows_read():
    """A 30 KB file with one cell in column XFD on each of 5,000 rows made the reader build 5,000 rows of
    16,384 cells: ~700 MB and ~10 s for one upload. Columns past the table's are not read."""
    from oms.xlsx import read_table

    rows = "".join(f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>x</t></is></c><c r="XFD{r}"><v>1</v></c></row>'
                   for r in range(2, 3000))
    data = _with_sheet_xml([HEADER], lambda xml: xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>"))
    assert len(data) < 60_000
    read = read_table("plan.xlsx", data, 5001)
    assert len(read) == 2999
    assert max(len(row) for row in read) <= 100
    assert read[1][:2] == [None, "x"]


def test_the_import_button_reads_correctly_for_any_count(make_browser, doc):
    """«Импортировать 1 мероприятий», «… 2 мероприятий» were shown: the noun did not agree with the count."""
    b = make_browser(doc.district.methodist.email)
    for n in (1, 2, 5):
        rows = [HEADER, ["1. Аналитическая"]] + [[str(i), f"Семинар {i}", None, "май"] for i in range(n)]
        page = upload(b, doc.url, _sheet(rows)).get_data(as_text=True)
        assert "мероприятий</button>" not in page
        assert f"Импортировать мероприятия ({n})" in page


def test_a_timing_cell_merged_over_several_items_applies_to_each(make_browser, doc):
    """Paper plans often merge «Сроки» (or «Ответственные») over the items of one month. Only the merge's
    first row holds the value; the other rows were refused with «не указаны сроки» though the user sees
    «октябрь» next to them."""
    wb = Workbook()
    ws = wb.active
    for row in [HEADER, ["1. Аналитическая"], ["1.1", "Первое", None, "октябрь"], ["1.2", "Второе", None, None]]:
        ws.append(row)
    ws.merge_cells("D3:D4")
    buf = io.BytesIO()
    wb.save(buf)
    b = make_browser(doc.district.methodist.email)
    page = upload(b, doc.url, buf.getvalue()).get_data(as_text=True)
    assert "не указаны сроки" not in page
    assert "Будет создано мероприятий: 2" in page


def test_the_approving_act_is_written_in_its_kind_and_the_approver_in_the_genitive(make_browser, doc):
    add_items(doc)
    admin = make_browser(doc.district.admin.email)
    form = admin.get(f"{doc.url}/approve").get_data(as_text=True)
    assert 'name="act_kind"' in form and "постановление" in form and "Отдела образования" in form
    assert admin.post(f"{doc.url}/approve", {"act_kind": "resolution", "act_number": "7", "act_date": "2025-08-29",
                                             "version": doc.plan.version}).status_code == 302
    assert [load_workbook(io.BytesIO(export(admin, doc.url).data))["План"][f"E{r}"].value for r in (2, 3)] == [
        "постановлением Отдела образования", "от 29.08.2025 № 7"]
    page = admin.get(f"{doc.url}/").get_data(as_text=True)
    assert "постановлением Отдела образования от 29.08.2025 № 7" in page
    doc.tenant.act_title, doc.tenant.act_kind = "Положение о методической службе", "постановление"
    doc.tenant.act_issuer_genitive = "Администрации района"
    db.session.commit()
    home = admin.get(f"/{doc.slug}/").get_data(as_text=True)
    assert "утверждено постановлением Администрации района" in home
