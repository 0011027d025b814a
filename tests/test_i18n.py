"""The English catalogue covers every UI text marked for translation, its compiled .mo
matches the .po, and /lang switches the district pages between Russian and English.

When this fails after new texts were added: run translations/update.sh, translate the
new entries in translations/en/LC_MESSAGES/messages.po, then run it again to compile."""
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from oms import clock

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2), "N_": None}


def _method_map():
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        return parse(f, filename=str(ROOT / "babel.cfg"))


def _source_msgids() -> dict:
    """(msgid (or (singular, plural)), context) -> first place it occurs."""
    method_map, options_map = _method_map()
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=()):
        found.setdefault((message, context), f"{filename}:{lineno}")
    return found


def _read_po():
    with open(PO, "rb") as f:
        return read_po(f, locale="en")


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return not message.fuzzy and bool(strings) and all(s and s.strip() for s in strings)


def test_every_ui_text_has_an_english_translation():
    catalog = _read_po()
    assert not catalog.fuzzy, "the English catalogue is marked fuzzy as a whole"
    missing = []
    for (msgid, context), where in sorted(_source_msgids().items(), key=lambda kv: kv[1]):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        if not key:
            continue
        message = catalog.get(key, context=context)
        if message is None or not _translated(message):
            shown = f"{key!r}" + (f" (context {context!r})" if context else "")
            missing.append(f"{where}: {shown}" + ("" if message is None else " (empty or fuzzy)"))
    assert not missing, (f"{len(missing)} UI text(s) without an English translation "
                         "(run translations/update.sh and translate them):\n" + "\n".join(missing))


def test_compiled_catalogue_is_in_step_with_the_po():
    catalog = _read_po()
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    with open(MO, "rb") as f:
        committed = read_mo(f)
    expected = {m.id: m.string for m in read_mo(fresh) if m.id}
    actual = {m.id: m.string for m in committed if m.id}
    stale = sorted(str(k) for k in expected.keys() ^ actual.keys())
    changed = sorted(str(k) for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert not stale and not changed, (
        "messages.mo is out of step with messages.po; run translations/update.sh "
        f"(or pybabel compile -d translations). Added/removed: {stale[:20]}; changed: {changed[:20]}")


def test_language_switch_on_district_pages(app, make_browser, district):
    browser = make_browser(district.methodist.email)
    home = f"/{district.slug}/"

    page = browser.get(home).get_data(as_text=True)
    assert '<html lang="ru">' in page and "Главная" in page

    resp = browser.post("/lang", data={"lang": "en", "next": home})
    assert resp.status_code == 302
    page = browser.get(home).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert ">Home</a>" in page and ">Structure</a>" in page, "the district menu is not in English"
    assert "Log out" in page and "Главная" not in page

    resp = browser.post("/lang", data={"lang": "ru", "next": home})
    assert resp.status_code == 302
    page = browser.get(home).get_data(as_text=True)
    assert '<html lang="ru">' in page and ">Главная</a>" in page and "Выйти" in page
    assert ">Home</a>" not in page


def test_district_pages_forms_and_messages_in_english(make_browser, district):
    """A methodist who switched to English reads the pages, form labels, choices, validation errors and flash
    messages in English; the XLSX plan they download stays a Russian document."""
    from factories.plan import direction_in, item_in, plan_in
    from factories.structure import council_in, kind_in
    from oms.extensions import db
    from support import PASSWORD

    t = district.tenant
    council = council_in(t)
    kind_in(t, "association")
    direction = direction_in(t, "Аналитическое")
    item = item_in(t, plan_in(t, 2025), direction, title="Семинар заместителей", months=(10, 11, 12))
    item_in(t, plan_in(t, 2025), direction, title="Педчтения", months=(1,), status="moved", moved_to_month=3)
    item_in(t, plan_in(t, 2024), direction, title="Прошлогодний семинар")
    db.session.commit()
    b = make_browser(district.methodist.email)
    home = f"/{district.slug}/"
    b.post("/lang", data={"lang": "en", "next": home})
    plan_url = f"{home}plans/2025-2026"

    for path in ("", "structure/", "council/", "associations/", "directions/", "plans/2025-2026/", "people/",
                 "schools/", "development/", f"council/{council.id}/"):
        resp = b.get(home + path)
        assert resp.status_code == 200, path
        assert '<html lang="en">' in resp.get_data(as_text=True), path

    plan = b.get(plan_url + "/").get_data(as_text=True)
    assert "October – December" in plan and "октябрь" not in plan  # an item's months
    # «на» is «for» in the plan's title and «to» in a moved item's row (the plan's name is the district's term)
    assert "План работы for 2025/2026 school year" in plan and ">to March<" in plan

    form = b.get(f"{plan_url}/items/{item.id}/edit").get_data(as_text=True)
    for label in ("Function (under the regulations)", "Organiser (council, association)", "Expected result"):
        assert f">{label}</label>" in form, label
    assert "<legend>Months</legend>" in form
    assert ">September</label>" in form and "сентябрь" not in form and "Мероприятие" not in form
    execution = b.get(f"{plan_url}/items/{item.id}/execution").get_data(as_text=True)
    assert ">Completion record</label>" in execution and ">Moved to month</label>" in execution
    assert ">Planned</option>" in execution and "Запланировано" not in execution

    new_association = b.get(home + "associations/new").get_data(as_text=True)
    assert ">Subject or area</label>" in new_association and "— municipal level —" in new_association
    refused = b.post(home + "associations/new", data={"name": "", "kind_id": ""})
    assert refused.status_code == 422
    errors = refused.get_data(as_text=True)
    assert "Choose the kind of association." in errors and "Fill in this field." in errors
    assert "Заполните" not in errors

    meeting = b.get(f"{home}council/{council.id}/meetings/new").get_data(as_text=True)
    assert ">Meeting (minutes) number</label>" in meeting and ">Proceedings (for the minutes)</label>" in meeting

    # Flash messages: a refused copy of last year's plan, a password change, logging out.
    copied = b.post(plan_url + "/copy", follow_redirects=True).get_data(as_text=True)
    assert "already has activities: copying would add duplicates." in copied
    weak = b.post("/account/password", data={"current": PASSWORD, "password": "short1", "confirm": "short1"})
    assert "The password must be at least 8 characters long." in weak.get_data(as_text=True)
    changed = b.post("/account/password", data={"current": PASSWORD, "password": "Sinyaya-reka-za-lesom-7",
                                               "confirm": "Sinyaya-reka-za-lesom-7"}, follow_redirects=True)
    assert "Password changed." in changed.get_data(as_text=True)
    b.refresh_token()
    logged_out = b.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert "You have logged out." in logged_out and '<html lang="en">' in logged_out


def test_the_plan_document_stays_russian_in_the_english_ui(make_browser, district):
    import io

    from openpyxl import load_workbook

    from factories.plan import direction_in, item_in, plan_in
    from oms.extensions import db

    t = district.tenant
    item_in(t, plan_in(t, 2025), direction_in(t, "Аналитическое"), title="Семинар", months=(10, 11, 12))
    db.session.commit()
    b = make_browser(district.methodist.email)
    b.post("/lang", data={"lang": "en", "next": f"/{district.slug}/"})
    resp = b.get(f"/{district.slug}/plans/2025-2026/export.xlsx")
    assert resp.status_code == 200
    cells = [str(c) for ws in load_workbook(io.BytesIO(resp.data)).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "октябрь – декабрь" in cells and not any("October" in c for c in cells)


def test_lazy_texts_outside_a_request_are_russian(app):
    """The demo loader, CLI commands and scripts turn lazy labels into text without a request: no crash, Russian."""
    from oms.models.structure import MEMBER_ROLE_LABELS

    with app.app_context():
        assert str(MEMBER_ROLE_LABELS["chair"]) == "Председатель"


# ---- a district typed in Latin letters: on its English pages, any Cyrillic is the UI's own ------------------

CYRILLIC = re.compile(r"[А-Яа-яЁё]+")
# Russian on purpose: the switch to Russian, and examples of what a Russian district types into a field.
MEANT_RUSSIAN = ('<button name="lang" value="ru" class="linklike">Русский</button>', "Математика; Физика",
                 "Муниципальное бюджетное общеобразовательное учреждение …", "МБОУ СОШ № 1")


def _cyrillic_in(page: str) -> list[str]:
    """Cyrillic words on a page with some context, apart from the texts meant to be Russian."""
    for text in MEANT_RUSSIAN:
        page = page.replace(text, "")
    return [page[max(0, m.start() - 60):m.end() + 20].replace("\n", " ") for m in CYRILLIC.finditer(page)]


@pytest.fixture
def latin_district(district):
    """Everything the district typed is in Latin letters (names, terms, plan, meetings, development)."""
    from factories.core import person_in, school_in
    from factories.development import area_in, attestation_in, course_in, deficit_in, step_in
    from factories.plan import direction_in, form_in, item_in, plan_in
    from factories.structure import agenda_item_in, association_in, council_in, decision_in, kind_in, meeting_in
    from factories.structure import member_in
    from oms.extensions import db
    from oms.models.plan import academic_start_year
    from oms.models.tenant import DEFAULT_TERMS

    t = district.tenant
    t.name, t.region, t.authority = "Northfield", "Test Region", "Education Department"
    t.service_name, t.service_abbr = "Methodological Service", "MS"
    t.terms = {key: f"Our {key}" for key in DEFAULT_TERMS}
    for n, user in enumerate((district.admin, district.methodist, district.leader, district.teacher), start=1):
        user.full_name = f"User Number{n}"
    today = clock.today()
    school = school_in(t, name="Northfield Secondary School 1", short_name="School 1")
    teacher = person_in(t, last_name="Smith", first_name="Anna", middle_name="", position="teacher",
                        subjects="Maths", school_id=school.id, user_id=district.teacher.id, category="first",
                        category_date=date(2022, 1, 20))
    leader = person_in(t, last_name="Brown", first_name="Olga", middle_name="", position="teacher",
                       school_id=school.id, user_id=district.leader.id)
    council = council_in(t, kind=kind_in(t, "council", name="Council kind"), name="District council")
    club = association_in(t, kind=kind_in(t, "association", name="City group"), name="Maths group",
                          subject="Maths")
    member_in(t, body=club, person=leader, role="leader")
    member_in(t, body=club, person=teacher)
    member_in(t, body=council, person=leader, role="chair")
    meeting = meeting_in(t, body=council, number="1", held_on=date(2025, 10, 1), topic="Opening", venue="Hall",
                         is_held=True)
    agenda_item_in(t, meeting=meeting, title="The year ahead", speaker="Brown")
    decision_in(t, meeting=meeting, text="Adopt the plan", responsible_id=teacher.id)
    plan = plan_in(t, academic_start_year(today))
    direction = direction_in(t, "Analysis")
    item_in(t, plan, direction, title="Open lesson", months=(10, 11, 12), people=[teacher],
            form_id=form_in(t, "Seminar").id, audience="teachers")
    item_in(t, plan, direction, title="Group meeting", months=(1,), body_id=club.id, status="done")
    item_in(t, plan, direction, title="Moved seminar", months=(2,), status="moved", moved_to_month=3)
    course_in(t, person=teacher, title="Digital skills", provider="Institute")
    deficit = deficit_in(t, person=teacher, area=area_in(t, name="Assessment"))
    step_in(t, deficit=deficit, title="Read the guidelines")
    attestation_in(t, person=teacher, next_due=today + timedelta(days=40))
    db.session.commit()
    return type("Latin", (), {"district": district, "council": council, "club": club, "meeting": meeting,
                              "teacher": teacher, "school": school, "plan": plan})


def test_a_district_typed_in_latin_shows_no_cyrillic_in_english(make_browser, latin_district):
    """With the district's own data in Latin letters, a Cyrillic word on an English page is a UI text that
    escaped translation (a Russian label dict, an f-string, a default message)."""
    d = latin_district.district
    home = f"/{d.slug}/"
    year = latin_district.plan.year_slug
    council, club, meeting = latin_district.council, latin_district.club, latin_district.meeting
    teacher, school = latin_district.teacher, latin_district.school
    meeting_url = f"council/{council.id}/meetings/{meeting.id}/"
    pages = {
        d.methodist: ["", "structure/", "council/", f"council/{council.id}/", meeting_url, meeting_url + "minutes",
                      "associations/", f"associations/{club.id}/", "associations/new", "directions/",
                      f"plans/{year}/", f"plans/{year}/analysis", f"plans/{year}/items/new", "people/",
                      f"people/{teacher.id}", f"people/{teacher.id}/edit", "schools/", f"schools/{school.id}",
                      f"schools/{school.id}/edit", "development/", "development/people/",
                      f"development/people/{teacher.id}/", "development/attestation/", "development/deficits/",
                      "me/"],
        d.admin: ["", "structure/", "structure/new", "users/"],
        d.leader: ["", "my/", f"my/associations/{club.id}/", "me/"],
        d.teacher: ["", "me/", f"plans/{year}/"],
    }
    found = {}
    for user, paths in pages.items():
        b = make_browser(user.email)
        b.post("/lang", data={"lang": "en", "next": home})
        for path in paths:
            resp = b.get(home + path)
            assert resp.status_code == 200, (user.role, path)
            page = resp.get_data(as_text=True)
            assert '<html lang="en">' in page, path
            if words := _cyrillic_in(page):
                found[f"{user.role} {path}"] = words[:5]
    assert not found, "Russian on English pages:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


def test_computed_texts_on_english_pages(make_browser, latin_district):
    """Texts the Python side builds: the dashboard's statuses and months, a teacher's reasons on «Моё», role
    names, the dates of the minutes."""
    from babel.dates import format_date

    d = latin_district.district
    home = f"/{d.slug}/"
    council, meeting = latin_district.council, latin_district.meeting
    b = make_browser(d.methodist.email)
    b.post("/lang", data={"lang": "en", "next": home})
    board = b.get(home).get_data(as_text=True)
    assert "Done: <strong>1</strong>" in board and "Moved: <strong>1</strong>" in board
    month = format_date(clock.today(), "LLLL", locale="en")[:3]
    assert f'text-anchor="middle">{month}</text>' in board, "the attestation columns' month is not in English"
    minutes = b.get(f"{home}council/{council.id}/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "1 October 2025" in minutes and "<strong>Chair:</strong>" in minutes
    # the user menu names the user's role, also on a page that lists the members' roles
    body_page = b.get(f"{home}council/{council.id}/").get_data(as_text=True)
    assert f"{d.methodist.email}<br>Methodologist</div>" in body_page and ">Chair</span>" in body_page

    teacher = make_browser(d.teacher.email)
    teacher.post("/lang", data={"lang": "en", "next": home})
    mine = teacher.get(home + "me/").get_data(as_text=True)
    assert "you are responsible" in mine and "held by your association: Maths group" in mine
    assert ">Member</span>" in mine  # the role in the association


def test_messages_built_in_python_in_english(make_browser, district):
    """Flash messages and errors made in the views and services, not in templates."""
    from factories.structure import kind_in
    from oms.extensions import db

    kind = kind_in(district.tenant, "service", name="Service kind")
    db.session.commit()
    home = f"/{district.slug}/"
    b = make_browser(district.admin.email)
    b.post("/lang", data={"lang": "en", "next": home})

    added = b.post(home + "structure/new", data={"kind_id": kind.id, "name": "Main office"}, follow_redirects=True)
    assert "Element “Main office” added to the structure." in added.get_data(as_text=True)

    # body kinds in the structure settings
    kinds = home + "structure/kinds/"
    fresh = b.post(kinds + "new", data={"name": "Mentors' school", "category": "group", "level": "municipal"},
                   follow_redirects=True)
    assert "Kind “Mentors' school” added." in fresh.get_data(as_text=True).replace("&#39;", "'")
    twin = b.post(kinds + "new", data={"name": "mentors' school", "category": "group", "level": "municipal"})
    assert twin.status_code == 422 and "A kind with this name already exists." in twin.get_data(as_text=True)

    # an import refused by oms/xlsx.py, before anything is read
    upload = {"file": (io.BytesIO(b"%PDF-1.4 not a table"), "plan.pdf")}
    refused = b.post(home + "plans/2025-2026/import", data=upload, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Only .xlsx and .csv files are supported." in refused.get_data(as_text=True)
    broken = {"file": (io.BytesIO(b"PK\x03\x04 broken"), "plan.xlsx")}
    refused = b.post(home + "plans/2025-2026/import", data=broken, content_type="multipart/form-data")
    assert "The file is not an Excel workbook (.xlsx) or is damaged." in refused.get_data(as_text=True)

    stale = b.post(home + "structure/new", data={"kind_id": kind.id, "name": "X", "csrf_token": "stale"})
    assert stale.status_code == 400
    assert "The form has expired or was not sent from this site." in stale.get_data(as_text=True)
