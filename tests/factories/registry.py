"""Factories for the registry's URL arguments (schools and people reuse core's school_id / person_id)."""
from oms.extensions import db
from oms.models import ImportBatch

from . import route_arg
from .core import user_in


@route_arg("import_batch_id")
def import_batch_in(tenant, user=None, **kw):
    user = user or user_in(tenant, role="methodist")
    batch = ImportBatch(tenant_id=tenant.id, created_by_id=user.id, filename=kw.pop("filename", "педагоги.xlsx"),
                        header=kw.pop("header", ["ФИО", "ОО"]), rows=kw.pop("rows", [[2, ["Иванова Анна Петровна", "СОШ № 1"]]]),
                        mapping=kw.pop("mapping", {"0": "full_name", "1": "school"}), **kw)
    db.session.add(batch)
    db.session.flush()
    return batch
