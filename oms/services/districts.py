"""Setting up a district's organisation from a preset.

A preset (oms/presets/<code>.toml) is configuration data: body kinds, the
bodies of the org chart (parents by key), directions, functions (direction by
name, body kind by code), forms of work and the catalogues the UI suggests
(staff positions, council roles, required documents). Everything created here
is ordinary data the district admin edits afterwards.
"""
from ..extensions import db
from ..models import Body, BodyKind, Direction, Function, WorkForm
from ..models.structure import BODY_CATEGORIES, LEVELS

CATALOGUES = ("positions", "council_roles", "documents")


class PresetError(ValueError):
    """The preset refers to something it does not define."""


def configure_from_preset(tenant, preset: dict) -> None:
    """Create the district's structure, directions and functions from a preset.

    Safe to call again: rows are found by their natural keys first, so a
    second call adds only what is missing.
    """
    kinds = _body_kinds(tenant, preset.get("body_kinds", []))
    _bodies(tenant, preset.get("bodies", []), kinds)
    directions = _directions(tenant, preset.get("directions", []))
    _functions(tenant, preset.get("functions", []), directions, kinds)
    _forms(tenant, preset.get("forms", []))
    catalogues = dict(tenant.catalogues or {})
    for key in CATALOGUES:
        if not catalogues.get(key):
            catalogues[key] = [dict(row) for row in preset.get(key, [])]
    tenant.catalogues = catalogues
    if not tenant.terms and preset.get("terms"):
        tenant.terms = dict(preset["terms"])
    db.session.flush()


def name_the_service(tenant, preset: dict) -> None:
    """A new district's service is called what the operator typed: its structure element (the preset's
    service body) and the terms of the service and its plan, so the plan page's title agrees with the XLSX
    title («План работы <service in the genitive>»). Nothing changes when the typed name is the preset's."""
    typed = (tenant.service_name or "").strip()
    preset_name = preset.get("profile", {}).get("service_name", "")
    if not typed or typed == preset_name:
        return
    service_kinds = {row["code"] for row in preset.get("body_kinds", []) if row.get("category") == "service"}
    preset_bodies = {row["name"] for row in preset.get("bodies", []) if row.get("kind") in service_kinds}
    for body in _existing(Body, tenant):
        if body.kind.category == "service" and body.name in preset_bodies:
            body.name = typed[:300]
    terms = dict(tenant.terms or {})
    terms["service"] = (tenant.service_abbr or "").strip() or typed
    terms["plan"] = f"План работы {(tenant.service_name_genitive or '').strip() or terms['service']}"
    tenant.terms = terms
    db.session.flush()


def _existing(model, tenant):
    return db.session.scalars(
        db.select(model).where(model.tenant_id == tenant.id).execution_options(all_districts=True)
    ).all()


def _body_kinds(tenant, rows) -> dict[str, BodyKind]:
    kinds = {k.code: k for k in _existing(BodyKind, tenant)}
    for position, row in enumerate(rows, start=1):
        if row["code"] in kinds:
            continue
        if row["category"] not in BODY_CATEGORIES or row.get("level", "municipal") not in LEVELS:
            raise PresetError(f"body kind {row['code']}: unknown category or level")
        kind = BodyKind(tenant_id=tenant.id, code=row["code"], name=row["name"], category=row["category"],
                        level=row.get("level", "municipal"), clause=row.get("clause", ""), position=position)
        db.session.add(kind)
        kinds[kind.code] = kind
    db.session.flush()
    return kinds


def _bodies(tenant, rows, kinds) -> None:
    existing = {(b.kind_id, b.name): b for b in _existing(Body, tenant)}
    by_key: dict[str, Body] = {}
    for position, row in enumerate(rows, start=1):
        kind = kinds.get(row["kind"])
        if kind is None:
            raise PresetError(f"body {row.get('key')}: unknown kind {row['kind']}")
        body = existing.get((kind.id, row["name"]))
        if body is None:
            body = Body(tenant_id=tenant.id, kind=kind, name=row["name"], subject=row.get("subject", ""),
                        clause=row.get("clause", ""), description=row.get("description", ""),
                        position=position)
            db.session.add(body)
            existing[(kind.id, body.name)] = body
        by_key[row.get("key") or row["name"]] = body
    for row in rows:
        parent_key = row.get("parent") or ""
        if not parent_key:
            continue
        if parent_key not in by_key:
            raise PresetError(f"body {row.get('key')}: unknown parent {parent_key}")
        body = by_key[row.get("key") or row["name"]]
        if body.parent_id is None:
            body.parent = by_key[parent_key]
    db.session.flush()


def _directions(tenant, rows) -> dict[str, Direction]:
    directions = {d.name: d for d in _existing(Direction, tenant)}
    for position, row in enumerate(rows, start=1):
        if row["name"] not in directions:
            direction = Direction(tenant_id=tenant.id, name=row["name"], clause=row.get("clause", ""),
                                  position=position)
            db.session.add(direction)
            directions[direction.name] = direction
    db.session.flush()
    return directions


def _functions(tenant, rows, directions, kinds) -> None:
    existing = {(f.direction_id, f.body_kind_id, f.clause, f.text) for f in _existing(Function, tenant)}
    for position, row in enumerate(rows, start=1):
        direction = directions.get(row["direction"])
        if direction is None:
            raise PresetError(f"function {row.get('clause')}: unknown direction {row['direction']}")
        kind = None
        if row.get("body_kind"):
            kind = kinds.get(row["body_kind"])
            if kind is None:
                raise PresetError(f"function {row.get('clause')}: unknown body kind {row['body_kind']}")
        key = (direction.id, kind.id if kind else None, row.get("clause", ""), row["text"])
        if key in existing:
            continue
        existing.add(key)
        db.session.add(Function(tenant_id=tenant.id, direction=direction, body_kind=kind,
                                clause=row.get("clause", ""), text=row["text"], position=position))


def _forms(tenant, rows) -> None:
    names = {f.name for f in _existing(WorkForm, tenant)}
    for position, row in enumerate(rows, start=1):
        if row["name"] not in names:
            names.add(row["name"])
            db.session.add(WorkForm(tenant_id=tenant.id, name=row["name"], position=position))
