"""The district's calendar: everything dated, from every section; the user's subscription link."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("calendar", __name__, url_prefix="/calendar")

from . import routes  # noqa: E402,F401
