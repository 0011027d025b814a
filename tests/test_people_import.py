"""Import of teachers from XLSX and CSV: mapping, preview, bad rows, re-import, hostile files."""
import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from factories.registry import import_batch_in
from oms.extensions import db
from oms.models import AuditEvent, ImportBatch, Person, School
from oms.services.people_import import guess_mapping, mapping_errors

DATA = Path(__file__).parent / "data"


def upload(b, slug, name, data=None):
    data = (DATA / name).read_bytes() if data is None else data
    return b.post(f"/{slug}/people/import/", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def batch_url(resp) -> str:
    assert resp.status_code == 303, resp.get_data(as_text=True)[:3000]
    return resp.headers["Location"].replace("/mapping", "")


def import_file(b, slug, name, data=None):
    url = batch_url(upload(b, slug, name, data))
    preview = b.get(url).get_data(as_text=True)
    return url, preview, b.post(url + "/confirm")


def counts(html: str) -> dict:
    return {k: int(v) for k, v in re.findall(r"(добавить|обновить|без изменений|строк с ошибками): (\d+)", html)}


def people_count():
    return db.session.scalar(db.select(db.func.count(Person.id)))


def snapshot():
    return sorted(db.session.execute(db.select(Person.id, Person.version, Person.updated_at)).all())


def csv_bytes(rows, encoding="cp1251", delimiter=";"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode(encoding)


@pytest.fixture
def methodist(make_browser, district):
    return make_browser(district.methodist.email)


def test_sample_xlsx_is_imported_with_its_schools(methodist, district):
    s = district.slug
    resp = upload(methodist, s, "teachers_sample.xlsx")
    mapping = methodist.get(resp.headers["Location"]).get_data(as_text=True)
    for target in ("full_name", "school", "position", "subjects", "category", "category_date", "experience",
                   "education", "phone", "email"):
        assert f'<option selected value="{target}">' in mapping, target
    url = batch_url(resp)
    preview = methodist.get(url).get_data(as_text=True)
    assert counts(preview) == {"добавить": 12, "обновить": 0, "без изменений": 0}
    assert "новых организаций: 4" in preview and "МОУ Куандинская СОШ" in preview
    assert people_count() == 0  # nothing is saved before the confirmation
    done = methodist.post(url + "/confirm")
    assert done.status_code == 303
    assert people_count() == 12 and db.session.scalar(db.select(db.func.count(School.id))) == 4
    person = db.session.scalar(db.select(Person).where(Person.last_name == "Дашиева"))
    school = db.session.get(School, person.school_id)
    assert school.name == "МОУ Новочарская СОШ № 1" and school.kind == "school"
    assert person.category == "highest" and person.category_date.isoformat() == "2021-12-24"
    assert person.experience_years == 18 and not person.is_young_specialist
    assert person.subjects == "Математика; Информатика" and person.phone == "+7 914 440-12-01"
    assert db.session.scalar(db.select(Person).where(Person.last_name == "Аюшеева")).is_young_specialist
    result = methodist.get(url).get_data(as_text=True)
    assert "загружен" in result and "<dd>12</dd>" in result
    found = methodist.get(f"/{s}/people/", query_string={"q": "ЕЛКИНА"}).get_data(as_text=True)
    assert "Ёлкина Алёна Петровна" in found
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "import"))
    assert "добавлено 12" in event.summary
    # The parsed rows are not kept once the import is done, neither in the batch nor in the audit trail.
    assert db.session.scalar(db.select(ImportBatch)).rows == []
    assert "Ёлкина" not in str(db.session.scalars(db.select(AuditEvent.changes)).all())


def test_csv_in_windows_1251_matches_the_xlsx_and_reimport_changes_nothing(methodist, district):
    s = district.slug
    import_file(methodist, s, "teachers_sample.csv")
    assert people_count() == 12
    before = snapshot()
    for name in ("teachers_sample.xlsx", "teachers_sample.csv"):
        url, preview, done = import_file(methodist, s, name)
        assert counts(preview) == {"добавить": 0, "обновить": 0, "без изменений": 12}
        assert "загружать нечего" in preview
    assert snapshot() == before
    assert db.session.scalar(db.select(db.func.count(School.id))) == 4


def test_utf8_csv_with_commas_and_a_changed_row_updates_only_that_person(methodist, district):
    s = district.slug
    import_file(methodist, s, "teachers_sample.xlsx")
    before = dict((pid, version) for pid, version, _ in snapshot())
    text = (DATA / "teachers_sample.csv").read_bytes().decode("cp1251")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    rows[2][5] = "Высшая квалификационная категория"  # Никифоров: первая -> высшая
    rows[2][9] = ""  # an empty cell erases nothing
    url, preview, done = import_file(methodist, s, "педагоги.csv", csv_bytes(rows, "utf-8", ","))
    assert counts(preview) == {"добавить": 0, "обновить": 1, "без изменений": 11}
    assert "Категория: Первая → <strong>Высшая</strong>" in preview
    person = db.session.scalar(db.select(Person).where(Person.last_name == "Никифоров"))
    assert person.category == "highest" and person.education == "высшее педагогическое"
    changed = [pid for pid, version, _ in snapshot() if version != before[pid]]
    assert changed == [person.id]


def test_bad_rows_are_explained_by_row_and_column_and_nothing_is_saved(methodist, district):
    s = district.slug
    resp = upload(methodist, s, "teachers_with_error.xlsx")
    mapping_url = resp.headers["Location"]
    assert '<option selected value="subjects">' not in methodist.get(mapping_url).get_data(as_text=True)
    choice = {f"col_{i}": t for i, t in enumerate(["", "full_name", "school", "position", "subjects", "category",
                                                   "category_date", "experience", "education", "phone", "email"])}
    assert methodist.post(mapping_url, choice).status_code == 303
    url = mapping_url.replace("/mapping", "")
    preview = methodist.get(url).get_data(as_text=True)
    issues = re.findall(r'<tr class="issue"><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>', preview)
    assert ("5", "F «Квалификационная категория»") == issues[0][:2] and "Неизвестная категория «вторая»" in issues[0][2]
    assert ("5", "G «Дата присвоения категории»") == issues[1][:2] and "31.02.2020" in issues[1][2]
    assert len(issues) == 2 and "ничего не сохранено" in preview.lower()
    assert 'action="' + url + '/confirm"' not in preview  # no confirm button while a row is bad
    refused = methodist.post(url + "/confirm")
    assert refused.status_code == 422
    assert people_count() == 0 and db.session.scalar(db.select(db.func.count(School.id))) == 0
    # The corrected file, same columns: the user's column choice is remembered.
    fixed = upload(methodist, s, "teachers_with_error_fixed.xlsx")
    assert '<option selected value="subjects">' in methodist.get(fixed.headers["Location"]).get_data(as_text=True)
    url, preview, done = import_file(methodist, s, "teachers_with_error_fixed.xlsx")
    assert done.status_code == 303 and people_count() == 12


def test_mapping_errors_are_shown_and_nothing_is_stored(methodist, district):
    resp = upload(methodist, district.slug, "teachers_sample.xlsx")
    mapping_url = resp.headers["Location"]
    no_name = methodist.post(mapping_url, {"col_1": "", "col_2": "school"})
    assert no_name.status_code == 422 and "Укажите столбец с ФИО" in no_name.get_data(as_text=True)
    twice = methodist.post(mapping_url, {"col_1": "full_name", "col_2": "position", "col_3": "position"})
    assert twice.status_code == 422
    assert "Поле «Должность» выбрано для нескольких столбцов" in twice.get_data(as_text=True)
    bogus = methodist.post(mapping_url, {"col_1": "full_name", "col_2": "tenant_id"})
    assert bogus.status_code == 422
    assert db.session.scalar(db.select(ImportBatch)).mapping["1"] == "full_name"


@pytest.mark.parametrize("header, expected", [
    (["№", "Ф.И.О.", "ОО", "Предмет(ы)", "Должность"], {"1": "full_name", "2": "school", "3": "subjects",
                                                        "4": "position"}),
    (["Фамилия", "Имя", "Отчество", "Школа", "Кв. категория", "Дата аттестации", "Стаж работы"],
     {"0": "last_name", "1": "first_name", "2": "middle_name", "3": "school", "4": "category",
      "5": "category_date", "6": "experience"}),
    (["ФИО педагога", "Образовательная организация", "Тел.", "Эл. почта", "Молодой специалист (да/нет)",
      "Образование"], {"0": "full_name", "1": "school", "2": "phone", "3": "email", "4": "young", "5": "education"}),
    (["Наименование ОО", "Фамилия, имя, отчество", "Преподаваемые предметы", "Квалификационная категория"],
     {"0": "school", "1": "full_name", "2": "subjects", "3": "category"}),
])
def test_columns_are_guessed_from_russian_headers(header, expected):
    assert guess_mapping(header) == expected
    assert mapping_errors(expected) == []


def test_a_title_row_above_the_header_is_skipped(methodist, district):
    data = csv_bytes([["Список педагогов района на 01.09.2025"], [], ["ФИО", "ОО", "Стаж"],
                      ["Иванова Анна Петровна", "СОШ № 1", "12 лет"]])
    url, preview, done = import_file(methodist, district.slug, "список.csv", data)
    assert counts(preview)["добавить"] == 1 and done.status_code == 303
    assert db.session.scalar(db.select(Person.experience_years)) == 12


def test_the_same_teacher_twice_in_a_file_is_a_bad_row(methodist, district):
    data = csv_bytes([["ФИО", "ОО"], ["Иванова Анна Петровна", "СОШ № 1"], ["ИВАНОВА анна петровна", "сош № 1"]])
    url, preview, done = import_file(methodist, district.slug, "дубли.csv", data)
    assert "уже есть в строке 2 этого файла" in preview and done.status_code == 422
    assert people_count() == 0


# ---- hostile and oversized files ------------------------------------------------------------------

def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_with_a_10mb_cell() -> bytes:
    """openpyxl cuts cells at 32,767 characters, so the 10 MB cell is written into the sheet's XML directly."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(_xlsx([["ФИО", "Образование"], ["Иванова Анна", "BIGCELL"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            z.writestr(item, body.replace(b"BIGCELL", "А".encode() * 5_000_000 + b"B" * 100))
    return out.getvalue()


@pytest.mark.parametrize("name, make, message", [
    ("broken.xlsx", lambda: b"PK\x03\x04" + b"\x00garbage" * 100, "повреждён"),
    ("photo.png", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Поддерживаются файлы .xlsx и .csv"),
    ("binary.csv", lambda: b"\x00\x01\x02MZ" * 100, "не похож на таблицу"),
    ("empty.csv", lambda: b"", "Файл пустой"),
    ("huge.csv", lambda: b"x" * (5 * 1024 * 1024 + 10), "Файл больше 5 МБ"),
    ("cell.xlsx", _xlsx_with_a_10mb_cell, "слишком большой"),
    ("cell.csv", lambda: ("ФИО;Образование\nИванова Анна;" + "А" * 200_000).encode(), "131 072"),
    ("many.csv", lambda: ("ФИО;ОО\n" + "Иванова Анна;СОШ\n" * 5001).encode(), "не больше 5000"),
])
def test_hostile_files_are_refused_with_a_clear_message(methodist, district, name, make, message):
    resp = upload(methodist, district.slug, name, make())
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ImportBatch.id))) == 0
    assert methodist.get(f"/{district.slug}/people/").status_code == 200  # the server still answers


def test_formulas_tags_and_long_cells_are_bad_rows_never_data(methodist, district):
    data = csv_bytes([["ФИО", "Должность", "Образование"],
                      ["Иванова Анна Петровна", "=1+1", "высшее"],
                      ["<script>alert(1)</script> Анна", "учитель", "высшее"],
                      ["Петрова Мария Ивановна", "учитель", "<b>высшее</b>"],
                      ["Сидорова Ольга Юрьевна", "учитель", "в" * 5000]])
    url, preview, done = import_file(methodist, district.slug, "hostile.csv", data)
    assert "Значение начинается с «=» (формула)" in preview
    assert "ФИО: Только буквы" in preview and "<script>alert" not in preview
    assert "HTML-разметку" in preview
    assert "Слишком длинное значение: 5000 символов." in preview
    assert counts(preview)["строк с ошибками"] == 4
    assert done.status_code == 422 and people_count() == 0


def test_xlsx_formula_cells_are_reported_and_never_imported_as_formulas(methodist, district):
    data = _xlsx([["ФИО", "Должность"], ["Иванова Анна Петровна", '=HYPERLINK("http://evil","учитель")'],
                  ["Петрова Мария Ивановна", "учитель"]])
    resp = upload(methodist, district.slug, "formula.xlsx", data)
    assert "В файле есть формулы (1)" in methodist.get(resp.headers["Location"]).get_data(as_text=True)
    url, preview, done = import_file(methodist, district.slug, "formula.xlsx", data)
    assert done.status_code == 303
    positions = set(db.session.scalars(db.select(Person.position)))
    assert positions == {"", "учитель"}


# ---- who may see a batch --------------------------------------------------------------------------

def test_a_batch_is_visible_only_to_its_uploader_and_expires(make_browser, district, methodist):
    batch = import_batch_in(district.tenant, user=district.admin)
    db.session.commit()
    url = f"/{district.slug}/people/import/{batch.id}"
    assert methodist.get(url).status_code == 404
    assert methodist.post(url + "/confirm").status_code == 404
    admin = make_browser(district.admin.email)
    assert admin.get(url).status_code == 200
    batch.expires_at = batch.created_at - timedelta(minutes=1)
    db.session.commit()
    resp = admin.get(url)
    assert resp.status_code == 410 and "Загрузка устарела" in resp.get_data(as_text=True)
    assert admin.post(url + "/confirm").status_code == 410 and people_count() == 0


def test_confirming_twice_adds_nothing_more(methodist, district):
    url, preview, done = import_file(methodist, district.slug, "teachers_sample.xlsx")
    again = methodist.post(url + "/confirm")
    assert again.status_code == 303 and people_count() == 12


def test_cancel_drops_the_upload(methodist, district):
    url = batch_url(upload(methodist, district.slug, "teachers_sample.xlsx"))
    assert methodist.post(url + "/cancel").status_code == 303
    assert db.session.scalar(db.select(db.func.count(ImportBatch.id))) == 0
    assert methodist.get(url).status_code == 404


def test_an_exported_list_imports_back_without_changes(methodist, district):
    s = district.slug
    import_file(methodist, s, "teachers_sample.xlsx")
    db.session.add(Person(tenant_id=district.tenant.id, last_name="Лазарев", first_name="Павел",
                          position="методист", phone="-22-33-44", experience_years=3))
    db.session.commit()
    before = snapshot()
    exported = methodist.get(f"/{s}/people/export.xlsx").data
    url, preview, done = import_file(methodist, s, "Педагоги.xlsx", exported)
    assert counts(preview) == {"добавить": 0, "обновить": 0, "без изменений": 13}, preview[:3000]
    assert snapshot() == before


def test_rows_without_an_organisation_find_the_teacher_by_name(methodist, district):
    s = district.slug
    import_file(methodist, s, "teachers_sample.xlsx")
    data = csv_bytes([["ФИО", "Стаж"], ["Кудрин Олег Николаевич", "32"], ["Новикова Ирина Олеговна", "3"]])
    url, preview, done = import_file(methodist, s, "стаж.csv", data)
    assert counts(preview) == {"добавить": 1, "обновить": 1, "без изменений": 0}
    kudrin = db.session.scalars(db.select(Person).where(Person.last_name == "Кудрин")).all()
    assert len(kudrin) == 1 and kudrin[0].experience_years == 32 and kudrin[0].school_id is not None
    # A namesake in another school makes the name ambiguous: the row must name the organisation.
    school_id = db.session.scalar(db.select(School.id).where(School.name == "МОУ Чарская СОШ"))
    db.session.add(Person(tenant_id=district.tenant.id, last_name="Кудрин", first_name="Олег",
                          middle_name="Николаевич", school_id=school_id))
    db.session.commit()
    url, preview, done = import_file(methodist, s, "стаж.csv", data)
    assert "В районе несколько педагогов «Кудрин Олег Николаевич»: укажите организацию." in preview
    assert done.status_code == 422


def test_old_excel_files_get_a_hint_to_save_as_xlsx(methodist, district):
    resp = upload(methodist, district.slug, "педагоги.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    assert resp.status_code == 422 and "сохраните его как «Книга Excel (.xlsx)»" in resp.get_data(as_text=True)
