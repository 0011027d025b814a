"""Surveys (анкеты, мониторинг потребностей): the builder, answering (from «Моё» or a one-time link), results,
diagnostics turned into proposed deficits."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("surveys", __name__, url_prefix="/surveys")

from . import answer, results, routes  # noqa: E402,F401
