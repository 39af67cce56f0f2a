"""The Revenue Protection Toolkit: a free PDF per code and for the whole catalog, cached per aggregate version."""
from flask import Blueprint, request

from app.extensions import limiter

bp = Blueprint("toolkit", __name__)


@limiter.request_filter
def toolkit_is_not_rate_limited() -> bool:
    """Like static files (which Flask-Limiter skips too), toolkit pages and downloads carry no rate limit:
    a cached download is a file read, and a PDF is built at most once per code and data change, under
    a lock. A request filter skips the limiter's whole evaluation, where `exempt` would still run it."""
    return request.blueprint == "toolkit"


from app.toolkit import views  # noqa: E402,F401  (routes attach to bp)
