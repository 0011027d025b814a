"""Plan items and their evidence: link activities of any kind, see what they report, follow their moves."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("evidence", __name__, url_prefix="/evidence")

from . import routes  # noqa: E402,F401
