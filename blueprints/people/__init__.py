"""The district's people: teachers and the authority's specialists, with spreadsheet import and export."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("people", __name__, url_prefix="/people")

from . import imports, pick, routes  # noqa: E402,F401
