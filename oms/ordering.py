"""Rows a user puts in order by hand (directions, their functions, agenda items): a `position` each."""
from .extensions import db


def move(row, siblings, way: str | None) -> None:
    """Move `row` one step among `siblings` (a select of its model that includes it): up for "up", else down.

    The positions become 1..n in the new order, committed. Nothing changes when `row` is already
    first (or last) and cannot go further.
    """
    model = type(row)
    rows = db.session.scalars(siblings.order_by(model.position, model.id)).all()
    index = rows.index(row)
    other = index - 1 if way == "up" else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, item in enumerate(rows, start=1):
        item.position = position
    db.session.commit()
