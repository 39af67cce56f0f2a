"""/api/docs: interactive API documentation served entirely from this app (works offline)."""
from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.get("/api/docs")
def docs():
    return render_template("api_docs.html")
