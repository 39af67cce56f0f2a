"""Every error under /api answers JSON with an `errors` object naming the field; never a 500 for client input."""
from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from app.lookup_errors import LookupFailed


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_body(status: int, message: str, errors: dict) -> tuple:
    return jsonify({"status": status, "message": message, "errors": errors}), status


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if not wants_json():
        return render_template("error.html", status=status, message=error.description), status
    data = getattr(error, "data", {}) or {}
    errors = data.get("messages") or data.get("errors") or {"request": [error.description or error.name]}
    response = error_body(status, error.name, errors)
    if error.code == 429 and (headers := error.get_headers()):
        response[0].headers.extend([h for h in headers if h[0].lower() == "retry-after"])
    return response


def handle_lookup_failed(error: LookupFailed):
    if not wants_json():
        return render_template("error.html", status=error.status, message=error.message), error.status
    return error_body(error.status, error.message, {error.field: [error.message]})


def init_app(app: Flask) -> None:
    # Registered after flask-smorest's own handler, so this one is the one used.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(LookupFailed, handle_lookup_failed)
