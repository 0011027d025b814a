"""Directions of activity and the functions of each, the body-kind × direction matrix, and who performs what."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("directions", __name__, url_prefix="/directions")

from . import routes, work  # noqa: E402,F401
