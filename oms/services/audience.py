"""Whom a plan item's «Участники» text addresses, read the way a teacher would.

The audience of a plan item is free text («учителя математики и русского
языка», «заместители директоров по УВР», «педагоги района»). A teacher's page
lists an item as theirs when that text names, word for word up to the
ending, one of:

* a subject the teacher teaches («Математика» → «учителя математики»);
* the teacher's position, unless it is the generic «учитель» / «педагог»
  («педагог-психолог» → «педагоги-психологи», «заместитель директора по
  УВР» → «заместители директоров»);
* the teacher's school (its short or full name);
* young specialists, when the teacher is one;
* association leaders, when the teacher leads one;
* all teachers of the district («педагоги района», «педагоги
  общеобразовательных организаций», «учителя-предметники»).

Items the teacher is responsible for, and items organised by an association
or council the teacher belongs to, are theirs whatever the text says (the
caller checks those). Each match carries a short reason shown next to the
item, so the rule is visible to the user.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..text import fold

# Reasons that address the whole district rather than the person: listed after the personal ones.
GENERAL_REASONS = (_l("для всех педагогов"), _l("для учителей-предметников"))
_WORD = re.compile(r"[0-9a-zа-я]+")
GENERIC_POSITIONS = {"учитель", "педагог", "преподаватель"}
SHORT_WORDS = {"по", "и", "в", "на", "с", "для", "о", "об", "к", "из", "от"}
# «педагоги района», «педагогические работники», «учителя-предметники» …
EVERYONE_WHO = ("педагог", "учител", "работник", "сообществ")
EVERYONE_WHERE = ("район", "все", "всех", "общеобразовательн", "округ", "город")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A crude Russian stem: the word without its last three letters, at least four kept."""
    return word if len(word) <= 4 else word[:max(4, len(word) - 3)]


def _names(phrase: str, audience_words: list[str]) -> bool:
    """Every significant word of the phrase occurs (up to its ending) among the audience's words."""
    stems = [stem(w) for w in words(phrase) if w not in SHORT_WORDS and len(w) > 1]
    return bool(stems) and all(any(a.startswith(s) for a in audience_words) for s in stems)


def _has(audience_words, prefixes) -> bool:
    return any(a.startswith(p) for a in audience_words for p in prefixes)


class Profile:
    """What an audience text can name about one person."""

    def __init__(self, subjects=(), position: str = "", school_names=(), young: bool = False,
                 leads: bool = False):
        self.subjects = [s for s in subjects if s.strip()]
        position_words = words(position)
        self.position = "" if not position_words or set(position_words) <= GENERIC_POSITIONS else position
        self.teaches = bool(set(position_words) & GENERIC_POSITIONS) or bool(self.subjects)
        self.school_names = [n for n in school_names if n and n.strip()]
        self.young = young
        self.leads = leads

    @classmethod
    def of(cls, person, leads: bool = False) -> "Profile":
        school = person.school if person.school_id else None
        names = (school.short_name, school.name) if school is not None else ()
        return cls(person.subject_list, person.position or "", names, person.is_young_specialist, leads)

    def reasons(self, audience: str) -> list[str]:
        """Why the audience text addresses this person (empty when it does not), in the user's language."""
        aw = words(audience)
        if not aw:
            return []
        found = []
        for subject in self.subjects:
            if _names(subject, aw):
                found.append(_("ваш предмет: %(subject)s", subject=subject.lower()))
        if self.position and _names(self.position, aw):
            found.append(_("ваша должность"))
        folded = fold(audience)
        if any(re.search(rf"(?<!\w){re.escape(fold(name))}(?!\w)", folded) for name in self.school_names):
            found.append(_("ваша организация"))
        if self.young and _has(aw, ("молод",)):
            found.append(_("для молодых педагогов"))
        if self.leads and _has(aw, ("руководител",)) and _has(aw, ("объединен", "шмо", "ммо", "групп")):
            found.append(_("для руководителей объединений"))
        if not found and _has(aw, EVERYONE_WHO) and _has(aw, EVERYONE_WHERE):
            found.append(str(GENERAL_REASONS[0]))
        if not found and self.teaches and _has(aw, ("предметник",)):
            found.append(str(GENERAL_REASONS[1]))
        return found
