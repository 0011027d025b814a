"""Demo plans: per district a 2025/2026 plan (a draft being carried out: partly done, some items moved
or cancelled) and an approved, fully executed 2024/2025 plan, drawn from the district's own directions,
functions, forms of work and bodies.

Runs after the structure step; if the district has no directions, functions or forms yet, the
preset's are created here (found by name first, so nothing is duplicated).
"""
import random
from datetime import date, timedelta

from ..extensions import db
from ..models import (Body, BodyKind, BodyMember, Direction, Function, Person, Plan, PlanItem, PlanItemResponsible,
                      School, User, WorkForm)
from ..models.base import utcnow
from ..models.plan import ACADEMIC_MONTHS, PlanStatusChange, mask_of, year_of_month
from ..services.demo_data import load_demo_data
from ..services.plans import dates_mask
from ..text import fold

CURRENT, PREVIOUS = 2025, 2024
TAG_STEMS = {"analytic": "аналит", "information": "информац", "organisation": "организац", "methodical": "методич",
             "consulting": "консульт", "expert": "эксперт", "projecting": "проект", "education": "образоват"}


def run(tenant, preset) -> None:
    catalogue = load_demo_data("plan_items")
    if not catalogue:
        return
    _ensure_configuration(tenant, preset)
    if not db.session.scalar(db.select(Direction.id).where(Direction.tenant_id == tenant.id).limit(1)):
        return  # a district without directions has no plan to show
    context = _Context(tenant, catalogue)
    for start_year in (PREVIOUS, CURRENT):
        exists = db.session.scalar(db.select(Plan.id).where(Plan.tenant_id == tenant.id,
                                                            Plan.start_year == start_year))
        if exists is None:
            _build_plan(context, start_year)
            db.session.flush()


# ---- the district's configuration, if the structure step has not made it ----------------

def _ensure_configuration(tenant, preset) -> None:
    directions = {fold(d.name): d for d in db.session.scalars(
        db.select(Direction).where(Direction.tenant_id == tenant.id))}
    created = False
    for i, row in enumerate(preset.get("directions", []), start=1):
        if fold(row["name"]) not in directions:
            direction = Direction(tenant_id=tenant.id, name=row["name"], clause=row.get("clause", ""), position=i)
            db.session.add(direction)
            directions[fold(row["name"])] = direction
            created = True
    db.session.flush()
    forms = {fold(f.name) for f in db.session.scalars(db.select(WorkForm).where(WorkForm.tenant_id == tenant.id))}
    for i, row in enumerate(preset.get("forms", []), start=1):
        if fold(row["name"]) not in forms:
            db.session.add(WorkForm(tenant_id=tenant.id, name=row["name"], position=i))
            forms.add(fold(row["name"]))
    kinds = _ensure_bodies(tenant, preset)
    has_functions = db.session.scalar(db.select(Function.id).where(Function.tenant_id == tenant.id).limit(1))
    if created or not has_functions:
        known = {(f.direction_id, fold(f.text)) for f in db.session.scalars(
            db.select(Function).where(Function.tenant_id == tenant.id))}
        for i, row in enumerate(preset.get("functions", []), start=1):
            direction = directions.get(fold(row["direction"]))
            if direction is None or (direction.id, fold(row["text"])) in known:
                continue
            kind = kinds.get(row.get("body_kind", ""))
            db.session.add(Function(tenant_id=tenant.id, direction_id=direction.id, text=row["text"],
                                    clause=row.get("clause", ""), position=i, body_kind_id=kind.id if kind else None))
    db.session.flush()


def _ensure_bodies(tenant, preset) -> dict:
    """Body kinds by code; the preset's bodies only for a district that has none at all."""
    kinds = {k.code: k for k in db.session.scalars(db.select(BodyKind).where(BodyKind.tenant_id == tenant.id))}
    if db.session.scalar(db.select(Body.id).where(Body.tenant_id == tenant.id).limit(1)):
        return kinds
    for i, row in enumerate(preset.get("body_kinds", []), start=1):
        if row["code"] not in kinds:
            kinds[row["code"]] = BodyKind(tenant_id=tenant.id, code=row["code"], name=row["name"],
                                          category=row["category"], level=row.get("level", "municipal"),
                                          clause=row.get("clause", ""), position=i)
            db.session.add(kinds[row["code"]])
    db.session.flush()
    for i, row in enumerate(preset.get("bodies", []), start=1):
        kind = kinds.get(row["kind"])
        if kind is not None:  # the hierarchy is the structure's business; the plan needs the bodies only
            db.session.add(Body(tenant_id=tenant.id, kind_id=kind.id, name=row["name"], subject=row.get("subject", ""),
                                clause=row.get("clause", ""), position=i))
    db.session.flush()
    return kinds


# ---- building a plan ----------------------------------------------------------------------

class _Context:
    """The district's rows a plan is drawn from, loaded once."""

    def __init__(self, tenant, catalogue):
        self.tenant = tenant
        self.catalogue = catalogue
        self.directions = list(db.session.scalars(db.select(Direction).where(Direction.tenant_id == tenant.id)
                                                  .order_by(Direction.position, Direction.id)))
        self.functions = list(db.session.scalars(db.select(Function).where(Function.tenant_id == tenant.id)
                                                 .order_by(Function.position, Function.id)))
        self.forms = list(db.session.scalars(db.select(WorkForm).where(WorkForm.tenant_id == tenant.id)
                                             .order_by(WorkForm.position, WorkForm.id)))
        people = list(db.session.scalars(db.select(Person).where(Person.tenant_id == tenant.id)
                                         .order_by(Person.id)))
        self.specialists = [p for p in people if p.school_id is None] or people[:3]
        self.teachers = [p for p in people if p.school_id is not None]
        teacher_user = db.session.scalar(db.select(User.id).where(User.tenant_id == tenant.id,
                                                                  User.email.like("teacher@%")))
        self.demo_teacher = next((p for p in people if teacher_user and p.user_id == teacher_user), None)
        bodies = list(db.session.scalars(db.select(Body).where(Body.tenant_id == tenant.id)
                                         .order_by(Body.position, Body.id)))
        leaders = db.session.execute(db.select(BodyMember.body_id, BodyMember.person_id)
                                     .where(BodyMember.tenant_id == tenant.id,
                                            BodyMember.role.in_(("leader", "chair")))).all()
        self.leaders = {body_id: person_id for body_id, person_id in leaders}
        self.council = next((b for b in bodies if b.kind.category == "council"), None)
        # The association the demo leader account leads comes first, so its items are theirs to edit.
        with_account = {p.id for p in people if p.user_id}
        associations = [b for b in bodies if b.kind.category in ("association", "group")]
        associations.sort(key=lambda b: self.leaders.get(b.id) not in with_account)
        self.associations = associations[:6]
        self.schools = list(db.session.scalars(db.select(School).where(School.tenant_id == tenant.id)
                                               .order_by(School.id)))
        self.admin = db.session.scalar(db.select(User).where(User.tenant_id == tenant.id,
                                                             User.email.like("admin@%")))

    def directions_for(self, tags) -> list[Direction]:
        for tag in tags:
            stem = TAG_STEMS.get(tag, tag)
            found = [d for d in self.directions if stem in fold(d.name)]
            if found:
                return found
        return []

    def form(self, stems):
        for stem in stems:
            exact = next((f for f in self.forms if fold(f.name) == stem), None)
            if exact is not None:
                return exact
            for form in self.forms:
                if stem in fold(form.name):
                    return form
        return None

    def function(self, direction: Direction, keys):
        best, hits = None, 0
        for function in self.functions:
            if function.direction_id != direction.id:
                continue
            text = fold(function.text)
            score = sum(1 for key in keys if key in text)
            if score > hits:
                best, hits = function, score
        return best


def _fill_text(text: str, start_year: int, body=None) -> str:
    return text.format(y1=start_year, y2=start_year + 1, y2plus=start_year + 2,
                       next=f"{start_year + 1}/{start_year + 2}", body=body.name if body else "")


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _drafts(ctx: _Context, start_year: int, rnd: random.Random) -> list[dict]:
    """Items as dicts, before execution: the catalogue placed in the district's directions."""
    load: dict[int, int] = {d.id: 0 for d in ctx.directions}
    drafts = []
    specialists = ctx.specialists
    for n, row in enumerate(ctx.catalogue["items"]):
        candidates = ctx.directions_for(row["tags"]) or ctx.directions
        direction = min(candidates, key=lambda d: (load[d.id], d.position))
        load[direction.id] += 1
        people = [specialists[n % len(specialists)]]
        if row.get("teacher") and ctx.demo_teacher is not None:
            people.append(ctx.demo_teacher)
        elif n % 4 == 0 and len(specialists) > 1:
            people.append(specialists[(n + 1) % len(specialists)])
        venue = None
        if row.get("venue") == "base":
            venue = next((s for s in ctx.schools if s.is_base_site), None)
        drafts.append({"direction": direction, "title": _fill_text(row["title"], start_year),
                       "form": ctx.form(row.get("form", [])), "function": ctx.function(direction, row.get("keys", [])),
                       "months": row["months"], "day": row.get("day"), "audience": row.get("audience", ""),
                       "result": _fill_text(row.get("result", ""), start_year), "people": people,
                       "note": "руководители ШМО" if n % 7 == 3 else "", "body": None, "venue": venue})
    for body, spec in ([(ctx.council, ctx.catalogue["council"])] if ctx.council else []) + \
            [(b, ctx.catalogue["association"]) for b in ctx.associations]:
        candidates = ctx.directions_for(spec["tags"]) or ctx.directions
        direction = candidates[0]
        leader = ctx.leaders.get(body.id)
        people = [p for p in ctx.teachers + ctx.specialists if p.id == leader] or \
            [rnd.choice(ctx.teachers or ctx.specialists)]
        if body is ctx.council:
            people = [specialists[0]]
        for meeting in spec["meetings"]:
            drafts.append({"direction": direction, "title": _fill_text(meeting["title"], start_year, body),
                           "form": ctx.form(spec["form"]), "function": None, "months": [meeting["month"]],
                           "day": meeting.get("day"), "audience": spec["audience"],
                           "result": _fill_text(meeting.get("result", ""), start_year), "people": people,
                           "note": "", "body": body, "venue": None})
    return drafts


def _execute(item: PlanItem, start_year: int, rnd: random.Random, reasons, upto: date | None) -> None:
    """Execution marks: every item of a finished plan, the items before `upto` of a current one."""
    first_month = next(m for m in ACADEMIC_MONTHS if item.months & mask_of([m]))
    last_month = [m for m in ACADEMIC_MONTHS if item.months & mask_of([m])][-1]
    due = date(year_of_month(start_year, last_month), last_month, 1)
    if upto is not None and due >= upto:
        return
    roll = rnd.random()
    if roll < 0.08:
        item.status = "cancelled"
        item.cancel_reason = rnd.choice(reasons)
    elif roll < 0.15 and last_month != 8:
        item.status = "moved"
        later = ACADEMIC_MONTHS[min(ACADEMIC_MONTHS.index(last_month) + 1 + rnd.randint(0, 1), 11)]
        item.moved_to_month = later
    else:
        item.status = "done"
        day = item.date_from or _weekday(date(year_of_month(start_year, first_month), first_month,
                                              rnd.randint(5, 25)))
        item.actual_date = day
        item.participants_count = rnd.randint(8, 90)
        item.result_note = rnd.choice(["Материалы размещены на сайте службы.", "Принято решение, протокол оформлен.",
                                       "Справка направлена в школы.", ""])


def _build_plan(ctx: _Context, start_year: int) -> Plan:
    tenant = ctx.tenant
    rnd = random.Random(f"oms-plan-{tenant.slug}-{start_year}")
    finished = start_year == PREVIOUS
    plan = Plan(tenant_id=tenant.id, start_year=start_year, status="draft")
    db.session.add(plan)
    db.session.flush()
    positions: dict[int, int] = {}
    drafts = _drafts(ctx, start_year, rnd)
    drafts.sort(key=lambda d: (d["direction"].position, d["direction"].id, ACADEMIC_MONTHS.index(d["months"][0])))
    reasons = ctx.catalogue["reasons"]["cancelled"]
    for draft in drafts:
        direction = draft["direction"]
        positions[direction.id] = positions.get(direction.id, 0) + 1
        item = PlanItem(tenant_id=tenant.id, plan_id=plan.id, direction_id=direction.id,
                        position=positions[direction.id], title=draft["title"],
                        form_id=draft["form"].id if draft["form"] else None,
                        function_id=draft["function"].id if draft["function"] else None,
                        months=mask_of(draft["months"]), audience=draft["audience"],
                        expected_result=draft["result"], responsible_note=draft["note"],
                        body_id=draft["body"].id if draft["body"] else None,
                        venue_school_id=draft["venue"].id if draft["venue"] else None)
        if draft["day"]:
            month = draft["months"][0]
            item.date_from = date(year_of_month(start_year, month), month, draft["day"])
            item.months |= dates_mask(item.date_from, None)
        item.responsible_links = [PlanItemResponsible(tenant_id=tenant.id, person_id=p.id, position=i)
                                  for i, p in enumerate(dict.fromkeys(draft["people"]))]
        _execute(item, start_year, rnd, reasons, None if finished else date(start_year + 1, 5, 1))
        db.session.add(item)
    if finished:
        plan.status = "approved"
        plan.act_number = "98-од"
        plan.act_date = date(start_year, 8, 30)
        plan.approved_at = utcnow()
        plan.approved_by_id = ctx.admin.id if ctx.admin else None
        db.session.add(PlanStatusChange(tenant_id=tenant.id, plan=plan, action="approve", act_number=plan.act_number,
                                        act_date=plan.act_date, user_id=plan.approved_by_id,
                                        user_name=ctx.admin.full_name if ctx.admin else ""))
    return plan
