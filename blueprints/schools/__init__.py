"""The district's educational organisations: schools, kindergartens, additional education."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("schools", __name__, url_prefix="/schools")

from . import routes  # noqa: E402,F401
