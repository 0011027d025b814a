"""The consultation journal (журнал учёта консультаций), consultation days with slots, the category catalogue."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("consultations", __name__, url_prefix="/consultations")

from . import catalogue, evidence, routes, slots  # noqa: E402,F401
