"""Query-string values a list page cannot use (a number too big for a database integer, a date at the
edge of the calendar) are ignored or refused with a message, never a server error."""
import pytest

from factories.core import person_in, school_in
from oms.extensions import db

BIG = "99999999999999999999"  # more than a database integer holds


@pytest.mark.parametrize("path", [
    f"people/?school={BIG}", f"people/?page={BIG}", f"people/export.xlsx?school={BIG}", f"schools/?page={BIG}",
    f"users/?page={BIG}", f"users/from-person/?page={BIG}", f"audit/?page={BIG}",
    f"development/people/?school={BIG}", f"development/people/?page={BIG}",
    f"development/people/export.xlsx?school={BIG}", f"development/courses/?year={BIG}",
    f"development/courses/?school={BIG}", f"development/deficits/?area={BIG}",
    f"development/mentoring/?school={BIG}", f"development/attestation/?school={BIG}",
    f"development/mentoring/new?mentee_id={BIG}",
])
def test_a_number_too_big_for_the_database_is_ignored(make_browser, district, path):
    school = school_in(district.tenant)
    person_in(district.tenant, school_id=school.id)
    db.session.commit()
    b = make_browser(district.admin.email)
    assert b.get(f"/{district.slug}/{path}").status_code == 200


@pytest.mark.parametrize("query", ["since=0001-01-01", "until=9999-12-31", "since=0001-01-01&until=0001-01-01"])
def test_audit_dates_at_the_edge_of_the_calendar_are_not_a_server_error(make_browser, district, query):
    b = make_browser(district.admin.email)
    assert b.get(f"/{district.slug}/audit/?{query}").status_code == 200
