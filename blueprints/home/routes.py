from flask import render_template
from flask_login import current_user

from oms.permissions import require

from . import bp


def _dashboard_context() -> dict:
    """The home page's figures, queried here rather than from inside its template."""
    try:
        from blueprints.development import development_dashboard, my_development
    except ImportError:  # the development feature is not installed
        return {}
    context = {"board": development_dashboard()}
    if current_user.role in ("teacher", "leader"):
        context["mine"] = my_development()
    return context


@bp.route("/")
def index():
    require("district.view")
    return render_template("home/index.html", **_dashboard_context())
