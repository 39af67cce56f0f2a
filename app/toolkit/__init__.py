"""The Revenue Protection Toolkit: a free PDF per code and for the whole catalog, cached per aggregate version."""
from flask import Blueprint

from app.extensions import limiter

bp = Blueprint("toolkit", __name__)
# A cached download is a file read, like a static file (which Flask-Limiter exempts too); a build
# happens at most once per code and data change, under a per-code lock.
limiter.exempt(bp)

from app.toolkit import views  # noqa: E402,F401  (routes attach to bp)
