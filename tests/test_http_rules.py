"""HTTP details the README and the OpenAPI document promise: SameSite cookies, Allow on a 405."""
import pytest


def test_session_cookie_is_samesite_lax_and_httponly(app_with):
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" in cookie


@pytest.mark.parametrize(("method", "url", "allowed"), [
    ("DELETE", "/api/v1/reports", {"POST", "OPTIONS"}),
    ("PUT", "/api/v1/codes/20553", {"GET", "HEAD", "OPTIONS"}),
    ("POST", "/codes/20553", {"GET", "HEAD", "OPTIONS"}),
    ("GET", "/reports/1/flag", {"POST", "OPTIONS"}),
])
def test_method_not_allowed_names_the_allowed_methods(client, method, url, allowed):
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed
    if url.startswith("/api/"):
        assert "errors" in response.json
    else:
        assert response.mimetype == "text/html"
