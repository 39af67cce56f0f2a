"""Every error under /api answers JSON with an `errors` object naming the field; never a 500 for client input."""
from http import HTTPStatus

from flask import Flask, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from app.lookup_errors import LookupFailed


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_body(status: int, message: str, errors: dict) -> tuple:
    """The shape flask-smorest documents for errors: code, status name, message, errors by field."""
    return jsonify({"code": status, "status": HTTPStatus(status).phrase, "message": message, "errors": errors}), status


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if not wants_json():
        return render_template("error.html", status=status, message=error.description), status
    data = getattr(error, "data", {}) or {}
    errors = data.get("messages") or data.get("errors") or {"request": [error.description or error.name]}
    return error_body(status, error.name, errors)


#: Endpoints that take a file (multipart or raw), not JSON.
FILE_ENDPOINTS = frozenset({"remittances.Remittances"})


def require_json_body():
    """A body the API cannot read is refused as such (415), not guessed at."""
    if (request.path.startswith("/api/v1/") and request.method in {"POST", "PUT", "PATCH"}
            and request.mimetype != "application/json" and request.endpoint not in FILE_ENDPOINTS):
        abort(415, description="Send the body as JSON with Content-Type: application/json.")


def handle_lookup_failed(error: LookupFailed):
    if not wants_json():
        return render_template("error.html", status=error.status, message=error.message), error.status
    return error_body(error.status, error.message, {error.field: [error.message]})


def init_app(app: Flask) -> None:
    # Registered after flask-smorest's own handler, so this one is the one used.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(LookupFailed, handle_lookup_failed)
    app.before_request(require_json_body)
