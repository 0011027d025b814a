"""ВсОШ: the school-stage import (mapping, errors by row and column, nothing saved from a bad file, a pupil twice
refused), thresholds and the municipal list (with last year's winners), scores within the maximum, the lock,
appeals, the rating with initials without consent, the protocol and list XLSX, analytics, query counts."""
import io

from openpyxl import Workbook, load_workbook

from factories.contests import result_in, season_in
from factories.core import school_in
from oms.extensions import db
from oms.models import Appeal, Competition, Entry, ImportBatch, StageSubject
from oms.services import contests as svc


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows) -> bytes:
    return "\n".join(";".join(str(v) for v in row) for row in rows).encode("utf-8")


def _upload(b, slug, stage, data, name="results.xlsx"):
    return b.post(f"/{slug}/olympiads/stages/{stage.id}/import", data={"file": (io.BytesIO(data), name)},
                  content_type="multipart/form-data")


def _setting(stage, subject, grade, max_points=50, threshold=None):
    comp = db.session.get(Competition, stage.competition_id)
    nom = svc.subject(comp, subject)
    row = StageSubject(tenant_id=stage.tenant_id, stage_id=stage.id, nomination_id=nom.id, grade=grade,
                       max_points=max_points, threshold=threshold)
    db.session.add(row)
    db.session.flush()
    return nom, row


def test_school_stage_import_with_column_mapping(district, make_browser):
    tenant = district.tenant
    school_in(tenant, name="МБОУ «Средняя школа № 1»", short_name="СОШ № 1")
    school_in(tenant, name="МБОУ «Гимназия № 2»", short_name="Гимназия № 2")
    season = season_in(tenant)
    stage = svc.stage_of(season, "school")
    _setting(stage, "Математика", 9, max_points=50)
    db.session.commit()
    b = make_browser(district.methodist.email)
    good = _xlsx([["Участник", "Кл.", "Школа", "Предмет", "Итого"],
                  ["Иванов Пётр Сергеевич", 9, "СОШ № 1", "Математика", 41],
                  ["Орлова Вера", "9 А", "Гимназия № 2", "Математика", "37,5"],
                  ["Орлова Вера", 9, "Гимназия № 2", "Физика", 12]])
    resp = _upload(b, district.slug, stage, good)
    assert resp.status_code == 302
    batch = db.session.scalar(db.select(ImportBatch).where(ImportBatch.kind == "olympiad"))
    mapping_url = f"/{district.slug}/olympiads/import/{batch.id}/mapping"
    page = b.get(mapping_url).get_data(as_text=True)
    assert "Кл." in page and "Загрузить как" in page
    # «Кл.» and «Итого» are not guessed: the user maps them
    missing = b.post(mapping_url, data={"col_0": "full_name", "col_2": "school", "col_3": "subject"})
    assert missing.status_code == 422 and "Укажите столбец «Класс»." in missing.get_data(as_text=True)
    assert b.post(mapping_url, data={"col_0": "full_name", "col_1": "grade", "col_2": "school", "col_3": "subject",
                                     "col_4": "score"}).status_code == 302
    preview = b.get(f"/{district.slug}/olympiads/import/{batch.id}").get_data(as_text=True)
    assert "Будет сохранено результатов: 3" in preview and "Физика" in preview
    assert b.post(f"/{district.slug}/olympiads/import/{batch.id}/confirm").status_code == 302
    rows = db.session.scalars(db.select(Entry).order_by(Entry.id)).all()
    assert [(e.pupil_name, e.grade, e.score) for e in rows] == [("Иванов Пётр Сергеевич", 9, 41),
                                                               ("Орлова Вера", 9, 37.5), ("Орлова Вера", 9, 12)]
    # the same pupil in the same subject and stage again: refused, nothing saved
    again = _upload(b, district.slug, stage, _xlsx([["ФИО", "Класс", "ОО", "Предмет", "Баллы"],
                                                     ["Иванов Пётр Сергеевич", 9, "СОШ № 1", "Математика", 40]]))
    batch2 = db.session.scalar(db.select(ImportBatch).where(ImportBatch.kind == "olympiad", ImportBatch.id != batch.id))
    assert again.status_code == 302
    second = b.get(f"/{district.slug}/olympiads/import/{batch2.id}").get_data(as_text=True)
    assert "уже сохранён" in second
    assert b.post(f"/{district.slug}/olympiads/import/{batch2.id}/confirm").status_code == 422
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == 3


def test_a_bad_file_saves_nothing_and_names_rows_and_columns(district, make_browser):
    tenant = district.tenant
    school_in(tenant, name="МБОУ «Средняя школа № 1»", short_name="СОШ № 1")
    stage = svc.stage_of(season_in(tenant), "school")
    _setting(stage, "Математика", 9, max_points=50)
    db.session.commit()
    b = make_browser(district.methodist.email)
    bad = ([["ФИО", "Класс", "ОО", "Предмет", "Баллы"],
                 ["Иванов Пётр", 9, "СОШ № 1", "Математика", 41],
                 ["Петров Иван", "", "СОШ № 1", "Математика", 20],
                 ["Сидоров Олег", 9, "", "Математика", 20],
                 ["Кузнецов Ян", 9, "Лицей № 99", "Математика", 20],
                 ["Иванов Пётр", 9, "СОШ № 1", "Математика", 30],
                 ["Фролов Ян", 9, "СОШ № 1", "Математика", 51],
                 ["=HYPERLINK(1)", 9, "СОШ № 1", "Математика", 5]])
    _upload(b, district.slug, stage, _csv(bad), name="results.csv")
    batch = db.session.scalar(db.select(ImportBatch).where(ImportBatch.kind == "olympiad"))
    page = b.get(f"/{district.slug}/olympiads/import/{batch.id}").get_data(as_text=True)
    for expected in ("Класс не указан", "Образовательная организация не указана", "«Лицей № 99» не найдена",
                     "уже есть в файле по этому предмету (строка 2)", "Больше максимума: 50", "формула",
                     "B «Класс»", "C «ОО»"):
        assert expected in page, expected
    assert b.post(f"/{district.slug}/olympiads/import/{batch.id}/confirm").status_code == 422
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == 0
    broken = _upload(b, district.slug, stage, b"not a spreadsheet", name="x.xlsx")
    assert broken.status_code == 422


def test_threshold_and_the_municipal_list_with_last_years_winners(district, make_browser):
    tenant = district.tenant
    last = season_in(tenant, 2024)
    nom_last, _ = _setting(svc.stage_of(last, "municipal"), "Математика", 8)
    winner_school = school_in(tenant)
    result_in(tenant, stage=svc.stage_of(last, "municipal"), pupil_name="Прошлогодний Победитель",
              school=winner_school, grade=8, result="winner", score=45)
    result_in(tenant, stage=svc.stage_of(last, "municipal"), pupil_name="Прошлогодний Участник", grade=8,
              result="participant", score=10)
    season = season_in(tenant, 2025)
    school = svc.stage_of(season, "school")
    nom, conf = _setting(school, "Математика", 9, threshold=None)
    for name, score in (("Высокий Балл", 40), ("Ровно Порог", 30), ("Ниже Порога", 29.5)):
        result_in(tenant, stage=school, pupil_name=name, score=score)
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/olympiads/stages/{school.id}/next?subject={nom.id}&grade=9"
    assert "Прошлогодний Победитель" in b.get(url).get_data(as_text=True)  # winners go on without a threshold
    bad = b.post(f"/{district.slug}/olympiads/stages/{school.id}/settings",
                 data={"subject": "Математика", "grade": "9", "max_points": "50", "threshold": "60"})
    assert bad.status_code == 422 and "Проходной балл от 0 до максимума." in bad.get_data(as_text=True)
    assert b.post(f"/{district.slug}/olympiads/stages/{school.id}/settings",
                  data={"subject": "Математика", "grade": "9", "max_points": "50", "threshold": "30"}).status_code == 302
    names = [c.name for c in svc.next_stage_list(season, "school", nom, 9)]
    assert names == ["Высокий Балл", "Ровно Порог", "Прошлогодний Победитель"]
    assert b.post(url).status_code == 302
    assert b.post(url).status_code == 302  # twice adds nobody twice
    municipal = svc.stage_of(season, "municipal")
    entered = db.session.scalars(db.select(Entry.pupil_name).where(Entry.stage_id == municipal.id)
                                 .order_by(Entry.pupil_name)).all()
    assert entered == ["Высокий Балл", "Прошлогодний Победитель", "Ровно Порог"]
    teacher = make_browser(district.teacher.email)
    assert teacher.post(url).status_code == 403


def test_municipal_scores_maximum_lock_and_protocol(district, make_browser):
    tenant = district.tenant
    season = season_in(tenant)
    municipal = svc.stage_of(season, "municipal")
    nom, _ = _setting(municipal, "Физика", 10, max_points=40)
    entry = result_in(tenant, stage=municipal, subject="Физика", grade=10, score=None, pupil_name="=cmd Иванов Ян")
    db.session.commit()
    b = make_browser(district.methodist.email)
    base = f"/{district.slug}/olympiads"
    assert b.post(f"{base}/results/{entry.id}/score", data={"score": "41"}).status_code == 422
    assert b.post(f"{base}/results/{entry.id}/score", data={"score": "abc"}).status_code == 422
    assert b.post(f"{base}/results/{entry.id}/score", data={"score": "35,5"}).status_code == 302
    db.session.refresh(entry)
    assert entry.score == 35.5
    assert b.post(f"{base}/stages/{municipal.id}/lock").status_code == 302
    assert b.post(f"{base}/results/{entry.id}/score", data={"score": "30"}).status_code == 422
    db.session.refresh(entry)
    assert entry.score == 35.5
    resp = b.get(f"{base}/stages/{municipal.id}/protocol.xlsx")
    ws = load_workbook(io.BytesIO(resp.data)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert any(str(c.value).endswith("=cmd Иванов Ян") for c in cells)
    listing = b.get(f"{base}/stages/{municipal.id}/next.xlsx")
    assert listing.status_code == 200 and load_workbook(io.BytesIO(listing.data)).active.max_row >= 2
    assert make_browser(district.teacher.email).get(f"{base}/stages/{municipal.id}/protocol.xlsx").status_code == 403


def test_appeal_is_recorded_and_changes_the_score(district, make_browser):
    tenant = district.tenant
    season = season_in(tenant)
    municipal = svc.stage_of(season, "municipal")
    _setting(municipal, "Химия", 11, max_points=60)
    entry = result_in(tenant, stage=municipal, subject="Химия", grade=11, score=40)
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/olympiads/results/{entry.id}/appeal"
    assert b.post(url, data={"reason": ""}).status_code == 422
    assert b.post(url, data={"reason": "Не засчитано решение задачи 3"}).status_code == 302
    appeal = db.session.scalar(db.select(Appeal))
    decide = f"/{district.slug}/olympiads/appeals/{appeal.id}/decide"
    assert b.post(decide, data={"decision": "upheld", "new_score": "61"}).status_code == 422
    assert b.post(decide, data={"decision": "upheld", "new_score": "46"}).status_code == 302
    db.session.refresh(appeal)
    db.session.refresh(entry)
    assert (appeal.decision, appeal.old_score, appeal.new_score, entry.score) == ("upheld", 40, 46, 46)
    assert b.post(decide, data={"decision": "rejected"}).status_code == 422  # decided once
    page = b.get(url).get_data(as_text=True)
    assert "Удовлетворена" in page and "40 → 46" in page


def test_rating_initials_without_consent_and_constant_queries(district, make_browser, count_queries):
    tenant = district.tenant
    season = season_in(tenant)
    school = svc.stage_of(season, "school")
    nom, _ = _setting(school, "Биология", 7)
    result_in(tenant, stage=school, subject="Биология", grade=7, pupil_name="Соколов Артём Ильич", score=20)
    result_in(tenant, stage=school, subject="Биология", grade=7, pupil_name="Лебедева Ника Олеговна", score=25,
              consent=True)
    db.session.commit()
    b = make_browser(district.teacher.email)
    url = f"/{district.slug}/olympiads/stages/{school.id}/rating?subject={nom.id}"
    page = b.get(url).get_data(as_text=True)
    assert "Соколов" not in page and "С. А. И." in page and "Лебедева Ника Олеговна" in page
    with count_queries() as few:
        assert b.get(url).status_code == 200
    for i in range(30):
        result_in(tenant, stage=school, subject="Биология", grade=7 + i % 3, score=i)
    db.session.commit()
    with count_queries() as many:
        assert b.get(url).status_code == 200
    assert many.count == few.count


def test_analytics_and_season_pages(district, make_browser):
    tenant = district.tenant
    season = season_in(tenant)
    school = svc.stage_of(season, "school")
    same = school_in(tenant)
    result_in(tenant, stage=school, subject="История", pupil_name="Один Участник", school=same, result="winner")
    result_in(tenant, stage=school, subject="Право", pupil_name="Один Участник", school=same, result="prize")
    db.session.commit()
    data = svc.analytics(tenant.id)
    assert [tuple(r[2:]) for r in data["by_year"]] == [(2, 1, 1, 1)]  # two results, one unique pupil
    assert svc.analytics(tenant.id, 2024)["by_subject"] == [] and len(svc.analytics(tenant.id, 2025)["by_subject"]) == 2
    b = make_browser(district.leader.email)
    page = b.get(f"/{district.slug}/olympiads/analytics?year=2025").get_data(as_text=True)
    assert "<svg" in page and "История" in page
    assert b.get(f"/{district.slug}/olympiads/{season.id}").status_code == 200
    assert b.get(f"/{district.slug}/olympiads/stages/{school.id}").status_code == 200
    assert b.get(f"/{district.slug}/olympiads/").status_code == 200


def test_a_season_is_opened_for_a_school_year_offered_as_2025_2026(district, make_browser):
    season_in(district.tenant, start_year=2024)
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/olympiads/").get_data(as_text=True)  # today: 18.03.2026, school year 2025/2026
    assert '<option value="2025">2025/2026</option>' in page and '<option value="2026">2026/2027</option>' in page
    assert '<option value="2024">' not in page  # its season is open
    assert b.post(f"/{district.slug}/olympiads/new", {"start_year": "2024"}).status_code == 302
    assert "Сезон этого года уже открыт" in b.get(f"/{district.slug}/olympiads/").get_data(as_text=True)
    assert b.post(f"/{district.slug}/olympiads/new", {"start_year": "1999"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Competition.id)).where(Competition.is_vsosh.is_(True))) == 1
    resp = b.post(f"/{district.slug}/olympiads/new", {"start_year": "2025"})
    season = db.session.scalar(db.select(Competition).where(Competition.start_year == 2025))
    assert resp.headers["Location"].endswith(f"/olympiads/{season.id}")
    assert season.title == "Всероссийская олимпиада школьников 2025/2026"
