from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("users", __name__, url_prefix="/users")

from . import routes  # noqa: E402,F401
