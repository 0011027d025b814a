"""Text helpers shared by models, forms and exports."""
import re

_SPACES = re.compile(r"\s+")


def N_(message: str) -> str:
    """Marks a UI text for the catalogue where it is defined; it is translated where shown (`_(label)`)."""
    return message


def whole_number(text: str | None) -> int | None:
    """The value of a string of ASCII digits («42»), else None. str.isdigit() also says yes to «²» and other
    digits that int() refuses, so a check with it alone let such text through to a 500."""
    return int(text) if isinstance(text, str) and text.isascii() and text.isdigit() else None


def clean(value: str | None) -> str:
    """Trim and collapse inner whitespace of a line typed by a user."""
    return _SPACES.sub(" ", value or "").strip()


def fold(value: str | None) -> str:
    """Key for case-insensitive search and uniqueness of Cyrillic text.

    SQLite's lower() and NOCASE fold ASCII only, so we store this key in its
    own column and compare it the same way on every database. Ё and Е are one
    letter for search and uniqueness, as people type both.
    """
    return clean(value).casefold().replace("ё", "е")


def in_russian(text) -> str:
    """A UI text marked for translation (`_l`), as its Russian original whatever the page's language: for what
    is stored or exported as a Russian document (the audit trail, spreadsheets)."""
    from flask_babel import force_locale

    with force_locale("ru"):
        return str(text)


def shorten(text: str | None, limit: int = 60) -> str:
    """A long text as its first words up to `limit` characters and «…», to name it in a message."""
    text = clean(text)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
