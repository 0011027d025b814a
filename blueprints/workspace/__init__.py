"""The own pages of association leaders («Мои объединения») and of every user («Моё»)."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("workspace", __name__)

from . import routes  # noqa: E402,F401
