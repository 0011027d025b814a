"""The export opens in LibreOffice and prints like the paper plan: approval block and title on the first page,
the table header repeated on every page, A4 landscape. Skipped where LibreOffice is not installed."""
import shutil
import subprocess

import pytest

from factories.core import person_in
from factories.plan import body_in, direction_in, form_in, item_in, plan_in
from oms.extensions import db

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
def test_export_converts_to_a_paper_like_pdf(make_browser, district, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the file does not depend on the database; converted once")
    t = district.tenant
    t.service_name_genitive = "Методической службы"
    people = [person_in(t, last_name=name) for name in ("Иванова", "Петрова", "Сидорова")]
    forms = [form_in(t, "Семинар"), form_in(t, "Конкурс"), form_in(t, "Консультация")]
    body = body_in(t, "ММО учителей математики")
    plan = plan_in(t, 2025)
    for d in range(3):
        direction = direction_in(t, ("Аналитическая", "Информационная", "Организационно-методическая")[d])
        for i in range(25):
            item_in(t, plan, direction, title=f"Семинар для заместителей директоров по УВР «Тема {d}.{i}: "
                    "функциональная грамотность и оценка качества»", months=(9 + i % 4,), people=people[: 1 + i % 3],
                    form_id=forms[i % 3].id, audience="заместители директоров по УВР, руководители ШМО",
                    expected_result="Методические рекомендации для школ района", body_id=body.id if i % 5 else None)
    db.session.commit()
    b = make_browser(district.methodist.email)
    resp = b.get(f"/{t.slug}/plans/2025-2026/export.xlsx")
    source = tmp_path / "plan.xlsx"
    source.write_bytes(resp.data)
    subprocess.run([OFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "plan.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if not shutil.which("pdftotext"):
        return
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    first_analysis = next(i for i, p in enumerate(pages) if "Анализ выполнения плана" in p)
    plan_pages = pages[:first_analysis]
    assert "УТВЕРЖДЁН" in plan_pages[0] and "План работы Методической службы на 2025/2026 учебный год" in plan_pages[0]
    assert len(plan_pages) >= 2
    for page in plan_pages:  # the header row repeats on every printed page
        assert "Мероприятие" in page and "Ожидаемый результат" in page
    assert "Отметка о выполнении" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    width, height = [float(x) for x in info.split("Page size:")[1].split("pts")[0].split(" x ")]
    assert width > height and round(width) in (841, 842)  # A4 landscape
