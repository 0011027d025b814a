"""The org chart as a tree of nodes, built from a fixed number of queries whatever the district's size."""
import functools
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from oms.extensions import db
from oms.models import Body, BodyKind, BodyMember, Person, School
from oms.models.people import short_name
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
    body: "ChartBody"
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
    school: "ChartSchool | None"
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


class ChartKind:
    """A body's kind as the chart shows it."""

    __slots__ = ("name", "category", "level")

    def __init__(self, name, category, level):
        self.name, self.category, self.level = name, category, level


class ChartSchool:
    """A school as the chart names it."""

    __slots__ = ("id", "label")

    def __init__(self, id, short_name, name):
        self.id, self.label = id, short_name or name


class ChartBody:
    """A box of the chart: the columns it shows and places by, its kind and school shared with the other boxes."""

    __slots__ = ("id", "name", "subject", "parent_id", "school_id", "kind", "school")

    def __init__(self, id, name, subject, parent_id, school_id, kind, school):
        self.id, self.name, self.subject, self.parent_id, self.school_id = id, name, subject, parent_id, school_id
        self.kind, self.school = kind, school


@functools.cache
def _statements() -> dict:
    """The chart's selects, built once (their parameter: tenant_id)."""
    tenant_id = bindparam("tenant_id")
    return {
        "bodies": Body.scoped_by_param().join(BodyKind, BodyKind.id == Body.kind_id)
        .outerjoin(School, School.id == Body.school_id)
        .with_only_columns(Body.id, Body.name, Body.subject, Body.parent_id, Body.school_id, Body.kind_id,
                           BodyKind.name, BodyKind.category, BodyKind.level, School.short_name, School.name)
        .order_by(Body.position, Body.name, Body.id),
        "leaders": select(BodyMember.body_id, Person.last_name, Person.first_name, Person.middle_name)
        .join(Person, Person.id == BodyMember.person_id)
        .where(BodyMember.tenant_id == tenant_id, BodyMember.role.in_(("leader", "chair")))
        .order_by(Person.last_name, Person.first_name),
        "counts": select(BodyMember.body_id, func.count(BodyMember.id)).where(BodyMember.tenant_id == tenant_id)
        .group_by(BodyMember.body_id),
        "kinds": BodyKind.scoped_by_param().with_only_columns(BodyKind.id, BodyKind.name, BodyKind.level)
        .order_by(BodyKind.level, BodyKind.position, BodyKind.id),
    }


def _chart_bodies(params) -> list[ChartBody]:
    """The district's bodies in the chart's order: one select of the shown columns (kind and school joined)."""
    kinds_by_id, schools_by_id, bodies = {}, {}, []
    for (body_id, name, subject, parent_id, school_id, kind_id, kind_name, category, level,
         school_short, school_name) in db.session.execute(_statements()["bodies"], params):
        kind = kinds_by_id.get(kind_id) or kinds_by_id.setdefault(kind_id, ChartKind(kind_name, category, level))
        school = None
        if school_id is not None:
            school = schools_by_id.get(school_id) or schools_by_id.setdefault(
                school_id, ChartSchool(school_id, school_short, school_name))
        bodies.append(ChartBody(body_id, name, subject, parent_id, school_id, kind, school))
    return bodies


def load_chart() -> Chart:
    params = {"tenant_id": current_tenant_id()}
    bodies = _chart_bodies(params)
    leaders: dict[int, list[str]] = {}
    for body_id, last_name, first_name, middle_name in db.session.execute(_statements()["leaders"], params):
        leaders.setdefault(body_id, []).append(short_name(last_name, first_name, middle_name))
    counts = dict(db.session.execute(_statements()["counts"], params).all())
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


def kinds() -> list:
    """The district's body kinds as rows (id, name, level), in the order of the kind list."""
    return db.session.execute(_statements()["kinds"], {"tenant_id": current_tenant_id()}).all()
