"""The contest protocol, the contest rating and the olympiad regional-stage list open in LibreOffice (converted to
PDF with the typed names on the page, never a formula result). Skipped where LibreOffice is not installed."""
import shutil
import subprocess

import pytest

from factories.contests import competition_in, entry_in, result_in, season_in
from oms.extensions import db
from oms.models import Competition, StageSubject
from oms.services import contests as svc

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def _convert(b, url, tmp_path, name):
    resp = b.get(url)
    assert resp.status_code == 200
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(resp.data)
    subprocess.run([OFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / f"{name}.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1_000
    if not shutil.which("pdftotext"):
        return None
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
def test_protocol_rating_and_regional_list_convert_to_pdf(make_browser, district, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the files do not depend on the database; converted once")
    t = district.tenant
    comp = competition_in(t, kind="pupils", title="Юный исследователь")
    entry_in(t, comp, pupil_name="=1+2 Кузнецов Пётр", consent=True)
    entry_in(t, comp, pupil_name="Орлова Вера Андреевна", consent=True)
    season = season_in(t)
    municipal = svc.stage_of(season, "municipal")
    olympiad = db.session.get(Competition, municipal.competition_id)
    nom = svc.subject(olympiad, "Физика")
    db.session.add(StageSubject(tenant_id=t.id, stage_id=municipal.id, nomination_id=nom.id, grade=10,
                                max_points=40, threshold=20))
    db.session.flush()
    result_in(t, stage=municipal, subject="Физика", grade=10, score=35, pupil_name="Высокий Балл Иванович")
    db.session.commit()
    b = make_browser(district.methodist.email)
    protocol = _convert(b, f"/{t.slug}/contests/{comp.id}/protocol.xlsx", tmp_path, "protocol")
    rating = _convert(b, f"/{t.slug}/contests/{comp.id}/rating.xlsx", tmp_path, "rating")
    listing = _convert(b, f"/{t.slug}/olympiads/stages/{municipal.id}/next.xlsx", tmp_path, "regional")
    if protocol is None:
        return
    for text in (protocol, rating):
        assert "=1+2 Кузнецов" in text and "Орлова" in text  # typed text stays text, not 3
    assert "Высокий Балл" in listing
