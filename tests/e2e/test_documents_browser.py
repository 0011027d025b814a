"""A real Chromium uploads a new version of «Положение о Методическом совете»: the old one reads «утратил силу»
and the checklist shows the document present."""
from datetime import date

from playwright.sync_api import expect

from factories.documents import document_file_in, document_in
from oms.extensions import db
from oms.services.sample_files import docx_bytes
from support import PASSWORD, login_page, screenshot

TITLE = "Положение о Методическом совете Управления образования"


def test_new_version_of_the_council_regulation(page, district, tmp_path):
    tenant = district.tenant
    tenant.catalogues = {"documents": [{"kind": "положение", "title": TITLE}]}
    old = document_in(tenant, title=TITLE, requirement=TITLE, number="155", issued_on=date(2020, 5, 14),
                      valid_from=date(2020, 5, 14), valid_to=date(2024, 12, 31))
    document_file_in(tenant, old, name="Положение 2020.docx")
    db.session.commit()
    new_file = tmp_path / "Положение 2025.docx"
    new_file.write_bytes(docx_bytes(TITLE, ["Новая редакция."]))

    login_page(page, district.methodist.email, PASSWORD)
    page.goto(f"/{district.slug}/documents/checklist")
    row = page.locator(f'tr[data-requirement="{TITLE}"]')
    expect(row).to_contain_text("утратил силу")  # its validity ended

    row.get_by_role("link", name="Загрузить новую редакцию").click()
    page.fill("input[name=number]", "214-од")
    page.fill("input[name=issued_on]", "2025-09-01")
    page.fill("input[name=valid_from]", "2025-09-01")
    page.fill("input[name=valid_to]", "")
    page.set_input_files("input[name=attachments]", str(new_file))
    page.get_by_role("button", name="Сохранить").click()

    expect(page.locator("#doc-status")).to_contain_text("действует")
    history = page.locator("#history")
    expect(history).to_contain_text("Положение 2020.docx")
    expect(history).to_contain_text("Положение 2025.docx")
    history.get_by_role("link", name="редакция 1").click()
    expect(page.locator("#doc-status")).to_contain_text("утратил силу")
    expect(page.locator("#doc-status")).to_contain_text("заменён новой редакцией")

    page.goto(f"/{district.slug}/documents/checklist")
    row = page.locator(f'tr[data-requirement="{TITLE}"]')
    expect(row).to_contain_text("есть")
    expect(row).to_contain_text("№ 214-од")
    screenshot(page, "documents-checklist")
