from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("home", __name__)

from . import routes  # noqa: E402,F401
