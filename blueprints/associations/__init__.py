"""Associations (МО, ШМО, ММО, городские и творческие группы): list, page, members, meetings, decisions."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("associations", __name__, url_prefix="/associations")

from . import routes  # noqa: E402,F401
