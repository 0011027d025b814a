"""Contest and olympiad stages and consultation days in the calendar and the feeds: dated, with their venue,
linking to their page, only the district's own; the calendar's query count does not grow with them."""
from datetime import date, datetime

import icalendar
import pytest

from factories.consultations import consultation_slot_in
from factories.contests import competition_in, stage_in
from factories.core import person_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Stage, User
from oms.services import contests as svc


@pytest.fixture
def setup(app, district, make_tenant):
    t = district.tenant
    comp = competition_in(t, title="Педагогический дебют")
    main = db.session.scalar(db.select(Stage).where(Stage.competition_id == comp.id))
    main.date_from, main.date_to, main.venue = date(2025, 11, 10), date(2025, 11, 12), "Гимназия № 1, актовый зал"
    second = svc.add_stage(comp)  # a later stage nobody named
    second.date_from = date(2025, 11, 26)
    stage = stage_in(t, kind="municipal")
    stage.date_from, stage.venue = date(2025, 11, 24), "ЦРО, ул. Ленина, 5"
    consultant = person_in(t, last_name="Смирнова", first_name="Ольга")
    for hour in (14, 15):
        slot = consultation_slot_in(t, consultant=consultant, starts_at=datetime(2025, 11, 19, hour, 0))
        slot.place = "каб. 12"
    other = make_tenant()
    foreign = competition_in(other, title="Чужой конкурс")
    db.session.scalar(db.select(Stage).where(Stage.competition_id == foreign.id)).date_from = date(2025, 11, 11)
    db.session.commit()
    with pinned(app, date(2025, 11, 5)):
        yield type("S", (), {"comp": comp, "main": main, "second": second, "stage": stage,
                             "consultant": consultant})


def test_stages_and_consultation_days_are_in_the_month_with_links(make_browser, district, setup):
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/calendar/?month=2025-11&view=list").get_data(as_text=True)
    assert "Педагогический дебют: Основной этап" in page and "Гимназия № 1, актовый зал" in page
    # each stage, named or not, links to its own page (its name derived from its kind or place)
    assert f"/{district.slug}/contests/stages/{setup.main.id}" in page
    assert "Педагогический дебют: Этап 2" in page and f"/{district.slug}/contests/stages/{setup.second.id}" in page
    assert f'href="/{district.slug}/contests/{setup.comp.id}"' not in page
    assert "Муниципальный этап: олимпиада 2025/2026" in page and f"/olympiads/stages/{setup.stage.id}" in page
    assert "Консультационный день: Смирнова Ольга" in page and "каб. 12" in page
    assert f"/{district.slug}/consultations/" in page
    assert "Чужой конкурс" not in page
    only = b.get(f"/{district.slug}/calendar/?month=2025-11&kind=consultation_day&view=list").get_data(as_text=True)
    assert "Консультационный день" in only and "Педагогический дебют" not in only


def test_the_private_feed_has_them_and_the_public_one_not(make_browser, client, district, setup):
    b = make_browser(district.teacher.email)
    b.post(f"/{district.slug}/calendar/feed")
    token = db.session.get(User, district.teacher.id).calendar_token
    found = {str(c.get("summary")): c for c in icalendar.Calendar.from_ical(
        b.client.get(f"/ical/{token}.ics").data).walk("VEVENT")}
    debut = found["Педагогический дебют: Основной этап"]
    assert str(debut.get("location")) == "Гимназия № 1, актовый зал"
    day = found["Консультационный день: Смирнова Ольга Петровна"]
    assert day.decoded("dtstart").hour == 14 and day.decoded("dtend").hour == 15 and day.decoded("dtend").minute == 30
    assert not any("Чужой" in s for s in found)
    public = client.get(f"/ical/district/{district.slug}.ics").get_data(as_text=True)
    assert "Педагогический дебют" not in public and "Консультационный день" not in public


def test_the_calendar_query_count_does_not_grow_with_stages_and_slots(make_browser, district, setup,
                                                                      count_queries):
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/calendar/?month=2025-11"
    b.get(url)
    with count_queries() as few:
        assert b.get(url).status_code == 200
    for n in range(15):
        comp = competition_in(district.tenant, title=f"Конкурс {n}")
        db.session.scalar(db.select(Stage).where(Stage.competition_id == comp.id)).date_from = date(2025, 11, 1 + n)
        consultation_slot_in(district.tenant, starts_at=datetime(2025, 11, 1 + n, 10, 0))
    db.session.commit()
    with count_queries() as many:
        assert b.get(url).status_code == 200
    assert many.count == few.count, many.statements
