"""The district's council(s): members and roles, composition order, meetings, decisions, minutes."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("council", __name__, url_prefix="/council")

from . import composition, evidence, routes  # noqa: E402,F401
