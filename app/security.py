"""Response headers that keep pages from being framed, sniffed or made to run foreign script."""
from flask import Flask
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


SECURITY_HEADERS = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]
TLS_HEADERS = [*SECURITY_HEADERS, ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")]
SECURE_SCHEMES = {"https", "wss"}


# Not Flask-Talisman: it rebuilds the policy text in an after_request hook on every response, has no
# Cross-Origin-Opener-Policy, and overwrites headers a response sets itself; this adds fixed headers.
class SecurityHeaders:
    """WSGI middleware: every response (pages, API, static files, errors) gets the headers it does
    not set itself. Added to the header list the server receives, they cost a fraction of what an
    after_request hook working on each response's header object does."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        wanted = TLS_HEADERS if environ.get("wsgi.url_scheme") in SECURE_SCHEMES else SECURITY_HEADERS

        def start_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(header for header in wanted if header[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with no cookie work for requests that never use the session
    (every API call and most page views): a new empty session needs no signature check, and one
    that was never read or written needs no cookie and no Vary header. Measured (issue 11): ~25 us of
    a hot payment request (a tenth), the margin of bench/pages.py's 60%-of-bare-Flask goal."""

    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if session or session.modified or session.accessed:
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    # Flask's defaults already hold SESSION_COOKIE_SAMESITE = None, which setdefault would keep.
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.session_interface = CookieSessions()
    # Inside ProxyFix (which create_app wraps around it later), so a proxy's https is seen.
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
