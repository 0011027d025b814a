from flask import Blueprint, jsonify
from sqlalchemy import text

from oms.extensions import csrf, db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@csrf.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
        db.session.rollback()
    except Exception:  # any failure to reach the database
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
