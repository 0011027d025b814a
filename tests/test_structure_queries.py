"""The structure, council and association pages run the same number of SQL queries for a small district and
for one with 300 people and 60 associations."""
from datetime import date, timedelta

from factories.core import school_in
from factories.structure import kind_in
from oms import clock
from oms.extensions import db
from oms.models import Attendance, Body, BodyMember, Decision, Meeting, Person


def _district(tenant, people: int, associations: int):
    schools = [school_in(tenant) for _ in range(max(2, people // 30))]
    service_kind = kind_in(tenant, "service")
    council_kind = kind_in(tenant, "council")
    municipal = kind_in(tenant, "association")
    school_kind = kind_in(tenant, "association", level="school")
    service = Body(tenant_id=tenant.id, kind_id=service_kind.id, name="Служба")
    db.session.add(service)
    db.session.flush()
    council = Body(tenant_id=tenant.id, kind_id=council_kind.id, name="Совет", parent_id=service.id)
    db.session.add(council)
    persons = [Person(tenant_id=tenant.id, last_name=f"Фамилия{i}", first_name="Имя", middle_name="Отчество",
                      school_id=schools[i % len(schools)].id if i % 10 else None) for i in range(people)]
    db.session.add_all(persons)
    db.session.flush()
    bodies = []
    for i in range(associations):
        school_level = i % 3 == 0
        body = Body(tenant_id=tenant.id, kind_id=(school_kind if school_level else municipal).id,
                    name=f"Объединение {i}", parent_id=service.id,
                    school_id=schools[i % len(schools)].id if school_level else None)
        bodies.append(body)
    db.session.add_all(bodies)
    db.session.flush()
    for i, body in enumerate(bodies):
        for j in range(5):
            db.session.add(BodyMember(tenant_id=tenant.id, body_id=body.id, person_id=persons[(i * 5 + j) % people].id,
                                      role="leader" if j == 0 else "member"))
    for j, person in enumerate(persons[: min(people, 30)]):
        db.session.add(BodyMember(tenant_id=tenant.id, body_id=council.id, person_id=person.id,
                                  role="chair" if j == 0 else "member", role_title="Член совета"))
    for n in range(max(1, associations // 10)):
        meeting = Meeting(tenant_id=tenant.id, body_id=council.id, number=str(n + 1), held_on=date(2025, 9, 1 + n))
        db.session.add(meeting)
        db.session.flush()
        for k in range(3):
            db.session.add(Decision(tenant_id=tenant.id, meeting_id=meeting.id, text=f"Решение {k}",
                                    responsible_id=persons[k].id, status="open",
                                    due_date=clock.today() + timedelta(days=k * 10 - 10)))
        for person in persons[:5]:
            db.session.add(Attendance(tenant_id=tenant.id, meeting_id=meeting.id, person_id=person.id))
    db.session.commit()
    return council, bodies[0]


def _queries(count_queries, b, url):
    assert b.get(url).status_code == 200  # warm: the first request of a login refreshes its session row
    with count_queries() as q:
        assert b.get(url).status_code == 200
    return q.count


PAGES = ["/structure/", "/council/", "/council/{council}/meetings/{meeting}/", "/associations/",
         "/associations/{association}/", "/directions/", "/structure/settings"]


def test_pages_run_a_constant_number_of_queries(make_tenant, make_user, make_browser, count_queries):
    counts = {page: [] for page in PAGES}
    for people, associations in ((12, 4), (300, 60)):
        tenant = make_tenant()
        council, association = _district(tenant, people, associations)
        meeting = db.session.scalar(db.select(Meeting).where(Meeting.body_id == council.id))
        b = make_browser(make_user(tenant, role="admin").email)
        for page in PAGES:
            url = f"/{tenant.slug}" + page.format(council=council.id, meeting=meeting.id, association=association.id)
            counts[page].append(_queries(count_queries, b, url))
    for page, (small, large) in counts.items():
        assert small == large, f"{page}: {small} queries for a small district, {large} for a large one"
        assert large < 30, f"{page}: {large} queries"
