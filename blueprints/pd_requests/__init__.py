"""Requests for professional development (заявки на ПК) and the сводная заявка to the district's PD institute."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("pd_requests", __name__, url_prefix="/pd-requests")

from . import routes  # noqa: E402,F401
