"""Events of the service: seminars, master classes, conferences…; registration, attendance, certificates."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("events", __name__, url_prefix="/events")

from . import evidence, routes  # noqa: E402,F401
