"""The pieces every model shares: timestamps, search keys and the district scope."""
from datetime import datetime, timezone

from flask import abort
from sqlalchemy import DDL, ForeignKey, String, bindparam, event, select
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from ..current import current_tenant_id
from ..extensions import db
from ..text import fold


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Searchable:
    """Keeps `search_key`, a folded copy of the text people search by.

    SQLite folds only ASCII, so Cyrillic search compares this key, filled the
    same way on every database (see oms.text.fold).
    """

    search_key: Mapped[str] = mapped_column(String(600), default="", index=True)

    def search_text(self) -> str:
        raise NotImplementedError


TRIGRAM_INDEX = {"postgresql_using": "gin", "postgresql_ops": {"search_key": "gin_trgm_ops"}}


# create_all (tests, a fresh database without migrations) needs the extension before those indexes.
event.listen(db.metadata, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


@event.listens_for(Searchable, "instrument_class", propagate=True)
def _trigram_search_index(mapper, cls):
    """On PostgreSQL the search key's index is a pg_trgm GIN index, which serves `LIKE '%word%'` (a btree
    never can); SQLite keeps a plain index on the folded key. Migration dd75d9e1daf8 builds them."""
    for index in mapper.local_table.indexes:
        if [column.name for column in index.columns] == ["search_key"]:
            index.dialect_kwargs.update(TRIGRAM_INDEX)


@event.listens_for(Session, "before_flush")
def _refresh_search_keys(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Searchable):
            obj.search_key = fold(obj.search_text())[:600]
            refresh = getattr(obj, "refresh_keys", None)
            if refresh:
                refresh()


def search_filter(model, query: str):
    """Every word of the query must occur in the row's search key."""
    words = fold(query).split()
    return [model.search_key.contains(word, autoescape=True) for word in words]


class DistrictLookup:
    """The one way views reach a district's rows: through the current district."""

    @classmethod
    def scoped(cls):
        return select(cls).where(cls.tenant_id == current_tenant_id())

    @classmethod
    def scoped_by_param(cls):
        """scoped() for a statement built once and run many times: the district is the bound parameter
        `tenant_id`, given when it runs (`execute(stmt, {"tenant_id": current_tenant_id(), ...})`)."""
        return select(cls).where(cls.tenant_id == bindparam("tenant_id"))

    @classmethod
    def get_or_404(cls, object_id):
        """The current district's object, or 404 (never 403: no hint it exists)."""
        try:
            object_id = int(object_id)
        except (TypeError, ValueError):
            abort(404)
        obj = db.session.scalar(cls.scoped().where(cls.id == object_id))
        if obj is None:
            abort(404)
        return obj


class TenantScoped(DistrictLookup):
    """A row owned by one district.

    Besides `scoped()` / `get_or_404()`, a filter on every ORM query while a
    district is current (oms.tenancy) and PostgreSQL row-level security back
    the scope up.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)

    @property
    def audit_label(self) -> str:
        return str(getattr(self, "name", "") or getattr(self, "title", "") or "")
