from flask import Blueprint

bp = Blueprint("precheck", __name__)

from app.precheck import views  # noqa: E402,F401  (registers the routes)
