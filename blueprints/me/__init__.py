"""«Моё»: anyone's own page — my associations, my plan items, the month's events, what is assigned to me.

A blueprint of its own (not part of «Мои объединения») so that the menu marks each page separately.
"""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("me", __name__, url_prefix="/me")

from . import routes  # noqa: E402,F401
