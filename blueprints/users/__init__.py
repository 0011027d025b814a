from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("users", __name__, url_prefix="/users")

from . import accounts, routes  # noqa: E402,F401
