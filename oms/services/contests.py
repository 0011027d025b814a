"""Contests and olympiads: the rules in one place.

- who may submit a school's entries (`may_submit_for`): the district's organisers (admin, methodist) for any
  school; a school coordinator (a ContestCoordinator row, set by a methodist: typically the deputy head) only for
  the school of their own person record. Nobody else submits.
- recusal (`recused`): a juror never scores an entry of their own school (nor a team with a member from there); `score_entry` checks it, the
  assignment, the criterion's maximum and the lock.
- totals and ranking (`stage_table`): per criterion the mean of the jurors' points, the total weighted by the
  criteria's weights, places with ties (1, 1, 3) — a constant number of queries.
- ВсОШ: the municipal list (`next_stage_list`) = school-stage results at or above the threshold plus last
  year's winners and prize-winners; appeals (`decide_appeal`) keep the old and new score.
- `stage_held(stage)` tells whether a stage is held (for the plan's evidence registry).
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..models import (Appeal, Assignment, Competition, ContestCoordinator, Criterion, Entry, Juror, Nomination,
                      Person, School, Score, Stage, StageSubject, TeamMember)
from ..models.base import utcnow
from ..text import fold

VSOSH_STAGES = ("school", "municipal", "regional", "final")


class Refused(ValueError):
    """A rule refuses the action; the message is for the user."""


def pupil_key(name: str, school_id: int | None) -> str:
    return f"{fold(name)}|{school_id or ''}"[:320]


# ---- who ------------------------------------------------------------------------------------------

def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False) or user.tenant_id is None:
        return None
    return db.session.scalar(select(Person).where(Person.tenant_id == user.tenant_id, Person.user_id == user.id))


def coordinated_school_id(user) -> int | None:
    """The school whose entries this user submits as its coordinator, or None."""
    person = person_of(user)
    if person is None or person.school_id is None:
        return None
    is_coord = db.session.scalar(select(ContestCoordinator.id).where(ContestCoordinator.person_id == person.id))
    return person.school_id if is_coord else None


def is_organiser(user) -> bool:
    return getattr(user, "role", "") in ("admin", "methodist")


def may_submit_for(user, school_id: int | None) -> bool:
    if is_organiser(user):
        return True
    return school_id is not None and coordinated_school_id(user) == school_id


def juror_of(user, competition: Competition) -> Juror | None:
    person = person_of(user)
    if person is None:
        return None
    return db.session.scalar(select(Juror).where(Juror.competition_id == competition.id,
                                                 Juror.person_id == person.id))


def may_lock(user, competition: Competition) -> bool:
    """The organisers, and the chair of the jury."""
    if is_organiser(user):
        return True
    juror = juror_of(user, competition)
    return bool(juror and juror.is_chair)


# ---- the jury -------------------------------------------------------------------------------------

def recused(juror: Juror, entry: Entry, teams: dict | None = None) -> bool:
    """The one check of a juror's conflict: an entry from the juror's own school; a team's entry also when one of
    its members is from that school or is the juror. `teams` (`teams_of`) saves a query per team in a loop."""
    if juror.school_id is not None and entry.school_id == juror.school_id:
        return True
    if entry.entrant != "team":
        return False
    schools, people = (teams if teams is not None else teams_of([entry])).get(entry.root_id, (set(), set()))
    return (juror.school_id is not None and juror.school_id in schools) or (
        juror.person_id is not None and juror.person_id in people)


def teams_of(entries) -> dict[int, tuple[set, set]]:
    """The members' schools and registry people of the teams among entries, by the first stage's entry id."""
    roots = {e.root_id for e in entries if e.entrant == "team"}
    found: dict[int, tuple[set, set]] = {root: (set(), set()) for root in roots}
    if roots:
        for root, school_id, person_id in db.session.execute(select(
                TeamMember.entry_id, TeamMember.school_id, TeamMember.person_id).where(TeamMember.entry_id.in_(roots))):
            if school_id is not None:
                found[root][0].add(school_id)
            if person_id is not None:
                found[root][1].add(person_id)
    return found


def juror_school(person: Person | None, school_id: int | None = None) -> int | None:
    return person.school_id if person is not None else school_id


def assign(juror: Juror, entry: Entry) -> Assignment:
    if recused(juror, entry):
        raise Refused(_("Член жюри не может оценивать работу своей образовательной организации."))
    found = db.session.scalar(select(Assignment).where(Assignment.juror_id == juror.id,
                                                       Assignment.entry_id == entry.id))
    if found:
        return found
    row = Assignment(tenant_id=entry.tenant_id, juror_id=juror.id, entry_id=entry.id)
    db.session.add(row)
    return row


def assigned_entries(juror: Juror) -> list[Entry]:
    return db.session.scalars(
        select(Entry).join(Assignment, Assignment.entry_id == Entry.id).where(Assignment.juror_id == juror.id)
        .options(joinedload(Entry.school), joinedload(Entry.person), joinedload(Entry.nomination))
        .order_by(Entry.id)).all()


def score_entry(juror: Juror, entry: Entry, stage: Stage, points: dict[int, float | None]) -> list[str]:
    """Save a juror's points {criterion id: points}; returns the problems (nothing saved when there are any)."""
    if stage.locked_at is not None:
        raise Refused(_("Результаты этапа утверждены: баллы больше не меняются."))
    if recused(juror, entry):
        raise Refused(_("Член жюри не может оценивать работу своей образовательной организации."))
    if not db.session.scalar(select(Assignment.id).where(Assignment.juror_id == juror.id,
                                                         Assignment.entry_id == entry.id)):
        raise Refused(_("Эта работа не назначена вам для оценки."))
    criteria = {c.id: c for c in db.session.scalars(select(Criterion).where(Criterion.stage_id == stage.id))}
    problems = []
    for cid, value in points.items():
        crit = criteria.get(cid)
        if crit is None:
            raise Refused(_("Нет такого критерия."))
        if value is not None and (value < 0 or value > crit.max_points):
            problems.append(_("«%(name)s»: не больше %(max)s баллов.", name=crit.name, max=f"{crit.max_points:g}"))
    if problems:
        return problems
    existing = {s.criterion_id: s for s in db.session.scalars(
        select(Score).where(Score.entry_id == entry.id, Score.juror_id == juror.id))}
    for cid, value in points.items():
        row = existing.get(cid)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(Score(tenant_id=entry.tenant_id, entry_id=entry.id, juror_id=juror.id,
                                 criterion_id=cid, points=value))
        else:
            row.points = value
    return []


# Who may move an entry from which status to which: the organisers decide admission; after the results are
# locked, nothing moves.
ENTRY_TRANSITIONS = {"submitted": {"admitted", "rejected"}, "admitted": {"rejected"}, "rejected": {"admitted"}}


def decide_entry(entry: Entry, stage: Stage, status: str, reason: str) -> None:
    if stage.locked_at is not None:
        raise Refused(_("Результаты утверждены: решения о допуске больше не меняются."))
    if status != entry.status and status not in ENTRY_TRANSITIONS.get(entry.status, set()):
        raise Refused(_("Такое изменение статуса заявки невозможно."))
    entry.status = status
    entry.reason = reason if status == "rejected" else ""


def places(values: list[float | None]) -> list[int | None]:
    """Competition ranking with ties: 10, 10, 8 → 1, 1, 3; no value, no place."""
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for i, v in enumerate(ordered, start=1):
        first.setdefault(v, i)
    return [first[v] if v is not None else None for v in values]


@dataclass
class TableRow:
    entry: Entry
    by_criterion: dict = field(default_factory=dict)  # criterion id -> mean points
    total: float | None = None
    place: int | None = None
    members: list = field(default_factory=list)  # a team's members


def members_of(entries) -> dict[int, list[TeamMember]]:
    """The team members of entries (kept on the first stage's entry), by entry id: one query."""
    roots = {e.id: e.root_id for e in entries if e.entrant == "team"}
    if not roots:
        return {}
    rows = db.session.scalars(select(TeamMember).where(TeamMember.entry_id.in_(set(roots.values())))
                              .options(joinedload(TeamMember.school))
                              .order_by(TeamMember.entry_id, TeamMember.position, TeamMember.id)).all()
    by_root: dict[int, list] = {}
    for m in rows:
        by_root.setdefault(m.entry_id, []).append(m)
    return {entry_id: by_root.get(root, []) for entry_id, root in roots.items()}


def stage_table(competition: Competition, stage: Stage) -> tuple[list[Criterion], list[TableRow]]:
    """The protocol of a contest's stage: its entries admitted, mean points per criterion, weighted totals,
    places with ties, teams' members. Five queries whatever the number of entries."""
    criteria = db.session.scalars(select(Criterion).where(Criterion.stage_id == stage.id)
                                  .order_by(Criterion.position, Criterion.id)).all()
    entries = db.session.scalars(
        select(Entry).where(Entry.competition_id == competition.id, Entry.stage_id == stage.id,
                            Entry.status == "admitted")
        .options(joinedload(Entry.school), joinedload(Entry.person), joinedload(Entry.teacher),
                 joinedload(Entry.nomination)).order_by(Entry.id)).all()
    members = members_of(entries)
    means = db.session.execute(
        select(Score.entry_id, Score.criterion_id, func.avg(Score.points))
        .join(Criterion, Criterion.id == Score.criterion_id)
        .where(Criterion.stage_id == stage.id).group_by(Score.entry_id, Score.criterion_id)).all()
    by_entry: dict[int, dict] = {}
    for entry_id, cid, mean in means:
        by_entry.setdefault(entry_id, {})[cid] = round(float(mean), 2)
    rows = []
    for entry in entries:
        scores = by_entry.get(entry.id, {})
        total = (round(sum(c.weight * scores[c.id] for c in criteria if c.id in scores), 2) if scores else None)
        rows.append(TableRow(entry, scores, total, members=members.get(entry.id, [])))
    for row, place in zip(rows, places([r.total for r in rows])):
        row.place = place
    rows.sort(key=lambda r: (r.place is None, r.place or 0, fold(entrant_name(r.entry))))
    return criteria, rows


def lock(stage: Stage, user) -> None:
    if stage.locked_at is None:
        stage.locked_at = utcnow()
        stage.locked_by_id = user.id


# ---- names ----------------------------------------------------------------------------------------

def initials(name: str) -> str:
    """«Иванов Пётр Сергеевич» → «Иванов П. С.»; for the published rating without a parent's consent."""
    parts = name.split()
    if not parts:
        return ""
    return " ".join([parts[0][0] + "."] + [p[0] + "." for p in parts[1:]])


def entrant_name(entry: Entry) -> str:
    if entry.entrant == "teacher" and entry.person_id is not None:
        return entry.person.full_name
    return entry.pupil_name


def public_name(entry: Entry) -> str:
    """What the published rating shows: a pupil's name only with the parent's consent, else initials."""
    name = entrant_name(entry)
    if entry.entrant == "pupil" and not entry.consent:
        return initials(name)
    return name


def public_members(entry: Entry, members: list[TeamMember]) -> list[str]:
    """A team's members as the published rating shows them: each pupil by the same rule as a single pupil (the
    full name only with the parent's consent given on the entry, else initials); teachers by name."""
    return [m.full_name if m.person_id is not None or entry.consent else initials(m.full_name) for m in members]


# ---- ВсОШ -----------------------------------------------------------------------------------------

def season(tenant_id: int, start_year: int) -> Competition | None:
    return db.session.scalar(select(Competition).where(Competition.tenant_id == tenant_id,
                                                       Competition.is_vsosh.is_(True),
                                                       Competition.start_year == start_year))


def create_season(tenant_id: int, start_year: int) -> Competition:
    found = season(tenant_id, start_year)
    if found:
        return found
    comp = Competition(tenant_id=tenant_id, kind="olympiad", level="municipal", is_vsosh=True,
                       start_year=start_year, title=f"Всероссийская олимпиада школьников {start_year}/{start_year + 1}")
    db.session.add(comp)
    db.session.flush()
    for i, kind in enumerate(VSOSH_STAGES, start=1):
        db.session.add(Stage(tenant_id=tenant_id, competition_id=comp.id, kind=kind, position=i))
    db.session.flush()
    return comp


def stages_of(comp: Competition) -> list[Stage]:
    return db.session.scalars(select(Stage).where(Stage.competition_id == comp.id)
                              .order_by(Stage.position)).all()


def stage_of(comp: Competition, kind: str) -> Stage | None:
    return db.session.scalar(select(Stage).where(Stage.competition_id == comp.id, Stage.kind == kind))


def subject(comp: Competition, name: str) -> Nomination:
    key = fold(name)[:200]
    found = db.session.scalar(select(Nomination).where(Nomination.competition_id == comp.id,
                                                       Nomination.name_key == key))
    if found:
        return found
    nom = Nomination(tenant_id=comp.tenant_id, competition_id=comp.id)
    nom.set_name(name)
    db.session.add(nom)
    db.session.flush()
    return nom


def setting(stage: Stage, nomination_id: int, grade: int) -> StageSubject | None:
    return db.session.scalar(select(StageSubject).where(StageSubject.stage_id == stage.id,
                                                        StageSubject.nomination_id == nomination_id,
                                                        StageSubject.grade == grade))


def set_score(entry: Entry, stage: Stage, score: float | None, max_points: float | None) -> None:
    if stage.locked_at is not None:
        raise Refused(_("Результаты этапа утверждены: баллы больше не меняются."))
    if score is not None and (score < 0 or (max_points is not None and score > max_points)):
        raise Refused(_("Баллы от 0 до %(max)s.", max=f"{max_points:g}"))
    entry.score = score


def olympiad_rows(stage: Stage, nomination_id: int | None = None, grade: int | None = None) -> list[Entry]:
    """A stage's results, best first, with school and subject loaded (one query)."""
    stmt = (select(Entry).where(Entry.stage_id == stage.id)
            .options(joinedload(Entry.school), joinedload(Entry.nomination), joinedload(Entry.teacher)))
    if nomination_id:
        stmt = stmt.where(Entry.nomination_id == nomination_id)
    if grade:
        stmt = stmt.where(Entry.grade == grade)
    rows = db.session.scalars(stmt).all()
    return sorted(rows, key=lambda e: (e.nomination.name if e.nomination else "", e.grade or 0,
                                       -(e.score if e.score is not None else -1), fold(e.pupil_name)))


def with_places(rows: list[Entry]) -> list[tuple[Entry, int | None]]:
    """Places within each subject × grade, ties shared."""
    out, groups = [], {}
    for e in rows:
        groups.setdefault((e.nomination_id, e.grade), []).append(e)
    placed = {}
    for group in groups.values():
        for e, p in zip(group, places([e.score for e in group])):
            placed[e.id] = p
    for e in rows:
        out.append((e, placed[e.id]))
    return out


@dataclass
class Candidate:
    name: str
    key: str
    grade: int
    school_id: int | None
    school_label: str
    score: float | None
    reason: str  # threshold, last_year
    teacher_id: int | None = None
    consent: bool = False
    consent_date: date | None = None


def next_stage_list(comp: Competition, from_kind: str, nomination: Nomination, grade: int) -> list[Candidate]:
    """Who goes on to the stage after `from_kind` in this subject and grade: the results at or above the
    organiser's threshold, plus (for the municipal stage) last year's municipal winners and prize-winners of the
    same subject, now a grade higher."""
    stage = stage_of(comp, from_kind)
    conf = setting(stage, nomination.id, grade) if stage else None
    out: dict[str, Candidate] = {}
    if conf is not None and conf.threshold is not None:
        for e in db.session.scalars(select(Entry).where(
                Entry.stage_id == stage.id, Entry.nomination_id == nomination.id, Entry.grade == grade,
                Entry.score >= conf.threshold).options(joinedload(Entry.school))):
            out[e.pupil_key] = Candidate(e.pupil_name, e.pupil_key, grade, e.school_id,
                                         e.school.label if e.school else "", e.score, "threshold", e.teacher_id,
                                         e.consent, e.consent_date)
    if from_kind == "school":
        last = season(comp.tenant_id, comp.start_year - 1)
        last_stage = stage_of(last, "municipal") if last else None
        if last_stage is not None:
            last_nom = db.session.scalar(select(Nomination.id).where(Nomination.competition_id == last.id,
                                                                     Nomination.name_key == nomination.name_key))
            for e in db.session.scalars(select(Entry).where(
                    Entry.stage_id == last_stage.id, Entry.nomination_id == last_nom, Entry.grade == grade - 1,
                    Entry.result.in_(("winner", "prize"))).options(joinedload(Entry.school))):
                out.setdefault(e.pupil_key, Candidate(e.pupil_name, e.pupil_key, grade, e.school_id,
                                                      e.school.label if e.school else "", None, "last_year",
                                                      e.teacher_id, e.consent, e.consent_date))
    return sorted(out.values(), key=lambda c: (c.reason != "threshold", -(c.score or 0), fold(c.name)))


def promote(comp: Competition, from_kind: str, nomination: Nomination, grade: int, user) -> int:
    """Enter the next stage's list as that stage's participants (those already there are kept); returns how
    many were added."""
    order = list(VSOSH_STAGES)
    target = stage_of(comp, order[order.index(from_kind) + 1])
    if target.locked_at is not None:
        raise Refused(_("Результаты этапа утверждены: список участников больше не меняется."))
    have = set(db.session.scalars(select(Entry.pupil_key).where(Entry.stage_id == target.id,
                                                                Entry.nomination_id == nomination.id)))
    added = 0
    for c in next_stage_list(comp, from_kind, nomination, grade):
        if c.key in have:
            continue
        db.session.add(Entry(tenant_id=comp.tenant_id, competition_id=comp.id, stage_id=target.id,
                             nomination_id=nomination.id, entrant="pupil", pupil_name=c.name, pupil_key=c.key,
                             grade=grade, school_id=c.school_id, teacher_id=c.teacher_id, consent=c.consent,
                             consent_date=c.consent_date, status="admitted", submitted_by_id=user.id))
        added += 1
    return added


def quota_hint(count: int, percent: int) -> int:
    """How many winners and prize-winners the quota allows (a hint: the organiser decides)."""
    return count * percent // 100


def request_appeal(entry: Entry, reason: str) -> Appeal:
    appeal = Appeal(tenant_id=entry.tenant_id, entry_id=entry.id, requested_on=clock.today(), reason=reason,
                    old_score=entry.score)
    db.session.add(appeal)
    return appeal


def decide_appeal(appeal: Appeal, entry: Entry, stage: Stage, upheld: bool, new_score: float | None,
                  max_points: float | None, user) -> None:
    if appeal.decision:
        raise Refused(_("По апелляции уже принято решение."))
    if upheld:
        if new_score is None:
            raise Refused(_("Укажите новые баллы."))
        set_score(entry, stage, new_score, max_points)
    appeal.decision = "upheld" if upheld else "rejected"
    appeal.decided_on = clock.today()
    appeal.old_score = appeal.old_score if appeal.old_score is not None else entry.score
    appeal.new_score = entry.score
    appeal.decided_by_id = user.id


# ---- plan evidence and analytics ------------------------------------------------------------------

def stage_held(stage: Stage) -> dict:
    """Whether a stage is held, for the plan's evidence registry: done (results locked, or its date passed with
    results entered), the date, the number of participants."""
    return stages_held([stage])[stage.id]


def stages_held(stages: list[Stage]) -> dict[int, dict]:
    """`stage_held` of several stages in two queries, whatever their number."""
    main = [s.id for s in stages if s.kind == "main"]  # a contest's stage: its admitted entries
    other = [s.id for s in stages if s.kind != "main"]
    by_main = dict(db.session.execute(
        select(Entry.stage_id, func.count(Entry.id))
        .where(Entry.stage_id.in_(main), Entry.status == "admitted").group_by(Entry.stage_id)).all()
    ) if main else {}
    by_stage = dict(db.session.execute(
        select(Entry.stage_id, func.count(Entry.id)).where(Entry.stage_id.in_(other)).group_by(Entry.stage_id)).all()
    ) if other else {}
    result = {}
    for stage in stages:
        participants = (by_main.get(stage.id) if stage.kind == "main" else by_stage.get(stage.id)) or 0
        when = stage.date_to or stage.date_from
        done = stage.locked_at is not None or bool(when and when <= clock.today() and participants)
        result[stage.id] = {"done": done, "date": when, "participants": participants}
    return result


def stage_changed(stage: Stage) -> None:
    """After a stage's dates, results or lock change (before the commit): the plan items it carries out follow."""
    from . import evidence

    evidence.activity_changed("contest_stage", stage.id)


def analytics(tenant_id: int, year: int | None = None) -> dict:
    """ВсОШ by year and stage (always all years), and by subject and school (one academic year when `year` is
    given): participations, unique pupils, winners and prize-winners. Three grouped queries."""
    every_year = (select(Entry).join(Competition, Competition.id == Entry.competition_id)
                  .where(Entry.tenant_id == tenant_id, Competition.is_vsosh.is_(True), Entry.stage_id.is_not(None)))
    chosen = every_year.where(Competition.start_year == year) if year else every_year
    cols = (func.count(Entry.id), func.count(func.distinct(Entry.pupil_key)),
            func.sum(func.coalesce((Entry.result == "winner").cast(db.Integer), 0)),
            func.sum(func.coalesce((Entry.result == "prize").cast(db.Integer), 0)))

    def grouped(base, *keys, join):
        stmt = base.with_only_columns(*keys, *cols).join(*join)
        return db.session.execute(stmt.group_by(*keys).order_by(*keys)).all()

    return {"by_year": grouped(every_year, Competition.start_year, Stage.kind, join=(Stage, Stage.id == Entry.stage_id)),
            "by_subject": grouped(chosen, Nomination.name, join=(Nomination, Nomination.id == Entry.nomination_id)),
            "by_school": grouped(chosen, School.short_name, School.name, join=(School, School.id == Entry.school_id))}


def wins_of(person_id: int) -> list[tuple[Entry, Competition]]:
    """A teacher's own winning and prize entries, newest first (for the person card)."""
    return db.session.execute(
        select(Entry, Competition).join(Competition, Competition.id == Entry.competition_id)
        .where(Entry.person_id == person_id, Entry.result.in_(("winner", "prize")))
        .order_by(Competition.start_year.desc(), Entry.id.desc())).all()


def academic_start(day: date) -> int:
    """The academic year a day falls in, by its first calendar year (01.09.2025–31.08.2026 → 2025)."""
    return day.year if day.month >= 9 else day.year - 1


def default_results(rows, final: bool = True) -> None:
    """When results are locked: first place the winner, second and third the prize-winners, the rest
    participants — a proposal; the organiser may change any of them afterwards. A stage before the last one
    proposes «участник» for everyone: the winners are those of the last stage."""
    for row in rows:
        if row.place is None:
            continue
        if not final:
            row.entry.result = "participant"
        else:
            row.entry.result = "winner" if row.place == 1 else "prize" if row.place <= 3 else "participant"


# ---- a contest's stages ---------------------------------------------------------------------------
# A contest has one or more stages in order (position). Entries are submitted to the first stage; the organiser
# admits chosen ones (or the top N) of a stage to the next: each becomes a copy in that stage (`origin_id` → the
# first stage's entry, which keeps the materials and the team). Each stage has its own criteria, jury
# assignments, scores, protocol, lock and results, and is its own plan evidence (`stage_changed`).

def first_stage(comp: Competition) -> Stage:
    """A contest's first stage (made when missing: a contest always has one)."""
    stage = db.session.scalar(select(Stage).where(Stage.competition_id == comp.id)
                              .order_by(Stage.position, Stage.id).limit(1))
    if stage is None:
        stage = Stage(tenant_id=comp.tenant_id, competition_id=comp.id, kind="main", position=1)
        db.session.add(stage)
        db.session.flush()
    return stage


def next_stage(stage: Stage) -> Stage | None:
    return db.session.scalar(select(Stage).where(Stage.competition_id == stage.competition_id,
                                                 Stage.position > stage.position)
                             .order_by(Stage.position, Stage.id).limit(1))


def current_stage(comp: Competition) -> Stage:
    """The stage a contest's overall protocol and rating show: the last one with admitted entries."""
    stage = db.session.scalar(
        select(Stage).join(Entry, Entry.stage_id == Stage.id)
        .where(Stage.competition_id == comp.id, Entry.status == "admitted")
        .order_by(Stage.position.desc(), Stage.id.desc()).limit(1))
    return stage or first_stage(comp)


def add_stage(comp: Competition) -> Stage:
    last = db.session.scalar(select(func.max(Stage.position)).where(Stage.competition_id == comp.id)) or 0
    stage = Stage(tenant_id=comp.tenant_id, competition_id=comp.id, kind="main", position=last + 1)
    db.session.add(stage)
    return stage


def delete_stage(stage: Stage) -> None:
    """A stage goes with its entries there, criteria and scores; the first stage and a stage with results
    locked stay."""
    if stage.locked_at is not None:
        raise Refused(_("Результаты этапа утверждены: этап нельзя удалить."))
    first = db.session.scalar(select(Stage.id).where(Stage.competition_id == stage.competition_id)
                              .order_by(Stage.position, Stage.id).limit(1))
    if first == stage.id:
        raise Refused(_("Первый этап удалить нельзя: в нём подаются заявки."))
    delete_entries(db.session.scalars(select(Entry).where(Entry.stage_id == stage.id)).all())
    db.session.delete(stage)


def delete_entries(entries: list[Entry]) -> None:
    """Delete entries one by one, so the audit trail records each (one "delete" entry apiece); the copies in later
    stages first: deleting their first-stage entry would take them along by the database's cascade, unrecorded."""
    copies = [e for e in entries if e.origin_id is not None]
    for entry in copies:
        db.session.delete(entry)
    if copies:
        db.session.flush()
    for entry in entries:
        if entry.origin_id is None:
            db.session.delete(entry)


def advance(stage: Stage, entries: list[Entry], user) -> int:
    """Admit entries of `stage` to the next stage; returns how many were added (those already there stay)."""
    target = next_stage(stage)
    if target is None:
        raise Refused(_("У конкурса нет следующего этапа: сначала добавьте его."))
    if target.locked_at is not None:
        raise Refused(_("Результаты следующего этапа утверждены: список участников больше не меняется."))
    have = set(db.session.scalars(select(Entry.origin_id).where(Entry.stage_id == target.id)))
    added = 0
    for e in entries:
        if e.stage_id != stage.id or e.status != "admitted":
            raise Refused(_("На следующий этап проходят только допущенные участники этого этапа."))
        if e.root_id in have:
            continue
        db.session.add(Entry(tenant_id=e.tenant_id, competition_id=e.competition_id, stage_id=target.id,
                             origin_id=e.root_id, nomination_id=e.nomination_id, entrant=e.entrant,
                             person_id=e.person_id, pupil_name=e.pupil_name, pupil_key=e.pupil_key, grade=e.grade,
                             school_id=e.school_id, teacher_id=e.teacher_id, consent=e.consent,
                             consent_date=e.consent_date, topic=e.topic, status="admitted",
                             submitted_by_id=user.id))
        have.add(e.root_id)
        added += 1
    return added


def top_entries(rows: list[TableRow], n: int) -> list[Entry]:
    """The top N of a stage's protocol: places 1…N, everyone tied at the boundary included."""
    return [r.entry for r in rows if r.place is not None and r.place <= n]


def copies_of(entry: Entry) -> list[Entry]:
    """The entry's rows in later stages (empty for an entry of a later stage itself)."""
    if entry.origin_id is not None:
        return []
    return db.session.scalars(select(Entry).where(Entry.origin_id == entry.id)).all()


# ---- editing an entry -----------------------------------------------------------------------------

def edit_refusal(user, entry: Entry, stage: Stage | None) -> str | None:
    """Why this user may not edit the entry now, or None. The submitter (its school's coordinator, or who
    submitted it) while it is «подана»; the organisers until the stage's results are locked; after, nobody."""
    if stage is not None and stage.locked_at is not None:
        return _("Результаты этапа утверждены: заявку больше нельзя изменить.")
    if is_organiser(user):
        return None
    own = (entry.submitted_by_id == getattr(user, "id", None)
           or (entry.school_id is not None and coordinated_school_id(user) == entry.school_id))
    if not own:
        return _("Изменить заявку может тот, кто её подал, или методист.")
    if entry.status != "submitted" or entry.origin_id is not None:
        return _("Заявка уже рассмотрена: изменить её может только методист.")
    return None


def follow_edit(entry: Entry) -> None:
    """An organiser's edit of a first-stage entry reaches its copies in later stages not yet locked."""
    for copy in copies_of(entry):
        stage = db.session.get(Stage, copy.stage_id)
        if stage is not None and stage.locked_at is None:
            for name in ("nomination_id", "person_id", "pupil_name", "pupil_key", "grade", "school_id",
                         "teacher_id", "consent", "consent_date", "topic"):
                setattr(copy, name, getattr(entry, name))


# ---- a team's members -----------------------------------------------------------------------------

@dataclass
class Member:
    full_name: str
    grade: int | None = None
    school_id: int | None = None
    person_id: int | None = None


def check_members(members: list[Member]) -> list[str]:
    """A team has at least two members, none twice (the same registry person, or the same name at the same
    school)."""
    problems = []
    if len(members) < 2:
        problems.append(_("В команде должно быть не меньше двух участников."))
    seen = set()
    for m in members:
        key = ("p", m.person_id) if m.person_id else ("n", fold(m.full_name), m.school_id)
        if key in seen:
            problems.append(_("«%(name)s» указан(а) в команде дважды.", name=m.full_name))
        seen.add(key)
    return problems


def team_of(entry: Entry) -> list[Member]:
    """The team's members as they stand (kept on the first stage's entry), in order."""
    return [Member(m.full_name, m.grade, m.school_id, m.person_id) for m in db.session.scalars(
        select(TeamMember).where(TeamMember.entry_id == entry.root_id).order_by(TeamMember.position))]


def same_members(a: list[Member], b: list[Member]) -> bool:
    """The same team, whatever the order: registry people by who they are, pupils by name, grade and school."""
    def key(m: Member):
        return ("p", m.person_id) if m.person_id else ("n", m.full_name[:300], m.grade or 0, m.school_id or 0)
    return sorted(map(key, a)) == sorted(map(key, b))


def shared_lock(entry: Entry) -> Stage | None:
    """A locked stage holding this entrant (the first stage's entry or any of its copies), or None. The team and
    the materials belong to every stage at once: once one of them is locked they no longer change, or the
    locked protocol, rating and diplomas would show another team."""
    root = entry.root_id
    return db.session.scalar(select(Stage).join(Entry, Entry.stage_id == Stage.id).where(
        (Entry.id == root) | (Entry.origin_id == root), Stage.locked_at.is_not(None)).limit(1))


def set_members(entry: Entry, members: list[Member]) -> None:
    """Replace a team's member list (on the first stage's entry)."""
    problems = check_members(members)
    if problems:
        raise Refused(" ".join(problems))
    old = db.session.scalars(select(TeamMember).where(TeamMember.entry_id == entry.root_id)).all()
    for row in old:
        db.session.delete(row)
    db.session.flush()
    for i, m in enumerate(members, start=1):
        db.session.add(TeamMember(tenant_id=entry.tenant_id, entry_id=entry.root_id, person_id=m.person_id,
                                  full_name=m.full_name[:300], grade=m.grade, school_id=m.school_id, position=i))


# ---- assigning the jury in bulk -------------------------------------------------------------------

def assign_many(jurors: list[Juror], entries: list[Entry]) -> tuple[int, list[tuple[Juror, Entry]]]:
    """Every juror to every entry, except where recusal forbids; returns (new assignments, the pairs skipped)."""
    have = {tuple(r) for r in db.session.execute(select(Assignment.juror_id, Assignment.entry_id).where(
        Assignment.entry_id.in_([e.id for e in entries])))} if entries else set()
    added, skipped, teams = 0, [], teams_of(entries)
    for entry in entries:
        for juror in jurors:
            if recused(juror, entry, teams):
                skipped.append((juror, entry))
            elif (juror.id, entry.id) not in have:
                db.session.add(Assignment(tenant_id=entry.tenant_id, juror_id=juror.id, entry_id=entry.id))
                have.add((juror.id, entry.id))
                added += 1
    return added, skipped


def distribute(stage: Stage, jurors: list[Juror], entries: list[Entry], per_entry: int) -> int:
    """Spread entries over the jury evenly: each entry to `per_entry` jurors (those already assigned count),
    never to a juror of its own school; the least loaded juror in this stage first. Nothing is assigned when
    some entry cannot get enough jurors (Refused names them)."""
    if per_entry < 1:
        raise Refused(_("Число членов жюри на работу — от 1."))
    if not jurors:
        raise Refused(_("В жюри никого нет: сначала добавьте членов жюри."))
    stage_entries = select(Entry.id).where(Entry.stage_id == stage.id)
    rows = db.session.execute(select(Assignment.juror_id, Assignment.entry_id)
                              .where(Assignment.entry_id.in_(stage_entries))).all()
    load = {j.id: 0 for j in jurors}
    by_entry: dict[int, set] = {}
    for juror_id, entry_id in rows:
        load[juror_id] = load.get(juror_id, 0) + 1
        by_entry.setdefault(entry_id, set()).add(juror_id)
    impossible, plan, teams = [], [], teams_of(entries)
    for entry in sorted(entries, key=lambda e: e.id):
        have = by_entry.setdefault(entry.id, set())
        need = per_entry - len(have)
        free = [j for j in jurors if j.id not in have and not recused(j, entry, teams)]
        if need > len(free):
            impossible.append(entrant_name(entry))
            continue
        for juror in sorted(free, key=lambda j: (load[j.id], j.id))[:max(need, 0)]:
            plan.append((juror, entry))
            have.add(juror.id)
            load[juror.id] += 1
    if impossible:
        raise Refused(_("Не хватает членов жюри не из школы участника (самоотвод) для %(n)s на работу: %(names)s. "
                        "Добавьте членов жюри или уменьшите число.", n=per_entry, names=", ".join(impossible[:10])))
    for juror, entry in plan:
        db.session.add(Assignment(tenant_id=entry.tenant_id, juror_id=juror.id, entry_id=entry.id))
    return len(plan)
