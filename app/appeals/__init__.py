from flask import Blueprint

bp = Blueprint("appeals", __name__)

from app.appeals import views  # noqa: E402,F401  (registers the routes)
