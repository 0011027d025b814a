"""Demo structure: each district's associations with leaders and members, its council with a chair,
a secretary and members, two meetings with agenda, attendance and decisions, and — for a distributed
service — the specialists who perform its functions.

Everything is decided from the district's data (its preset, demo file and people), never from its
name. Each part is skipped when it is already there, so loading twice adds nothing.
"""
import random
from datetime import date, timedelta

from ..extensions import db
from ..models import (AgendaItem, Attendance, Body, BodyKind, BodyMember, Decision, Function, FunctionAssignee,
                      Meeting, Person, School, User)
from ..models.structure import ASSOCIATION_CATEGORIES
from ..services.demo_data import female_surname, load_demo_data
from ..text import fold
from . import DEMO_DAY
from .s10_people import plausible_category, position_of

MIN_MEMBERS = 6  # a leader and five members
COUNCIL_SIZE = 12


def run(tenant, preset) -> None:
    data = load_demo_data(tenant.slug)
    if not data:
        return
    ctx = _Context(tenant, data, preset)
    if not ctx.people:
        return
    _associations(ctx)
    _council(ctx)
    if tenant.model_kind == "distributed":
        _assign_functions(ctx)
    db.session.flush()


class _Context:
    def __init__(self, tenant, data, preset):
        self.tenant = tenant
        self.data = data
        self.preset = preset
        self.rnd = random.Random(f"oms-demo-structure-{tenant.slug}")
        self.people = self._rows(Person, Person.id)
        self.schools = self._rows(School, School.id)
        self.kinds = {k.code: k for k in self._rows(BodyKind, BodyKind.position)}
        self.bodies = self._rows(Body, Body.position)
        leader_user = db.session.scalar(db.select(User).where(User.email == f"leader@{tenant.slug}.demo.oms"))
        self.leader_person = next((p for p in self.people if leader_user and p.user_id == leader_user.id), None)
        teacher_user = db.session.scalar(db.select(User).where(User.email == f"teacher@{tenant.slug}.demo.oms"))
        # The demo teacher stays a plain member: a teacher account does not lead (see the workspace feature).
        self.teacher_person = next((p for p in self.people if teacher_user and p.user_id == teacher_user.id), None)
        self.leading: set[int] = set()  # one association per leader where the district has enough people
        self.used_names = {(p.last_name, p.first_name, p.middle_name) for p in self.people}

    def _rows(self, model, order):
        return list(db.session.scalars(db.select(model).where(model.tenant_id == self.tenant.id).order_by(order, model.id)))

    @property
    def specialists(self):
        return [p for p in self.people if p.school_id is None]

    @property
    def teachers(self):
        return [p for p in self.people if p.school_id is not None]

    def head(self):
        title = self.tenant.head_title or self.preset.get("profile", {}).get("head_title")
        return next((p for p in self.specialists if p.position == position_of(title or "")), None) \
            or self.specialists[0]

    def service_root(self):
        return next((b for b in self.bodies if b.kind.category == "service" and b.parent_id is None), None)

    def new_person(self, school=None, position="учитель", subjects="") -> Person:
        data = self.data
        while True:
            female = self.rnd.random() < 0.75
            surname = self.rnd.choice(data["surnames_male"])
            if female:
                surname = female_surname(surname)
                first, middle = self.rnd.choice(data["female_first"]), self.rnd.choice(data["female_patronymic"])
            else:
                first, middle = self.rnd.choice(data["male_first"]), self.rnd.choice(data["male_patronymic"])
            if (surname, first, middle) not in self.used_names:
                break
        self.used_names.add((surname, first, middle))
        experience = 3 + self.rnd.randrange(25)
        category = self.rnd.choice(["first", "highest"])
        person = Person(tenant_id=self.tenant.id, last_name=surname, first_name=first, middle_name=middle,
                        school_id=school.id if school else None, position=position, subjects=subjects,
                        experience_years=experience, category=plausible_category(category, experience))
        db.session.add(person)
        self.people.append(person)
        return person


# ---- associations ------------------------------------------------------------------------------

def _associations(ctx: _Context) -> None:
    """The demo file's associations are added; every association without members gets a leader and members."""
    created = []
    for row in ctx.data.get("associations", []):
        kind = ctx.kinds.get(row["kind"])
        if kind is None:
            continue
        school = next((s for s in ctx.schools if row.get("school") and row["school"] in (s.short_name, s.name)), None)
        if kind.level == "school" and school is None:
            continue
        if any(b.name == row["name"] and b.kind_id == kind.id for b in ctx.bodies):
            continue
        body = Body(tenant_id=ctx.tenant.id, kind=kind, name=row["name"], subject=row.get("subject", ""),
                    school_id=school.id if school else None, position=len(ctx.bodies) + 1)
        parent = _school_council(ctx, school) if school is not None else None
        body.parent = parent or ctx.service_root()
        db.session.add(body)
        ctx.bodies.append(body)
        created.append(body)
    db.session.flush()

    associations = [b for b in ctx.bodies if b.kind.category in ASSOCIATION_CATEGORIES]
    staffed = set(db.session.scalars(db.select(BodyMember.body_id).where(BodyMember.tenant_id == ctx.tenant.id)))
    led_by_demo_leader = _demo_leader_association(ctx, associations, staffed)
    for body in associations:
        if body.id in staffed:
            continue
        leader = ctx.leader_person if body is led_by_demo_leader else None
        _staff(ctx, body, leader)
    db.session.flush()
    for body in created[:3]:
        _association_meeting(ctx, body)


def _school_council(ctx, school):
    """The school's own council (ШМС, педсовет…) if the district has that kind of body; made when missing."""
    kind = next((k for k in ctx.kinds.values() if k.category == "school_council" and k.level == "school"), None)
    if kind is None:
        return None
    found = next((b for b in ctx.bodies if b.kind_id == kind.id and b.school_id == school.id), None)
    if found is None:
        short = kind.name.split("(")[-1].rstrip(")") if "(" in kind.name else kind.name
        found = Body(tenant_id=ctx.tenant.id, kind=kind, name=f"{short} {school.short_name or school.name}",
                     school_id=school.id, parent=ctx.service_root(), position=len(ctx.bodies) + 1)
        db.session.add(found)
        ctx.bodies.append(found)
    return found


def _demo_leader_association(ctx, associations, staffed):
    """The one association the demo leader account leads: a municipal one, or one of their own school."""
    person = ctx.leader_person
    if person is None:
        return None
    already = db.session.scalar(db.select(BodyMember.body_id).where(
        BodyMember.person_id == person.id, BodyMember.role.in_(("leader", "chair"))))
    if already:
        return None
    for body in associations:
        if body.id in staffed:
            continue
        if body.kind.level != "school" or body.school_id == person.school_id:
            return body
    return None


def _subject_match(person, subject: str) -> bool:
    wanted = fold(subject)
    return any(fold(s)[:5] and fold(s)[:5] in wanted for s in person.subject_list)


def _staff(ctx, body, leader) -> None:
    if body.kind.level == "school":
        pool = [p for p in ctx.teachers if p.school_id == body.school_id]
        school = next(s for s in ctx.schools if s.id == body.school_id)
        while len(pool) < MIN_MEMBERS + 1:
            subjects = "; ".join(ctx.rnd.sample(ctx.data["subjects"], k=1))
            pool.append(ctx.new_person(school, "учитель", subjects))
        db.session.flush()
    else:
        teachers = list(ctx.teachers)
        ctx.rnd.shuffle(teachers)
        pool = sorted(teachers, key=lambda p: not _subject_match(p, body.subject))
    if ctx.leader_person is not None and leader is None:
        pool = [p for p in pool if p.id != ctx.leader_person.id]
    if leader is None:
        leader = next((p for p in pool if p.id not in ctx.leading and p is not ctx.teacher_person), pool[0])
    ctx.leading.add(leader.id)
    chosen = [leader] + [p for p in pool if p.id != leader.id][:MIN_MEMBERS - 1]
    for i, person in enumerate(chosen):
        role = "leader" if i == 0 else ("secretary" if i == len(chosen) - 1 else "member")
        db.session.add(BodyMember(tenant_id=ctx.tenant.id, body_id=body.id, person_id=person.id, role=role))


def _association_meeting(ctx, body) -> None:
    if db.session.scalar(db.select(Meeting.id).where(Meeting.body_id == body.id)):
        return
    members = list(db.session.scalars(db.select(BodyMember).where(BodyMember.body_id == body.id)))
    leader = next(m for m in members if m.role == "leader")
    meeting = Meeting(tenant_id=ctx.tenant.id, body_id=body.id, number="1", held_on=date(2025, 9, 12),
                      topic="Планирование работы на 2025/2026 учебный год", venue="", is_held=True,
                      minutes="Обсудили план работы объединения и темы открытых уроков.")
    db.session.add(meeting)
    db.session.flush()
    for position, title in enumerate(("Утверждение плана работы объединения на 2025/2026 учебный год",
                                      "Распределение открытых уроков и мастер-классов"), start=1):
        db.session.add(AgendaItem(tenant_id=ctx.tenant.id, meeting_id=meeting.id, position=position, title=title,
                                  speaker=_person_of(ctx, leader).short_name))
    for i, m in enumerate(members):
        db.session.add(Attendance(tenant_id=ctx.tenant.id, meeting_id=meeting.id, person_id=m.person_id,
                                  present=i != len(members) - 1))
    db.session.add(Decision(tenant_id=ctx.tenant.id, meeting_id=meeting.id,
                            text="Утвердить план работы объединения на 2025/2026 учебный год.",
                            responsible_id=leader.person_id, due_date=date(2025, 9, 20), status="done",
                            status_note="План утверждён и размещён на сайте."))
    db.session.add(Decision(tenant_id=ctx.tenant.id, meeting_id=meeting.id,
                            text="Провести открытые уроки по графику и обсудить их на следующем заседании.",
                            responsible_id=members[1].person_id, due_date=DEMO_DAY + timedelta(days=14),
                            status="open"))


def _person_of(ctx, member) -> Person:
    return next(p for p in ctx.people if p.id == member.person_id)


# ---- council -----------------------------------------------------------------------------------

def _council(ctx: _Context) -> None:
    council = next((b for b in ctx.bodies if b.kind.category == "council"), None)
    if council is None:
        return
    has_members = db.session.scalar(db.select(BodyMember.id).where(BodyMember.body_id == council.id))
    if not has_members:
        _council_members(ctx, council)
        db.session.flush()
    if not db.session.scalar(db.select(Meeting.id).where(Meeting.body_id == council.id)):
        _council_meetings(ctx, council)


def _council_members(ctx, council) -> None:
    head = ctx.head()
    specialists = [p for p in ctx.specialists if p.id != head.id]
    secretary = specialists[0] if specialists else None
    schools = {s.id: s for s in ctx.schools}
    leaders = list(db.session.scalars(
        db.select(Person).join(BodyMember, BodyMember.person_id == Person.id)
        .where(BodyMember.tenant_id == ctx.tenant.id, BodyMember.role == "leader").order_by(Person.id)))
    deputies = [p for p in ctx.teachers if (p.position or "").startswith("заместитель директора")]
    chosen, seen = [], set()

    def add(person, role, title):
        if person is None or person.id in seen or len(chosen) >= COUNCIL_SIZE:
            return
        seen.add(person.id)
        chosen.append((person, role, title))

    add(head, "chair", ctx.tenant.head_title or head.position)
    add(secretary, "secretary", secretary.position if secretary else "")
    for p in specialists[1:]:
        add(p, "member", p.position)
    for p in deputies[:4]:
        add(p, "member", p.position)
    bodies = {b.id: b for b in ctx.bodies}
    led = dict(db.session.execute(db.select(BodyMember.person_id, BodyMember.body_id).where(
        BodyMember.tenant_id == ctx.tenant.id, BodyMember.role == "leader")).all())
    for p in leaders:
        add(p, "member", f"Руководитель: {bodies[led[p.id]].name}" if p.id in led else p.position)
    for p in ctx.teachers:
        add(p, "member", f"Представитель {schools[p.school_id].label}")
    for person, role, title in chosen:
        title = (title or "")[:1].upper() + (title or "")[1:200]  # a role in the council: «Методист», «Заместитель…»
        db.session.add(BodyMember(tenant_id=ctx.tenant.id, body_id=council.id, person_id=person.id, role=role,
                                  role_title=title))
    council.order_number = "112-од"
    council.order_date = date(2025, 8, 25)


MEETINGS = [
    {
        "number": "1", "held_on": date(2025, 8, 28),
        "topic": "Итоги методической работы за 2024/2025 учебный год и задачи на 2025/2026 учебный год",
        "agenda": ["Анализ методической работы за 2024/2025 учебный год",
                   "Рассмотрение проекта плана работы на 2025/2026 учебный год",
                   "Планы работы методических объединений и групп"],
        "decisions": [
            ("Признать методическую работу за 2024/2025 учебный год удовлетворительной.", 0,
             date(2025, 9, 1), "done", "Анализ размещён на сайте."),
            ("Рекомендовать план работы на 2025/2026 учебный год к утверждению приказом.", 1,
             date(2025, 9, 5), "done", "План утверждён."),
            ("Руководителям объединений представить планы работы на 2025/2026 учебный год.", 2,
             date(2025, 9, 20), "done", "Планы представлены всеми объединениями."),
        ],
    },
    {
        "number": "2", "held_on": date(2025, 11, 20),
        "topic": "Олимпиадное движение и выявление профессиональных дефицитов педагогов",
        "agenda": ["О проведении муниципального этапа всероссийской олимпиады школьников",
                   "О диагностике профессиональных дефицитов педагогических работников",
                   "О пополнении банка педагогического опыта"],
        "decisions": [
            ("Провести муниципальный этап всероссийской олимпиады школьников по утверждённому графику.", 0,
             date(2025, 12, 20), "done", "Проведён, итоги подведены."),
            ("Провести диагностику профессиональных дефицитов педагогов и представить аналитическую справку.", 1,
             date(2026, 1, 30), "open", ""),
            ("Обобщить опыт победителей муниципальных конкурсов для банка педагогического опыта.", 2,
             None, "open", ""),
        ],
    },
]


def _council_meetings(ctx, council) -> None:
    members = list(db.session.scalars(db.select(BodyMember).where(BodyMember.body_id == council.id)
                                      .order_by(BodyMember.id)))
    if not members:
        return
    people = {p.id: p for p in ctx.people}
    venue = f"{ctx.tenant.authority}, актовый зал" if ctx.tenant.authority else "Актовый зал"
    for n, spec in enumerate(MEETINGS):
        meeting = Meeting(tenant_id=ctx.tenant.id, body_id=council.id, number=spec["number"],
                          held_on=spec["held_on"], topic=spec["topic"], venue=venue[:300], is_held=True,
                          minutes="\n".join(f"{i}. По вопросу «{title}» выступил(а) {people[members[min(i - 1, len(members) - 1)].person_id].short_name.rstrip('.')}."
                                            for i, title in enumerate(spec["agenda"], start=1)))
        db.session.add(meeting)
        db.session.flush()
        for i, title in enumerate(spec["agenda"], start=1):
            speaker = people[members[min(i - 1, len(members) - 1)].person_id]
            db.session.add(AgendaItem(tenant_id=ctx.tenant.id, meeting_id=meeting.id, position=i, title=title,
                                      speaker=speaker.short_name))
        absent = members[-1 - n].person_id
        for m in members:
            db.session.add(Attendance(tenant_id=ctx.tenant.id, meeting_id=meeting.id, person_id=m.person_id,
                                      present=m.person_id != absent))
        for text, who, due, status, note in spec["decisions"]:
            if due is None:
                due = DEMO_DAY + timedelta(days=46)
            db.session.add(Decision(tenant_id=ctx.tenant.id, meeting_id=meeting.id, text=text,
                                    responsible_id=members[min(who, len(members) - 1)].person_id, due_date=due,
                                    status=status, status_note=note))


# ---- distributed service: who performs each function -----------------------------------------

def _assign_functions(ctx: _Context) -> None:
    if db.session.scalar(db.select(FunctionAssignee.id).where(FunctionAssignee.tenant_id == ctx.tenant.id)):
        return
    functions = ctx._rows(Function, Function.position)
    if len(functions) < 3:
        return
    positions = [row["name"] for row in (ctx.tenant.catalogues or {}).get("positions", [])]
    staff_title = positions[-1] if positions else "Специалист"
    while len(ctx.specialists) < 6:
        ctx.new_person(None, position_of(staff_title))
    db.session.flush()
    specialists = ctx.specialists
    for i, function in enumerate(functions[:-2]):  # the last two stay unassigned: the page flags them
        first = specialists[i % len(specialists)]
        db.session.add(FunctionAssignee(tenant_id=ctx.tenant.id, function_id=function.id, person_id=first.id))
        if i % 4 == 0:
            second = specialists[(i + 1) % len(specialists)]
            db.session.add(FunctionAssignee(tenant_id=ctx.tenant.id, function_id=function.id, person_id=second.id))
