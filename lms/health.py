"""Health check for load balancers: 200 when the database answers, 503 otherwise."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from lms.db import get_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        get_session().execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
