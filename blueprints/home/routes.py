from flask import render_template

from oms.permissions import require

from . import bp


@bp.route("/")
def index():
    require("district.view")
    return render_template("home/index.html")
