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


@pytest.mark.parametrize("path", ["people/?q=%00", "plans/2025-2026/?q=%00", "associations/?subject=%00&q=%00",
                                  "schools/?q=a%00b", "development/people/?q=%00"])
def test_a_nul_in_a_search_is_dropped(make_browser, district, path):
    from factories.plan import plan_in

    plan_in(district.tenant, 2025)
    db.session.commit()
    assert make_browser(district.admin.email).get(f"/{district.slug}/{path}").status_code == 200


def test_a_nul_in_a_typed_text_is_dropped_before_it_is_saved(make_browser, district):
    """PostgreSQL refuses a NUL in a text: the save was a 500 there."""
    from oms.models import Direction

    b = make_browser(district.admin.email)
    resp = b.post(f"/{district.slug}/directions/new", {"name": "Аналити\x00ческая", "clause": "4.1"}, htmx=True)
    assert resp.status_code == 200
    assert db.session.scalar(db.select(Direction.name).where(Direction.tenant_id == district.tenant.id)
                             .order_by(Direction.id.desc()).limit(1)) == "Аналитическая"


SUPERSCRIPT_TWO = "%C2%B2"  # «²»: str.isdigit() says yes, int() refuses


@pytest.mark.parametrize("path", [f"people/?school={SUPERSCRIPT_TWO}", f"audit/?who={SUPERSCRIPT_TWO}",
                                  f"plans/2025-2026/items/new?direction_id={SUPERSCRIPT_TWO}&body_id=1"])
def test_a_digit_that_is_not_a_number_is_ignored(make_browser, district, path):
    from factories.plan import plan_in

    plan_in(district.tenant, 2025)
    db.session.commit()
    assert make_browser(district.admin.email).get(f"/{district.slug}/{path}").status_code == 200


def test_a_meeting_numbered_with_a_superscript_does_not_break_the_next_new_meeting(make_browser, district):
    from factories.structure import council_in, meeting_in

    council = council_in(district.tenant)
    meeting_in(district.tenant, body=council, number="²")
    meeting_in(district.tenant, body=council, number="4")
    db.session.commit()
    page = make_browser(district.admin.email).get(f"/{district.slug}/council/{council.id}/meetings/new")
    assert page.status_code == 200 and 'value="5"' in page.get_data(as_text=True)


def test_a_garbled_version_is_a_conflict_not_a_server_error(make_browser, district):
    from factories.structure import direction_in

    row = direction_in(district.tenant, name="Аналитическое")
    db.session.commit()
    resp = make_browser(district.admin.email).post(f"/{district.slug}/directions/{row.id}/edit",
                                                   {"name": "Моё", "version": "²"}, htmx=True)
    assert resp.status_code == 409 and "Пока вы редактировали" in resp.get_data(as_text=True)


def test_a_nul_in_an_uploaded_file_name_is_dropped(make_browser, district):
    """The people import stores the file's name (batch, audit trail): PostgreSQL refused the NUL with a 500."""
    import io
    from pathlib import Path

    from oms.models import ImportBatch

    data = (Path(__file__).parent / "data" / "teachers_sample.xlsx").read_bytes()
    resp = make_browser(district.methodist.email).post(
        f"/{district.slug}/people/import/", {"file": (io.BytesIO(data), "педагоги\x00.xlsx")},
        content_type="multipart/form-data")
    assert resp.status_code in (302, 303), resp.status_code
    assert db.session.scalar(db.select(ImportBatch.filename)) == "педагоги.xlsx"
