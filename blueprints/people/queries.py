"""The people list: its filters, sorting and the choices its filter menus offer."""
import functools
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_
from sqlalchemy.orm import contains_eager, load_only

from oms.current import current_tenant_id
from oms.extensions import db
from oms.models import Person, School
from oms.models.base import search_filter
from oms.models.people import CATEGORY_LABELS
from oms.requests import DB_INT_MAX
from oms.text import whole_number

SORTS = {"name": _l("по ФИО"), "school": _l("по организации"), "experience": _l("по стажу"),
         "category": _l("по категории")}
CATEGORY_FILTERS = {"highest": _l("Высшая"), "first": _l("Первая"), "szd": _l("СЗД"), "none": _l("Без категории")}
YOUNG_FILTERS = {"1": _l("Молодые специалисты"), "0": _l("Кроме молодых специалистов")}
NO_SCHOOL = "none"


@dataclass
class PeopleFilter:
    q: str = ""
    school: str = ""
    subject: str = ""
    position: str = ""
    category: str = ""
    young: str = ""
    sort: str = "name"

    @classmethod
    def from_args(cls, args) -> "PeopleFilter":
        f = cls(**{name: (args.get(name) or "").strip()[:200] for name in
                   ("q", "school", "subject", "position", "category", "young", "sort")})
        if f.sort not in SORTS:
            f.sort = "name"
        if f.category not in CATEGORY_FILTERS:
            f.category = ""
        if f.young not in YOUNG_FILTERS:
            f.young = ""
        school = whole_number(f.school)
        if f.school != NO_SCHOOL and (school is None or school > DB_INT_MAX):
            f.school = ""  # not an id a database integer holds
        f.q = f.q[:100]
        return f

    @property
    def active(self) -> bool:
        return any((self.q, self.school, self.subject, self.position, self.category, self.young))

    def args(self, **override) -> dict:
        out = {k: v for k, v in vars(self).items() if v and not (k == "sort" and v == "name")}
        out.update({k: v for k, v in override.items() if v is not None})
        return out


def subject_condition(subject: str):
    """Subjects are stored as «Математика; Физика»: match one whole item."""
    col = Person.subjects
    return or_(col == subject, col.startswith(subject + ";", autoescape=True),
               col.endswith("; " + subject, autoescape=True), col.contains("; " + subject + ";", autoescape=True))


def people_query(f: PeopleFilter):
    school_label = func.coalesce(func.nullif(School.short_name, ""), School.name)
    stmt = (Person.scoped().outerjoin(School, Person.school_id == School.id)
            .options(contains_eager(Person.school)))
    if f.q:
        stmt = stmt.where(*search_filter(Person, f.q))
    if f.school == NO_SCHOOL:
        stmt = stmt.where(Person.school_id.is_(None))
    elif f.school:
        stmt = stmt.where(Person.school_id == int(f.school))
    if f.subject:
        stmt = stmt.where(subject_condition(f.subject))
    if f.position:
        stmt = stmt.where(Person.position == f.position)
    if f.category:
        stmt = stmt.where(Person.category == ("" if f.category == "none" else f.category))
    if f.young:
        stmt = stmt.where(Person.is_young_specialist.is_(f.young == "1"))
    rank = case({code: i for i, code in enumerate(("highest", "first", "szd"))}, value=Person.category, else_=3)
    order = {
        "name": [Person.name_key],
        "school": [school_label.is_(None), school_label, Person.name_key],
        "experience": [Person.experience_years.is_(None), Person.experience_years.desc(), Person.name_key],
        "category": [rank, Person.name_key],
    }[f.sort]
    return stmt.order_by(*order, Person.id)


LIST_COLUMNS = (Person.id, Person.last_name, Person.first_name, Person.middle_name, Person.school_id,
                Person.position, Person.subjects, Person.category, Person.experience_years,
                Person.is_young_specialist)


def list_options():
    """Only the columns the list shows (people/_table.html), of the person and of the school."""
    return (load_only(*LIST_COLUMNS), contains_eager(Person.school).load_only(School.id, School.name,
                                                                               School.short_name))


@functools.cache
def _choice_statements():
    """The filter menus' selects, built once (their parameter: tenant_id)."""
    return (School.scoped_by_param().order_by(School.name).options(load_only(School.id, School.name,
                                                                               School.short_name)),
            Person.scoped_by_param().with_only_columns(Person.position).where(Person.position != "").distinct()
            .order_by(Person.position),
            Person.scoped_by_param().with_only_columns(Person.subjects).where(Person.subjects != "").distinct())


def filter_choices() -> dict:
    """What the filter menus offer: three queries whatever the number of people."""
    params = {"tenant_id": current_tenant_id()}
    schools, positions, subject_strings = (db.session.scalars(stmt, params).all() for stmt in _choice_statements())
    subjects = sorted({s.strip() for text in subject_strings for s in text.split(";") if s.strip()},
                      key=lambda s: s.casefold())
    return {"schools": schools, "positions": positions, "subjects": subjects, "sorts": SORTS,
            "categories": CATEGORY_FILTERS, "young": YOUNG_FILTERS, "category_labels": CATEGORY_LABELS}
