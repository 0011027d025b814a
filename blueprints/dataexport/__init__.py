from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("dataexport", __name__, url_prefix="/export")

from . import routes  # noqa: E402,F401
