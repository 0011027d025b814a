"""The activity's side of a link chooses its plan item with the one picker: no list of the plan on the page,
nothing chosen until the user chooses, and only this district's items of this and next year."""
from datetime import date

import pytest

from factories.plan import item_in, plan_in
from factories.structure import council_in, meeting_in
from oms.clock import pinned
from oms.extensions import db
from oms.models.evidence import PlanItemLink


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
