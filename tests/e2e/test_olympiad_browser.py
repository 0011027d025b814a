"""An organiser runs the ВсОШ school and municipal stages in a real Chromium: imports the school-stage results,
sets a threshold, sees the municipal list, enters municipal scores, locks the stage and downloads the protocol."""
import io

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from factories.core import school_in
from oms.extensions import db
from support import login_page, screenshot


def _results_file(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["ФИО", "Класс", "ОО", "Предмет", "Баллы"])
    for name, school, score in (("Иванов Пётр Сергеевич", "СОШ № 1", 41), ("Орлова Вера Игоревна", "СОШ № 2", 33),
                                ("Белов Глеб Ильич", "СОШ № 1", 12)):
        ws.append([name, 9, school, "Математика", score])
    wb.save(path)
    return str(path)


def test_school_stage_to_municipal_protocol(page, district, tmp_path):
    school_in(district.tenant, name="МБОУ «Средняя школа № 1»", short_name="СОШ № 1")
    school_in(district.tenant, name="МБОУ «Средняя школа № 2»", short_name="СОШ № 2")
    db.session.commit()
    page.on("dialog", lambda dialog: dialog.accept())
    login_page(page, district.methodist.email)
    page.goto(f"/{district.slug}/olympiads/")
    page.select_option("select[name=start_year]", label="2025/2026")
    with page.expect_navigation():
        page.click("button:has-text('Открыть сезон')")
    with page.expect_navigation():
        page.click("text=Школьный этап")

    with page.expect_navigation():
        page.click("text=Загрузить результаты из файла")
    page.set_input_files("input[name=file]", _results_file(tmp_path / "школьный.xlsx"))
    with page.expect_navigation(url="**/mapping"):
        page.click("text=Дальше: столбцы")
    assert page.get_by_label("B: Класс").input_value() == "grade"
    with page.expect_navigation():
        page.click("text=Дальше: проверить строки")
    expect(page.locator("body")).to_contain_text("Будет сохранено результатов: 3")
    with page.expect_navigation():
        page.click("text=Сохранить результаты")
    expect(page.locator("#results tbody tr")).to_have_count(3)

    page.click("text=Задать параметры предмета и класса")
    page.fill("#subject", "Математика")
    page.fill("#grade", "9")
    page.fill("#max_points", "50")
    page.fill("#threshold", "30")
    with page.expect_navigation():
        page.click("text=Сохранить параметры")
    with page.expect_navigation():
        page.click("text=Список на муниципальный этап")
    expect(page.locator("#next-list tbody tr")).to_have_count(2)
    assert "Белов" not in page.locator("#next-list").inner_text()
    screenshot(page, "olympiad-municipal-list")
    with page.expect_navigation():
        page.click("text=Внести в список участников")

    page.goto(f"/{district.slug}/olympiads/")
    with page.expect_navigation():
        page.click("text=2025/2026")
    with page.expect_navigation():
        page.click("text=Муниципальный этап")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    for i, score in enumerate(("44", "27,5")):
        rows.nth(i).locator("input[name=score]").fill(score)
        with page.expect_navigation():
            rows.nth(i).locator("text=OK").first.click()
    expect(rows.nth(0).locator("input[name=score]")).to_have_value("44")
    expect(rows.nth(1).locator("input[name=score]")).to_have_value("27,5")
    with page.expect_navigation():
        page.click("text=Утвердить результаты этапа")
    expect(page.locator("body")).to_contain_text("баллы больше не меняются")
    assert page.locator("#results input[name=score]").count() == 0
    with page.expect_download() as download:
        page.click("text=Протокол XLSX")
    ws = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    names = [row[3] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == ["Иванов Пётр Сергеевич", "Орлова Вера Игоревна"]
    screenshot(page, "olympiad-municipal-locked")
