"""HTTP details the README and the OpenAPI document promise: SameSite cookies, Allow on a 405."""
import pytest

from app.client_input import CLEAN_TEXT_PATTERN
from app.payment.formula import KNOWN_MODIFIERS


def test_session_cookie_is_samesite_lax_and_httponly(app_with):
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" in cookie


def test_a_request_that_never_uses_the_session_gets_no_cookie(app, client):
    from app.security import CookieSessions

    assert isinstance(app.session_interface, CookieSessions)  # the shipped interface
    response = client.get("/api/v1/codes/20553/payment")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    client.set_cookie("session", "not-a-signed-session")  # a cookie is still read, and a bad one ignored
    assert client.get("/login").status_code == 200


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


def test_openapi_document_states_the_rules_the_api_enforces(client):
    spec = client.get("/api/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert [rule["required"] for rule in schemas["Report"]["anyOf"]] == [["carc"], ["denial_category"]]
    assert schemas["AppealUpdate"]["minProperties"] == 1
    assert "" in schemas["Report"]["properties"]["setting"]["enum"], "a blank optional field is read as absent"
    assert "" not in schemas["AppealUpdate"]["properties"]["appeal_outcome"]["enum"]
    assert schemas["Report"]["properties"]["narrative"]["pattern"] == CLEAN_TEXT_PATTERN
    assert schemas["Report"]["properties"]["rarc"]["items"]["pattern"] == CLEAN_TEXT_PATTERN
    assert "NUL" in spec["info"]["description"] and "surrogate" in spec["info"]["description"]
    (modifiers,) = [p for p in spec["paths"]["/api/v1/codes/{code}/payment"]["get"]["parameters"] if p.get("name") == "modifiers"]
    assert set(modifiers["schema"]["items"]["enum"]) == KNOWN_MODIFIERS


def test_what_the_document_says_is_what_the_api_does(client):
    response = client.post("/api/v1/reports", json={"code": "20553", "payer_type": "medicare"})
    assert response.status_code == 422 and "carc" in response.json["errors"]["json"]
    response = client.post("/api/v1/reports", json={"code": "20553", "payer_type": "medicare", "denial_category": "bundling",
                                                    "setting": "", "rarc": None}, environ_base={"REMOTE_ADDR": "10.7.7.7"})
    assert response.status_code == 201, response.json
    response = client.patch(f"/api/v1/reports/{response.json['receipt']}", json={})
    assert response.status_code == 422
    assert client.get("/api/v1/codes/20553/payment?modifiers=zz").status_code == 422
