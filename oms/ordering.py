"""Rows a user puts in order by hand (directions, their functions, agenda items): a `position` each."""
from sqlalchemy import update

from .audit import record
from .extensions import db


def move(row, siblings, way: str | None) -> None:
    """Move `row` one step among `siblings` (a select of its model that includes it): up for "up", else down.

    The positions become 1..n in the new order, committed. Nothing changes when `row` is already
    first (or last) and cannot go further.

    The order is not the row's content: positions are written without touching a versioned row's version,
    so an edit form open on a moved row still saves (oms.concurrency), and two moves at once cannot make
    each other stale. The audit entries the flush hook would write are written here.
    """
    model = type(row)
    rows = db.session.scalars(siblings.order_by(model.position, model.id)).all()
    index = rows.index(row)
    other = index - 1 if way == "up" else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, item in enumerate(rows, start=1):
        if item.position != position:
            record("update", item, summary=str(item.audit_label or ""), changes={"position": [item.position, position]})
            db.session.execute(update(model).where(model.id == item.id, model.tenant_id == item.tenant_id)
                               .values(position=position))
    db.session.commit()
