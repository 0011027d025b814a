"""Plan items carry their evidence: a meeting held marks its item done; attendance sets the count;
an override keeps its note; a moved or cancelled activity offers to move or cancel the item."""
from datetime import date

import pytest

from factories.core import person_in
from factories.plan import item_in, plan_in
from factories.structure import council_in, meeting_in, member_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import PlanItem
from oms.models.evidence import PlanItemLink


@pytest.fixture
def setup(app, district):
    council = council_in(district.tenant, name="Методический совет")
    plan = plan_in(district.tenant)
    item = item_in(district.tenant, plan=plan, title="Заседание методического совета № 2", months=(11,),
                   body_id=council.id)
    members = [member_in(district.tenant, body=council, person=person_in(district.tenant)) for _ in range(3)]
    db.session.commit()
    with pinned(app, date(2025, 12, 10)):
        yield type("S", (), {"council": council, "plan": plan, "item": item, "members": members})


def _item(item_id) -> PlanItem:
    db.session.expire_all()
    return db.session.get(PlanItem, item_id)


def test_a_meeting_created_from_its_item_marks_it_done_when_held(make_browser, district, setup):
    b = make_browser(district.methodist.email)
    base = f"/{district.slug}/council/{setup.council.id}"
    page = b.get(f"{base}/meetings/new?plan_item={setup.item.id}").get_data(as_text=True)
    assert "Заседание методического совета № 2" in page and 'name="plan_item"' in page
    resp = b.post(f"{base}/meetings/new", {"number": "2", "held_on": "2025-11-20", "topic": "О плане",
                                           "plan_item": setup.item.id})
    assert resp.status_code == 302
    item = _item(setup.item.id)
    assert item.status == "planned"  # linked, not yet held
    link = db.session.scalar(db.select(PlanItemLink).where(PlanItemLink.item_id == item.id))
    meeting_url = f"{base}/meetings/{link.object_id}"

    # attendance first: the count waits for the meeting to be held
    present = [m.person_id for m in setup.members[:2]]
    assert b.post(meeting_url + "/attendance", {"present": present}, htmx=True).status_code == 200
    assert _item(item.id).status == "planned"

    from oms.models import Meeting
    meeting = db.session.get(Meeting, link.object_id)
    resp = b.post(meeting_url + "/edit", {"number": "2", "held_on": "2025-11-21", "topic": "О плане",
                                          "is_held": "y", "minutes": "Слушали…", "version": meeting.version})
    assert resp.status_code == 302
    item = _item(item.id)
    assert (item.status, item.actual_date, item.participants_count, item.evidence_mode) == (
        "done", date(2025, 11, 21), 2, "evidence")

    # one more present: the count follows
    present.append(setup.members[2].person_id)
    b.post(meeting_url + "/attendance", {"present": present}, htmx=True)
    assert _item(item.id).participants_count == 3
    plan_page = b.get(f"/{district.slug}/plans/2025-2026/").get_data(as_text=True)
    assert "по факту" in plan_page
    evidence_page = b.get(f"/{district.slug}/evidence/items/{item.id}/").get_data(as_text=True)
    assert "заседание № 2 от 21.11.2025" in evidence_page and "участников: 3" in evidence_page


def test_link_from_the_item_side_and_unlink(make_browser, district, setup):
    meeting = meeting_in(district.tenant, body=setup.council, number="5", held_on=date(2025, 11, 5),
                         is_held=True)
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/evidence/items/{setup.item.id}/").get_data(as_text=True)
    assert "заседание № 5 от 05.11.2025" not in page  # found by typing: the organising body's, of the item's year
    assert f'hx-get="/{district.slug}/pick/meeting?years=2025&amp;body={setup.council.id}"' in page
    found = b.get(f"/{district.slug}/pick/meeting", query_string={"pick_q": "05.11.2025", "years": "2025",
                                                                 "body": setup.council.id},
                  headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "заседание № 5 от 05.11.2025" in found and f'data-id="{meeting.id}"' in found
    resp = b.post(f"/{district.slug}/evidence/items/{setup.item.id}/link", {"kind": "meeting",
                                                                             "object_id": meeting.id})
    assert resp.status_code == 303
    item = _item(setup.item.id)
    assert (item.status, item.actual_date, item.participants_count) == ("done", date(2025, 11, 5), None)
    link = db.session.scalar(db.select(PlanItemLink).where(PlanItemLink.item_id == item.id))
    assert b.post(f"/{district.slug}/evidence/links/{link.id}/delete").status_code == 303
    item = _item(setup.item.id)
    assert (item.status, item.evidence_mode) == ("planned", "")
    # the teacher reads but may not link
    t = make_browser(district.teacher.email)
    assert t.get(f"/{district.slug}/evidence/items/{item.id}/").status_code == 200
    assert t.post(f"/{district.slug}/evidence/items/{item.id}/link", {"kind": "meeting",
                                                                      "object_id": meeting.id}).status_code == 403


def test_an_override_needs_a_note_and_keeps_it(make_browser, district, setup):
    meeting = meeting_in(district.tenant, body=setup.council, held_on=date(2025, 11, 5), is_held=True)
    db.session.add(PlanItemLink(tenant_id=district.tenant.id, item_id=setup.item.id, kind="meeting",
                                object_id=meeting.id))
    db.session.commit()
    b = make_browser(district.methodist.email)
    url = f"/{district.slug}/plans/2025-2026/items/{setup.item.id}/execution"
    item = _item(setup.item.id)
    data = {"status": "done", "actual_date": "2025-11-06", "participants_count": "40", "version": item.version}
    resp = b.post(url, data)
    assert resp.status_code == 422 and "укажите причину" in resp.get_data(as_text=True)
    assert _item(item.id).participants_count is None  # nothing saved
    resp = b.post(url, dict(data, override_note="Пришли гости из соседнего округа, не отмечены"))
    assert resp.status_code == 302
    item = _item(item.id)
    assert (item.participants_count, item.evidence_mode) == (40, "override")
    assert item.override_note == "Пришли гости из соседнего округа, не отмечены"
    page = b.get(f"/{district.slug}/plans/2025-2026/").get_data(as_text=True)
    assert "исправлено вручную" in page and "Пришли гости из соседнего округа" in page
    # the evidence changing does not overwrite the override; returning to the evidence does
    meeting_url = f"/{district.slug}/council/{setup.council.id}/meetings/{meeting.id}"
    b.post(meeting_url + "/attendance", {"present": [setup.members[0].person_id]}, htmx=True)
    assert _item(item.id).participants_count == 40
    assert b.post(f"/{district.slug}/evidence/items/{item.id}/restore").status_code == 303
    item = _item(item.id)
    assert (item.status, item.actual_date, item.participants_count, item.evidence_mode) == (
        "done", date(2025, 11, 5), 1, "evidence")


def test_a_moved_meeting_offers_to_move_the_item(make_browser, district, setup):
    meeting = meeting_in(district.tenant, body=setup.council, held_on=date(2026, 1, 15))
    db.session.add(PlanItemLink(tenant_id=district.tenant.id, item_id=setup.item.id, kind="meeting",
                                object_id=meeting.id))
    db.session.commit()
    b = make_browser(district.methodist.email)
    page = b.get(f"/{district.slug}/evidence/meeting/{meeting.id}/", headers={"HX-Request": "true"})
    assert "перенести пункт плана на январь" in page.get_data(as_text=True)
    resp = b.post(f"/{district.slug}/evidence/items/{setup.item.id}/follow", {"action": "move", "month": 1})
    assert resp.status_code == 303
    item = _item(setup.item.id)
    assert (item.status, item.moved_to_month) == ("moved", 1)


def test_a_decision_becomes_a_plan_item_and_follows_it(make_browser, district, setup):
    from factories.plan import direction_in
    from factories.structure import decision_in
    from oms.models import Decision

    direction = direction_in(district.tenant, "Организационно-методическое")
    meeting = meeting_in(district.tenant, body=setup.council, number="3", held_on=date(2025, 11, 20), is_held=True)
    decision = decision_in(district.tenant, meeting=meeting, text="Провести семинар по наставничеству",
                           responsible_id=setup.members[0].person_id, status="open")
    db.session.commit()
    b = make_browser(district.methodist.email)
    base = f"/{district.slug}/council/{setup.council.id}/meetings/{meeting.id}"
    assert "Сделать пунктом плана" in b.get(base + "/").get_data(as_text=True)
    resp = b.post(base + f"/decisions/{decision.id}/to-plan", {"year": 2026, "direction_id": direction.id,
                                                               "month": 10})
    assert resp.status_code == 302
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    item = db.session.get(PlanItem, decision.plan_item_id)
    from oms.models import Plan
    assert item.title == "Провести семинар по наставничеству"
    assert db.session.get(Plan, item.plan_id).start_year == 2026
    from oms.models import PlanItemResponsible
    assert db.session.scalars(db.select(PlanItemResponsible.person_id).where(
        PlanItemResponsible.item_id == item.id)).all() == [setup.members[0].person_id]
    # a second time: refused, nothing added
    b.post(base + f"/decisions/{decision.id}/to-plan", {"year": 2026, "direction_id": direction.id, "month": 10})
    assert db.session.scalar(db.select(db.func.count(PlanItem.id)).where(PlanItem.plan_id == item.plan_id)) == 1
    # the item is cancelled: the decision is withdrawn with it
    resp = b.post(f"/{district.slug}/plans/2026-2027/items/{item.id}/execution",
                  {"status": "cancelled", "cancel_reason": "Перенесено в план ММО", "version": item.version})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Decision, decision.id).status == "cancelled"
