"""Small helpers shared by the views."""
import threading
import weakref

from flask import current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm.exc import StaleDataError

from .extensions import db
from .references import references, refusal


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


class RowPagination(Pagination):
    """`db.paginate` for a select of columns: the page's items are whole rows (db.paginate keeps only the first
    column of each), counted the same way. `params`: the select's bound values (a select built once)."""

    def _query_items(self) -> list:
        stmt = _paged(self._query_args["select"])[0]
        return db.session.execute(stmt, {**self._query_args["params"], "page_limit": self.per_page,
                                         "page_offset": self._query_offset}).all()

    def _query_count(self) -> int:
        return db.session.scalar(_paged(self._query_args["select"])[1], self._query_args["params"])


# A select → (its page with the limit and offset bound, its count): made once for a select that lives long (built
# once for the process), so their cache keys are computed once, not on every page shown.
_PAGED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_PAGED_LOCK = threading.Lock()


def _paged(stmt):
    paged = _PAGED.get(stmt)
    if paged is None:
        paged = (stmt.limit(bindparam("page_limit")).offset(bindparam("page_offset")),
                 select(func.count()).select_from(stmt.order_by(None).subquery()))
        with _PAGED_LOCK:
            _PAGED[stmt] = paged
    return paged


def paginate_rows(stmt, page: int, per_page: int, params: dict | None = None) -> RowPagination:
    """A page of a select's rows (an out-of-range page is empty, as with db.paginate(error_out=False))."""
    return RowPagination(select=stmt, page=page, per_page=per_page, error_out=False, params=params or {})


def render_page_or_partial(page_template: str, partial: str, **context):
    """The full page, or only its partial for an htmx request aimed at it."""
    # A history restore (the back button) asks for the whole page again.
    if is_htmx() and not request.headers.get("HX-Boosted") and not request.headers.get("HX-History-Restore-Request"):
        return render_template(partial, **context)
    return render_template(page_template, **context)


def external_url(endpoint: str, **values) -> str:
    """A full URL for outside the site (a link in a mail, a one-time link): on OMS_BASE_URL when configured,
    never on a Host header a client chose; without it (development) on the request's host."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def message_page(message, status: int):
    """An answer that is only a message: the error page, or its fragment for htmx (static/js/app.js shows it)."""
    template = "errors/_message.html" if is_htmx() else "errors/error.html"
    return render_template(template, code=status, message=message), status


def delete_unless_referenced(obj, name: str, done: str, respond, ignore: tuple[str, ...] = (), before_delete=None):
    """Delete `obj` unless other rows still point at it (oms.references); answer through `respond`.

    Refused: nothing changes and the answer is respond(422, error=<why>); deleted: respond().
    A full page (not htmx) gets the refusal, or `done`, as a flash message too. `before_delete`
    removes the rows that go with `obj` (the tables `ignore` leaves out of the check).
    """
    refs = references(obj, ignore)
    if refs:
        message = refusal(name, refs)
        if not is_htmx():
            flash(message, "error")
        return respond(422, error=message)
    if before_delete:
        before_delete()
    db.session.delete(obj)
    try:
        db.session.commit()
    except StaleDataError:  # a versioned row saved by someone else meanwhile: its DELETE … WHERE version = ? missed
        db.session.rollback()
        message = _("Пока вы удаляли, запись изменил другой пользователь: ничего не удалено. Обновите страницу и "
                    "проверьте, нужно ли её удалять.")
        if not is_htmx():
            flash(message, "error")
        return respond(409, error=message)
    if not is_htmx():
        flash(done, "success")
    return respond()
