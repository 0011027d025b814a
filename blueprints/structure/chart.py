"""The org chart as a tree of nodes, built from a fixed number of queries whatever the district's size."""
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import load_only, selectinload

from oms.extensions import db
from oms.models import Body, BodyKind, BodyMember, Person, School
from oms.models.structure import BODY_CATEGORIES
from oms.tenancy import current_tenant_id
from oms.text import N_

# How a group of boxes inside a parent box is headed, in the order the groups appear.
GROUP_LABELS = {
    "service": N_("Службы и отделы"),
    "council": N_("Советы"),
    "resource_centre": N_("Ресурсные центры"),
    "association": N_("Методические объединения"),
    "group": N_("Творческие, проблемные, рабочие и экспертные группы"),
    "school_council": N_("Советы образовательной организации"),
    "school_body": N_("Иные объединения"),
}
GROUP_ORDER = ["service", "council", "resource_centre", "association", "group", "school_council", "school_body"]
assert set(GROUP_ORDER) == set(BODY_CATEGORIES) == set(GROUP_LABELS)


# What the chart and its forms show of a school (its label): only these columns are loaded.
SCHOOL_LABEL = (School.id, School.name, School.short_name)


@dataclass(eq=False)
class Node:
    body: Body
    leaders: list = field(default_factory=list)
    members: int = 0
    children: list = field(default_factory=list)
    school_level_children: int = 0

    @property
    def groups(self):
        by_category: dict[str, list] = {}
        for child in self.children:
            by_category.setdefault(child.body.kind.category, []).append(child)
        return [(GROUP_LABELS[c], by_category[c]) for c in GROUP_ORDER if c in by_category]


@dataclass
class SchoolGroup:
    school: School | None
    nodes: list


@dataclass
class Chart:
    municipal: list
    schools: list
    bodies: list
    total: int


def load_bodies() -> list[Body]:
    return db.session.scalars(
        Body.scoped().options(selectinload(Body.school).load_only(*SCHOOL_LABEL))
        .order_by(Body.position, Body.name, Body.id)
    ).all()


def load_chart() -> Chart:
    tenant_id = current_tenant_id()
    bodies = load_bodies()
    leaders: dict[int, list[Person]] = {}
    for body_id, person in db.session.execute(
        select(BodyMember.body_id, Person).join(Person, Person.id == BodyMember.person_id)
        .options(load_only(Person.id, Person.last_name, Person.first_name, Person.middle_name))
        .where(BodyMember.tenant_id == tenant_id, BodyMember.role.in_(("leader", "chair")))
        .order_by(Person.last_name, Person.first_name)
    ):
        leaders.setdefault(body_id, []).append(person)
    counts = dict(db.session.execute(
        select(BodyMember.body_id, func.count(BodyMember.id)).where(BodyMember.tenant_id == tenant_id)
        .group_by(BodyMember.body_id)
    ).all())
    nodes = {b.id: Node(b, leaders.get(b.id, []), counts.get(b.id, 0)) for b in bodies}

    municipal_roots, school_groups = [], {}
    for body in bodies:
        node = nodes[body.id]
        parent = nodes.get(body.parent_id)
        if body.kind.level == "school":
            same_school = parent is not None and parent.body.kind.level == "school" \
                and parent.body.school_id == body.school_id
            if same_school:
                parent.children.append(node)
            else:
                if parent is not None:
                    parent.school_level_children += 1
                school_groups.setdefault(body.school_id, []).append(node)
        elif parent is not None and parent.body.kind.level != "school":
            parent.children.append(node)
        else:
            municipal_roots.append(node)
    _show_unreachable(nodes, municipal_roots, school_groups)
    schools = [SchoolGroup(nodes_[0].body.school, nodes_) for nodes_ in school_groups.values()]
    schools.sort(key=lambda g: (g.school is None, g.school.label if g.school else ""))
    return Chart(municipal=municipal_roots, schools=schools, bodies=bodies, total=len(bodies))


def _show_unreachable(nodes, municipal_roots, school_groups) -> None:
    """Rows that form a loop (the UI never makes one) still show: each such row becomes a root."""
    seen = set()

    def walk(node):
        seen.add(node.body.id)
        for child in node.children:
            if child.body.id not in seen:
                walk(child)

    for root in municipal_roots + [n for group in school_groups.values() for n in group]:
        walk(root)
    for node in nodes.values():
        if node.body.id in seen:
            continue
        parent = nodes.get(node.body.parent_id)
        if parent is not None and node in parent.children:
            parent.children.remove(node)
        if node.body.kind.level == "school":
            school_groups.setdefault(node.body.school_id, []).append(node)
        else:
            municipal_roots.append(node)
        walk(node)


def descendants(body_id: int, bodies: list[Body]) -> set[int]:
    children: dict[int, list[int]] = {}
    for b in bodies:
        if b.parent_id is not None:
            children.setdefault(b.parent_id, []).append(b.id)
    out, stack = set(), [body_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in out:
                out.add(child)
                stack.append(child)
    return out


def kinds() -> list[BodyKind]:
    return db.session.scalars(BodyKind.scoped().order_by(BodyKind.level, BodyKind.position, BodyKind.id)).all()


def schools() -> list[School]:
    return db.session.scalars(School.scoped().order_by(School.short_name, School.name)
                              .options(load_only(*SCHOOL_LABEL))).all()
