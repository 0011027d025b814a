"""School councils, pedagogical councils, the resource centre: members, meetings, agenda, attendance,
decisions and minutes — the council's screens (blueprints/council/screens.py), registered for these bodies."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("bodies", __name__, url_prefix="/bodies")

from . import routes  # noqa: E402,F401
