from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("audit", __name__, url_prefix="/audit")

from . import routes  # noqa: E402,F401
