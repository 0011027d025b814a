"""The activity's side of a link chooses its plan item with the one picker: no list of the plan on the page,
nothing chosen until the user chooses, and only this district's items of this and next year."""
from datetime import date

import pytest

from factories.plan import item_in, plan_in
from factories.structure import council_in, meeting_in
from oms.clock import pinned
from oms.extensions import db
from oms.models.evidence import PlanItemLink
from support import page_and_queries


@pytest.fixture
def setup(app, district):
    council = council_in(district.tenant, name="Методический совет")
    plan = plan_in(district.tenant, 2025)
    item = item_in(district.tenant, plan=plan, title="Заседание методического совета № 2", months=(11,))
    meeting = meeting_in(district.tenant, body=council, held_on=date(2025, 11, 20))
    db.session.commit()
    with pinned(app, date(2025, 12, 10)):
        yield type("S", (), {"council": council, "plan": plan, "item": item, "meeting": meeting})


def _links(meeting_id):
    db.session.expire_all()
    return db.session.scalars(db.select(PlanItemLink.item_id).where(PlanItemLink.kind == "meeting",
                                                                    PlanItemLink.object_id == meeting_id)).all()


def _panel(b, slug, meeting_id):
    return b.get(f"/{slug}/evidence/meeting/{meeting_id}/", headers={"HX-Request": "true"}).get_data(as_text=True)


def test_the_panel_has_a_picker_and_no_list_of_the_plan(make_browser, district, setup):
    b = make_browser(district.methodist.email)
    panel = _panel(b, district.slug, setup.meeting.id)
    assert "Связать с пунктом плана" in panel and 'role="combobox"' in panel
    assert "<select" not in panel and "Заседание методического совета № 2" not in panel
    assert f"/{district.slug}/pick/plan_item?" in panel and "years=2025,2026" in panel


def test_a_chosen_item_is_linked_and_then_no_longer_offered(make_browser, district, setup):
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/evidence/meeting/{setup.meeting.id}/link"
    resp = b.post(url, {"item_id": setup.item.id})
    assert resp.status_code == 303
    assert _links(setup.meeting.id) == [setup.item.id]
    assert "Связано с пунктом плана «Заседание методического совета № 2»" in b.get(
        resp.headers["Location"]).get_data(as_text=True)
    panel = _panel(b, district.slug, setup.meeting.id)
    assert f"exclude={setup.item.id}" in panel  # the search leaves the linked item out
    resp = b.post(url, {"item_id": setup.item.id})
    assert "Мероприятие уже связано с этим пунктом плана." in b.get(resp.headers["Location"]).get_data(as_text=True)


def test_nothing_chosen_says_so_and_links_nothing(make_browser, district, setup):
    b = make_browser(district.methodist.email)
    resp = b.post(f"/{district.slug}/evidence/meeting/{setup.meeting.id}/link", {})
    assert resp.status_code == 303
    assert "Выберите пункт плана." in b.get(resp.headers["Location"]).get_data(as_text=True)
    assert _links(setup.meeting.id) == []


def test_another_districts_cancelled_or_old_item_is_refused(make_browser, district, setup, make_tenant):
    other = make_tenant()
    foreign = item_in(other, plan=plan_in(other, 2025), title="Чужой пункт")
    cancelled = item_in(district.tenant, plan=setup.plan, title="Отменённый пункт", status="cancelled")
    old = item_in(district.tenant, plan=plan_in(district.tenant, 2023), title="Пункт старого плана")
    db.session.commit()
    b = make_browser(district.methodist.email)
    for item_id in (foreign.id, cancelled.id, old.id, "abc"):
        resp = b.post(f"/{district.slug}/evidence/meeting/{setup.meeting.id}/link", {"item_id": item_id})
        assert resp.status_code == 303
        page = b.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Такого пункта нет среди пунктов плана, которые можно выбрать здесь" in page, item_id
    assert _links(setup.meeting.id) == []


def test_the_panel_costs_the_same_queries_and_size_whatever_the_plan(make_browser, district, setup, count_queries):
    b = make_browser(district.methodist.email)
    _panel(b, district.slug, setup.meeting.id)
    with count_queries() as small:
        small_size = len(_panel(b, district.slug, setup.meeting.id))
    next_plan = plan_in(district.tenant, 2026)
    for n in range(60):
        item_in(district.tenant, plan=setup.plan if n % 2 else next_plan, title=f"Вебинар для педагогов № {n}")
    db.session.commit()
    with count_queries() as large:
        large_size = len(_panel(b, district.slug, setup.meeting.id))
    assert large.count == small.count
    assert large_size == small_size  # not a byte more for 60 more items


def test_the_items_page_finds_events_meetings_and_stages_by_typing_and_stays_bounded(
        make_browser, district, setup, make_tenant, count_queries):
    """The item's side lists no events, meetings or stages (they were capped at 200 each): the pickers find any
    of the item's school year, the chosen one is linked, nothing chosen / another district's / another year's
    is refused in Russian; the page's size and queries do not grow with the district's records."""
    from datetime import datetime

    from factories.events import event_in

    t, slug, item_id = district.tenant, district.slug, setup.item.id
    b = make_browser(district.methodist.email)
    url = f"/{slug}/evidence/items/{item_id}/"

    def page():
        return page_and_queries(b, url, count_queries)

    body, queries = page()
    for kind in ("event", "meeting", "contest_stage"):
        assert f'hx-get="/{slug}/pick/{kind}?years=2025' in body
    early = event_in(t, title="Фестиваль педагогических идей", starts_at=datetime(2025, 9, 2, 10, 0),
                     ends_at=datetime(2025, 9, 2, 12, 0))
    for n in range(30):
        event_in(t, title=f"Вебинар № {n}", starts_at=datetime(2025, 10, 1 + n % 28, 10, 0),
                 ends_at=datetime(2025, 10, 1 + n % 28, 12, 0))
        meeting_in(t, body=setup.council, held_on=date(2025, 10, 1 + n % 28))
    last_year = event_in(t, title="Фестиваль прошлого года", starts_at=datetime(2024, 10, 2, 10, 0),
                         ends_at=datetime(2024, 10, 2, 12, 0))
    other = make_tenant()
    foreign = event_in(other, title="Фестиваль чужого района")
    db.session.commit()
    more, more_queries = page()
    assert more_queries == queries and len(more) < len(body) + 200
    assert "Фестиваль педагогических идей" not in more and "Вебинар № 1" not in more

    found = b.get(f"/{slug}/pick/event", query_string={"pick_q": "фестиваль", "years": "2025"},
                  headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'data-id="{early.id}"' in found and "Фестиваль педагогических идей" in found
    assert "прошлого года" not in found and "чужого района" not in found

    link = f"/{slug}/evidence/items/{item_id}/link"
    refused = b.post(link, {"kind": "event"}, follow_redirects=True).get_data(as_text=True)
    assert "Выберите мероприятие." in refused
    for wrong in (foreign.id, last_year.id):
        refused = b.post(link, {"kind": "event", "object_id": wrong}, follow_redirects=True).get_data(as_text=True)
        assert "Такого мероприятия нет среди тех, что можно выбрать здесь" in refused
    assert db.session.scalar(db.select(PlanItemLink.id)) is None
    assert b.post(link, {"kind": "event", "object_id": early.id}).status_code == 303
    db.session.expire_all()
    assert db.session.scalars(db.select(PlanItemLink.object_id).where(PlanItemLink.kind == "event")).all() == [early.id]
    again = b.post(link, {"kind": "event", "object_id": early.id}, follow_redirects=True).get_data(as_text=True)
    assert "Это уже связано с пунктом плана." in again
