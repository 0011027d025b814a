"""The English catalogue covers every UI text marked for translation, its compiled .mo
matches the .po, and /lang switches the district pages between Russian and English.

When this fails after new texts were added: run translations/update.sh, translate the
new entries in translations/en/LC_MESSAGES/messages.po, then run it again to compile."""
import io
from pathlib import Path

from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _method_map():
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        return parse(f, filename=str(ROOT / "babel.cfg"))


def _source_msgids() -> dict:
    """msgid (or (singular, plural)) -> first place it occurs."""
    method_map, options_map = _method_map()
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=()):
        found.setdefault(message, f"{filename}:{lineno}")
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
    for msgid, where in sorted(_source_msgids().items(), key=lambda kv: kv[1]):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        if not key:
            continue
        message = catalog.get(key)
        if message is None or not _translated(message):
            missing.append(f"{where}: {key!r}" + ("" if message is None else " (empty or fuzzy)"))
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
