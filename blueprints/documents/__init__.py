"""Documents of the service and the bank of pedagogical information: documents with their files and versions,
the district's required-documents checklist, the inventory (опись) as XLSX."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("documents", __name__, url_prefix="/documents")

from . import news, routes  # noqa: E402,F401
