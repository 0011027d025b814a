"""The calendar: everything dated in the district on one page, filtered; its iCalendar feeds parse with
icalendar, hold only the user's district and what they may see; a revoked token is 404."""
from datetime import date, datetime

import icalendar
import pytest

from factories.core import person_in
from factories.events import event_in
from factories.plan import item_in, plan_in
from factories.structure import council_in, meeting_in, member_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import User


@pytest.fixture
def setup(app, district, make_tenant):
    t = district.tenant
    t.time_zone = "Asia/Chita"
    council = council_in(t, name="Методический совет")
    own = council_in(t, name="ШМО учителей начальных классов")
    member_in(t, body=own, person=person_in(t, user_id=district.teacher.id))
    meeting_in(t, body=council, number="3", held_on=date(2025, 11, 20), topic="Совет о ВсОШ")
    meeting_in(t, body=own, number="1", held_on=date(2025, 11, 21), topic="Своё ШМО")
    event_in(t, title="Открытый семинар", starts_at=datetime(2025, 11, 12, 10), ends_at=datetime(2025, 11, 12, 12),
             is_public=True)
    event_in(t, title="Закрытая стажировка", kind="internship", starts_at=datetime(2025, 11, 14, 9),
             ends_at=datetime(2025, 11, 14, 13))
    event_in(t, title="Отменённый вебинар", kind="webinar", starts_at=datetime(2025, 11, 18, 15), ends_at=datetime(2025, 11, 18, 16),
             status="cancelled", sequence=2, is_public=True)
    item_in(t, plan=plan_in(t), title="Педагогические чтения в плане", months=(11,), date_from=date(2025, 11, 25))
    other = make_tenant()
    event_in(other, title="Чужой семинар", starts_at=datetime(2025, 11, 13, 10), ends_at=datetime(2025, 11, 13, 12),
             is_public=True)
    db.session.commit()
    with pinned(app, date(2025, 11, 5)):
        yield type("S", (), {"council": council, "own": own, "other": other})


def _summaries(data: bytes) -> dict:
    cal = icalendar.Calendar.from_ical(data)
    return {str(c.get("summary")): c for c in cal.walk("VEVENT")}


def test_the_month_shows_everything_dated_and_filters(make_browser, district, setup):
    b = make_browser(district.teacher.email)
    page = b.get(f"/{district.slug}/calendar/?month=2025-11").get_data(as_text=True)
    for title in ("Открытый семинар", "Закрытая стажировка", "Совет о ВсОШ", "Своё ШМО",
                  "Педагогические чтения в плане"):
        assert title in page, title
    assert "Чужой семинар" not in page and ".ics" in page
    only_events = b.get(f"/{district.slug}/calendar/?month=2025-11&kind=event&view=list").get_data(as_text=True)
    assert "Открытый семинар" in only_events and "Совет о ВсОШ" not in only_events
    body = b.get(f"/{district.slug}/calendar/?month=2025-11&body={setup.own.id}").get_data(as_text=True)
    assert "Своё ШМО" in body and "Совет о ВсОШ" not in body


def test_the_private_feed_holds_what_the_user_may_see_and_dies_when_revoked(make_browser, district, setup):
    b = make_browser(district.teacher.email)
    assert b.post(f"/{district.slug}/calendar/feed").status_code == 302
    token = db.session.get(User, district.teacher.id).calendar_token
    assert token
    resp = b.client.get(f"/ical/{token}.ics")
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    found = _summaries(resp.data)
    assert "Семинар: Открытый семинар" in found and "Стажировка: Закрытая стажировка" in found
    assert any("Своё ШМО" in s for s in found)
    assert not any("Совет о ВсОШ" in s for s in found)  # a teacher's feed: the meetings of their own bodies
    assert not any("Чужой" in s for s in found)
    seminar = found["Семинар: Открытый семинар"]
    start = seminar.decoded("dtstart")
    assert start.tzinfo is not None and start.utcoffset().total_seconds() == 9 * 3600
    assert str(seminar.get("uid")).startswith("event-") and str(seminar.get("uid")).endswith(f"@{district.slug}.oms")
    cancelled = found["Вебинар: Отменённый вебинар"]
    assert str(cancelled.get("status")) == "CANCELLED" and int(cancelled.get("sequence")) == 2
    # the methodist's feed has the council and the dated plan items too
    m = make_browser(district.methodist.email)
    m.post(f"/{district.slug}/calendar/feed")
    m_token = db.session.get(User, district.methodist.id).calendar_token
    m_found = _summaries(m.client.get(f"/ical/{m_token}.ics").data)
    assert any("Совет о ВсОШ" in s for s in m_found) and "Педагогические чтения в плане" in m_found

    assert b.post(f"/{district.slug}/calendar/feed/revoke").status_code == 302
    assert b.client.get(f"/ical/{token}.ics").status_code == 404
    assert b.client.get("/ical/not-a-token-at-all-xxxxxxxx.ics").status_code == 404


def test_the_district_feed_has_only_its_public_events(client, district, setup):
    resp = client.get(f"/ical/district/{district.slug}.ics")
    assert resp.status_code == 200
    found = _summaries(resp.data)
    assert set(found) == {"Семинар: Открытый семинар", "Вебинар: Отменённый вебинар"}
    assert client.get("/ical/district/no-such-district.ics").status_code == 404


def test_the_calendar_query_count_does_not_grow_with_events(make_browser, district, setup, count_queries):
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/calendar/?month=2025-11"
    b.get(url)
    with count_queries() as few:
        assert b.get(url).status_code == 200
    for n in range(30):
        event_in(district.tenant, title=f"Семинар {n}", starts_at=datetime(2025, 11, 1 + n % 28, 10),
                 ends_at=datetime(2025, 11, 1 + n % 28, 11), venue_school_id=None)
        meeting_in(district.tenant, body=setup.council, held_on=date(2025, 11, 1 + n % 28))
    db.session.commit()
    with count_queries() as many:
        assert b.get(url).status_code == 200
    assert many.count == few.count, many.statements
