"""Банк педагогического опыта: the catalogue of published practices, the workflow from a teacher's proposal through
expert review and the council's decision to publication, the rubric, exports and spreading."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("practices", __name__, url_prefix="/practices")

from . import reports, routes, spreading, workflow  # noqa: E402,F401
