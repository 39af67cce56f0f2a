"""The 835 import pages: upload, review the extracted denials, submit them, keep the receipts."""
from flask import Blueprint

bp = Blueprint("remittance_import", __name__, url_prefix="/remittances")

from app.remittance_import import views  # noqa: E402,F401  (routes attach to bp)
