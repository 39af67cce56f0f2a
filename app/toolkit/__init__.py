"""The Revenue Protection Toolkit: a free PDF per code and for the whole catalog, cached per aggregate version."""
from flask import Blueprint

bp = Blueprint("toolkit", __name__)


from app.toolkit import views  # noqa: E402,F401  (routes attach to bp)
