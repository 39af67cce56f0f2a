"""Response headers that keep pages from being framed, sniffed or made to run foreign script."""
from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # Swagger UI and Chart.js set style attributes; no inline script is ever allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
TLS_HEADERS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}


def add_security_headers(response):
    headers = response.headers
    wanted = SECURITY_HEADERS | TLS_HEADERS if request.is_secure else SECURITY_HEADERS
    # A view may set its own value for any of these; only the missing ones are added.
    present = {name.lower() for name in headers.keys()}
    headers.extend((name, value) for name, value in wanted.items() if name.lower() not in present)
    return response


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building a signer for requests that carry no session
    cookie (every API call and most page views): a new empty session needs no signature check."""

    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.session_interface = CookieSessions()
    app.after_request(add_security_headers)
