"""The district's organisation: the org chart, body kinds and the district's own terms."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("structure", __name__, url_prefix="/structure")

from . import routes, settings  # noqa: E402,F401
