"""Every body can work: a school's council and the resource centre get members, meetings, attendance,
decisions and minutes through the council's own screens."""
import pytest

from factories.core import person_in, school_in
from factories.structure import association_in, kind_in
from oms.extensions import db
from oms.models import Meeting


@pytest.mark.parametrize("category, level", [("school_council", "school"), ("resource_centre", "municipal")])
def test_a_school_council_and_the_resource_centre_work_like_the_council(make_browser, district, category, level):
    t = district.tenant
    school = school_in(t, short_name="СШ № 2")
    body = association_in(t, kind=kind_in(t, category, level=level), name="Педагогический совет СШ № 2",
                          school_id=school.id if level == "school" else None)
    person = person_in(t, last_name="Председателева", school_id=school.id)
    db.session.commit()
    b = make_browser(district.methodist.email)
    base = f"/{district.slug}/bodies/{body.id}"
    assert "Педагогический совет СШ № 2" in b.get(f"/{district.slug}/bodies/").get_data(as_text=True)
    assert b.get(base + "/").status_code == 200
    assert b.post(base + "/members", {"person_id": person.id, "role": "chair"}, htmx=True).status_code == 200
    resp = b.post(base + "/meetings/new", {"number": "1", "held_on": "2025-09-05", "topic": "План", "is_held": "y"})
    assert resp.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.body_id == body.id))
    assert b.post(f"{base}/meetings/{meeting.id}/attendance", {"present": [person.id]}, htmx=True).status_code == 200
    minutes = b.get(f"{base}/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "ПРОТОКОЛ" in minutes and "Председателева" in minutes
    # teachers read, do not edit; an association's id is not a body of this section
    t_b = make_browser(district.teacher.email)
    assert t_b.get(base + "/").status_code == 200
    assert t_b.post(base + "/meetings/new", {"number": "2", "held_on": "2025-10-05"}).status_code == 403
    other = association_in(t)
    db.session.commit()
    assert b.get(f"/{district.slug}/bodies/{other.id}/").status_code == 404
