"""Demo schools and people: the district's schools from its demo file, 48 teachers spread over
them, the authority's specialists, and the demo accounts linked to their person records."""
import random
from datetime import date

from ..extensions import db
from ..models import Person, School, User
from ..services.demo_data import female_surname, load_demo_data
from . import DEMO_START_YEAR

TEACHERS = 48
POSITIONS = ["учитель", "учитель", "учитель", "учитель", "заместитель директора по УВР",
             "заместитель директора по ВР", "педагог-психолог", "учитель-логопед", "педагог дополнительного образования"]
CATEGORIES = ["", "szd", "first", "first", "highest", "highest"]
# What a designated site works on, unless the district's demo file names it (site_topics).
SITE_TOPICS = {"base": "Формирование функциональной грамотности обучающихся",
               "internship": "Наставничество и сопровождение молодых педагогов",
               "innovation": "Цифровая образовательная среда школы"}


def run(tenant, preset) -> None:
    data = load_demo_data(tenant.slug)
    if not data:
        return
    existing = db.session.scalar(db.select(db.func.count(Person.id)).where(Person.tenant_id == tenant.id))
    if existing:
        return  # people are there: loading twice adds nothing
    schools = _schools(tenant, data)
    rnd = random.Random(f"oms-demo-{tenant.slug}")
    used = set()
    people = []
    for i in range(TEACHERS):
        person = _person(tenant, data, rnd, used)
        person.school_id = schools[i % len(schools)].id
        person.position = POSITIONS[i % len(POSITIONS)]
        subjects = rnd.sample(data["subjects"], k=1 + (i % 3 == 0))
        person.subjects = "; ".join(subjects)
        person.experience_years = 1 + (i * 7) % 35 if i % 8 else i % 3
        if person.position.startswith("заместитель директора"):
            person.experience_years += 10  # a deputy head is an experienced teacher
        person.is_young_specialist = person.experience_years < 3
        person.category = plausible_category(CATEGORIES[i % len(CATEGORIES)], person.experience_years)
        if person.category:
            # attested after two years at work at the earliest, and within the last five years
            year = min(max(2020 + i % 5, DEMO_START_YEAR - person.experience_years + 2), DEMO_START_YEAR)
            person.category_date = date(year, 1 + i % 12, 1 + i % 27)
        person.education = "высшее педагогическое" if i % 5 else "среднее профессиональное"
        db.session.add(person)
        people.append(person)
    # The authority's (or centre's) specialists: no school.
    for title in (preset.get("profile", {}).get("head_title") or "Руководитель службы", "Методист", "Методист"):
        person = _person(tenant, data, rnd, used)
        person.position = position_of(title)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    _link_accounts(tenant, people)


def plausible_category(category: str, experience: int) -> str:
    """A plausible category for the years at work: none for a young specialist, the highest only after
    the first (five years and more)."""
    if experience < 3:
        return ""
    if experience < 5 and category == "highest":
        return "first"
    return category


def position_of(title: str) -> str:
    """A job title as a list of people writes it: «методист», «начальник ОМС» (like «учитель»)."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def _schools(tenant, data) -> list[School]:
    schools = []
    for row in data.get("schools", []):
        sites = set(row.get("sites", []))
        school = School(tenant_id=tenant.id, name=row["name"], short_name=row.get("short_name", ""),
                        kind=row.get("type", "school"), address=row.get("address", ""), head=row.get("head", ""),
                        is_base_site="base" in sites, is_internship_site="internship" in sites,
                        is_innovation_site="innovation" in sites, low_results=bool(row.get("low_results")))
        topics = row.get("site_topics", {})
        for flag in sites:
            setattr(school, f"{flag}_site_year", 2024)
            setattr(school, f"{flag}_site_topic", topics.get(flag, SITE_TOPICS.get(flag, "")))
        if school.low_results:
            school.low_results_year = 2024
        db.session.add(school)
        schools.append(school)
    db.session.flush()
    return [s for s in schools if s.kind == "school"] or schools


def _person(tenant, data, rnd, used) -> Person:
    while True:
        female = rnd.random() < 0.75  # most teachers are women
        surname = rnd.choice(data["surnames_male"])
        if female:
            extra = data.get("surnames_female_extra", [])
            surname = rnd.choice(extra) if extra and rnd.random() < 0.1 else female_surname(surname)
            first, middle = rnd.choice(data["female_first"]), rnd.choice(data["female_patronymic"])
        else:
            first, middle = rnd.choice(data["male_first"]), rnd.choice(data["male_patronymic"])
        if (surname, first, middle) not in used:
            used.add((surname, first, middle))
            return Person(tenant_id=tenant.id, last_name=surname, first_name=first, middle_name=middle)


def _link_accounts(tenant, people) -> None:
    """Demo accounts follow person records: specialists for admin and methodist, teachers for the rest."""
    users = {u.email.split("@")[0]: u for u in db.session.scalars(
        db.select(User).where(User.tenant_id == tenant.id))}
    specialists = [p for p in people if p.school_id is None]
    teachers = [p for p in people if p.school_id is not None and p.position == "учитель"]
    pairs = [("admin", specialists[0]), ("methodist", specialists[1]), ("leader", teachers[0]),
             ("teacher", teachers[1])]
    for prefix, person in pairs:
        user = users.get(prefix)
        if user is not None:
            person.user_id = user.id
            user.full_name = person.full_name
