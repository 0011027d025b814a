from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("plan", __name__, url_prefix="/plans")

from . import documents, routes  # noqa: E402,F401
