"""Follow a code: an Atom feed of the moments its dashboard says something new."""
from flask import Blueprint

bp = Blueprint("following", __name__)

from app.following import views  # noqa: E402,F401  (routes attach to bp)
