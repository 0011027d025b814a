"""The pickers' search (oms/picker.py): a few of the district's records of one kind matching what was typed."""
from flask import abort, render_template, request

from oms.permissions import require
from oms.picker import KINDS, ids_of
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("pick", __name__, url_prefix="/pick")


@bp.before_request
def district_members_only():
    require("district.view")


@bp.route("/<pick_kind>")
def options(pick_kind: str):
    """GET ?pick_q=…&exclude=1,2&chosen=3&<the kind's params>: at most LIMIT options of the kind, one query."""
    kind_ = KINDS.get(pick_kind)
    if kind_ is None:
        abort(404)
    query = (request.args.get("pick_q") or "").strip()[:200]
    rows, more = [], False
    if query:
        skip = ids_of(request.args.get("exclude", "")) | ids_of(request.args.get("chosen", ""))
        params = {name: request.args.get(name, "")[:200] for name in kind_.params}
        rows, more = kind_.search(query, params, skip)
    return render_template("_pick_options.html", kind=kind_, rows=rows, more=more, query=query)
