"""The person picker's search: a few of the district's people matching what was typed (see oms/picker.py)."""
from blueprints.pick import options

from . import bp


@bp.route("/pick")
def pick():
    """GET ?pick_q=…&school=<id listed first>&exclude=1,2&chosen=3: at most 20 options, one query."""
    return options("person")
