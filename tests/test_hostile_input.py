"""What an attacker sends answers a 4xx with the API's JSON error or an HTML error page, never a 500:
lone surrogates and NUL in every kind of text (JSON, forms, query strings, path segments), deeply
nested JSON, out-of-range integers. Run on both databases (`--database=postgresql`): PostgreSQL
refuses NUL in text where SQLite stored it."""
import itertools
import json
import re
from urllib.parse import unquote_to_bytes, urlencode

import pytest
import sqlalchemy as sa

from app.client_input import CLEAN_TEXT_PATTERN, MAX_JSON_DEPTH, is_clean_text, json_too_deep, parse_int
from app.extensions import db
from app.reports.models import DenialReport
from tests.conftest import make_app

VALID = {
    "code": "20553", "modifiers": ["25"], "units": 1, "payer_type": "medicare", "payer_name": "Novitas",
    "state": "TX", "setting": "non_facility", "place_of_service": "11", "group_code": "CO", "carc": "97",
    "rarc": ["N56"], "denial_category": "bundling", "denial_month": "2026-08", "denied_amount": "58.55",
    "narrative": "Denied CO-97 as included in 99214.", "appeal_strategy": "reconsideration",
    "appeal_outcome": "pending", "days_to_resolution": 12,
}
BAD_TEXTS = {"surrogate": "\ud800", "low-surrogate": "x\udfff", "half-emoji": "Aetna \ud83d", "nul": "\x00",
             "nul-inside": "CO-97\x00", "both": "\x00\ud800"}
# Query strings and paths arrive as bytes: what can be sent there is a NUL and invalid UTF-8.
BAD_FORM_VALUES = {"nul": "\x00", "nul-inside": "CO-97\x00", "surrogate-bytes": b"\xed\xa0\x80", "invalid-utf8": b"a\xff\xfe"}
BAD_QUERY_VALUES = {"nul": "%00", "nul-inside": "20%0053", "surrogate-bytes": "%ED%A0%80", "nul-and-text": "a%00%ff"}
REPORT_TEXT_FIELDS = ("code", "payer_type", "payer_name", "state", "setting", "place_of_service", "group_code",
                      "carc", "denial_category", "denial_month", "denied_amount", "narrative", "appeal_strategy",
                      "appeal_outcome", "appeal_notes")
APPEAL_TEXT_FIELDS = ("appeal_strategy", "appeal_outcome", "appeal_notes")
FORM = {"payer_type": "medicare", "group_code": "CO", "carc": "97", "rarc": "N56", "modifiers": "25",
        "narrative": "Bundled into the office visit.", "denial_month": "2026-08", "units": "1"}
DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
HUGE = "99999999999999999999999"


def case(method, url, *, body=None, raw=None, form=None, api=None, content_type="application/json", wsgi_path=False):
    """One hostile request; `api` says whether the answer is the JSON error or an HTML page.
    `wsgi_path`: the path's bytes reach the app as a WSGI server passes them (Werkzeug's test
    client would decode invalid UTF-8 to U+FFFD first)."""
    return {"method": method, "url": url, "body": body, "raw": raw, "form": form, "content_type": content_type,
            "wsgi_path": wsgi_path,
            "api": url.startswith("/api/") if api is None else api}


def report_bodies():
    for (name, text), field in itertools.product(BAD_TEXTS.items(), REPORT_TEXT_FIELDS):
        yield f"report-{field}-{name}", case("POST", "/api/v1/reports", body=VALID | {field: text})
    for (name, text), field in itertools.product(BAD_TEXTS.items(), ("modifiers", "rarc")):
        yield f"report-{field}-item-{name}", case("POST", "/api/v1/reports", body=VALID | {field: ["25", text]})
    for name, text in BAD_TEXTS.items():
        yield f"report-key-{name}", case("POST", "/api/v1/reports", body=VALID | {text: "x"})
    yield "report-invalid-utf8", case("POST", "/api/v1/reports", raw=b'{"code": "\xed\xa0\x80"}')
    yield "report-deep-array", case("POST", "/api/v1/reports", raw=DEEP_ARRAY.encode())
    yield "report-deep-object", case("POST", "/api/v1/reports", raw=DEEP_OBJECT.encode())
    yield "report-deep-inside-field", case("POST", "/api/v1/reports",
                                           raw=json.dumps(VALID)[:-1].encode() + b', "rarc": ' + DEEP_ARRAY.encode() + b"}")
    yield "report-not-json", case("POST", "/api/v1/reports", raw=b"{'code': 1")
    for name, value in {"array": [], "string": "20553", "null": None, "number": 7}.items():
        yield f"report-body-{name}", case("POST", "/api/v1/reports", raw=json.dumps(value).encode())
    numbers = {"units": 10**30, "days_to_resolution": -(10**30), "denied_amount": "1e999999999",
               "denied_amount-nan": "NaN", "denied_amount-inf": "-Infinity", "denied_amount-float": 1e300}
    for name, value in numbers.items():
        yield f"report-number-{name}", case("POST", "/api/v1/reports", body=VALID | {name.split("-")[0]: value})
    yield "report-infinity-literal", case("POST", "/api/v1/reports", raw=json.dumps(VALID).replace("12", "1e400").encode())
    for name, value in {"code-int": {"code": 20553}, "modifiers-dict": {"modifiers": {"a": 1}},
                        "rarc-string": {"rarc": "N56"}, "units-string": {"units": "1"}}.items():
        yield f"report-type-{name}", case("POST", "/api/v1/reports", body=VALID | value)


def appeal_bodies():
    for (name, text), field in itertools.product(BAD_TEXTS.items(), APPEAL_TEXT_FIELDS):
        yield f"appeal-{field}-{name}", case("PATCH", "/api/v1/reports/{receipt}", body={field: text})
    yield "appeal-deep", case("PATCH", "/api/v1/reports/{receipt}", raw=DEEP_ARRAY.encode())
    yield "appeal-empty", case("PATCH", "/api/v1/reports/{receipt}", body={})
    yield "appeal-huge-days", case("PATCH", "/api/v1/reports/{receipt}", body={"days_to_resolution": 10**30})
    yield "appeal-receipt-nul", case("PATCH", "/api/v1/reports/%00", body={"appeal_outcome": "won"})


def query_strings():
    queries = {
        "/api/v1/codes": ("q",), "/codes": ("q",),
        "/api/v1/codes/20553/payment": ("year", "locality", "setting", "modifiers"),
        "/api/v1/codes/20553/dashboard": ("payer_type", "state"),
        "/codes/20553": ("year", "locality", "modifiers"), "/codes/20553/estimate": ("year", "locality", "modifiers"),
        "/api/v1/reference/carc": ("q",), "/toolkit": ("code",),
    }
    for (url, names), (name, value) in itertools.product(queries.items(), BAD_QUERY_VALUES.items()):
        for parameter in names:
            yield f"query-{url}-{parameter}-{name}", case("GET", f"{url}?{parameter}={value}")
        yield f"query-{url}-key-{name}", case("GET", f"{url}?{value}=1")
    for url in ("/codes/20553", "/codes/20553/estimate", "/api/v1/codes/20553/payment"):
        for value in (HUGE, "-" + HUGE, "%C2%B2", "1e3", "2026.0"):
            yield f"integer-{url}-{value}", case("GET", f"{url}?year={value}")


def path_segments():
    pages = ("/codes/{}", "/codes/{}/estimate", "/codes/{}/report", "/codes/{}/toolkit.pdf",
             "/api/v1/codes/{}", "/api/v1/codes/{}/payment", "/api/v1/codes/{}/dashboard")
    for page, (name, value) in itertools.product(pages, BAD_QUERY_VALUES.items()):
        yield f"path-{page}-{name}", case("GET", page.format(value), wsgi_path=True)
    yield "path-flag-huge-id", case("POST", f"/reports/{HUGE}/flag", form={"reason": "phi"})


def form_fields():
    for (name, text), field in itertools.product(BAD_FORM_VALUES.items(), (*FORM, "payer_name", "appeal_notes", "state")):
        yield f"form-report-{field}-{name}", case("POST", "/codes/20553/report", form=FORM | {field: text})
    yield "form-report-superscript-units", case("POST", "/codes/20553/report", form=FORM | {"units": "²"})
    yield "form-report-huge-units", case("POST", "/codes/20553/report", form=FORM | {"units": HUGE})
    for (name, text), field in itertools.product(BAD_FORM_VALUES.items(), ("receipt", "appeal_notes", "days_to_resolution")):
        yield f"form-update-{field}-{name}", case("POST", "/reports/update", form={"appeal_outcome": "won", field: text})
    yield "form-raw-bytes", case("POST", "/reports/update", raw=b"receipt=\xed\xa0\x80&appeal_outcome=won",
                                 content_type="application/x-www-form-urlencoded")
    yield "form-update-no-receipt", case("POST", "/reports/update", form={"appeal_outcome": "won"})
    for name, text in BAD_FORM_VALUES.items():
        yield f"form-login-{name}", case("POST", "/login", form={"username": text, "password": text})
        yield f"form-flag-{name}", case("POST", "/reports/1/flag", form={"reason": text})


GROUPS = {"report": report_bodies, "appeal": appeal_bodies, "query": query_strings, "path": path_segments,
          "form": form_fields}


@pytest.fixture(scope="module")
def hostile_client(databases, loaded_template, tmp_path_factory):
    """One app and database for the whole list (an app per request would make this module the suite's slowest)."""
    with databases.copied(loaded_template) as url:
        app = make_app(url, tmp_path_factory.mktemp("instance"))
        with app.app_context():
            yield app.test_client()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def receipt(hostile_client):
    response = hostile_client.post("/api/v1/reports", json=VALID, environ_base={"REMOTE_ADDR": "10.255.0.1"})
    assert response.status_code == 201, response.json
    return response.json["receipt"]


def send(client, request, receipt, address):
    kwargs = {"environ_base": {"REMOTE_ADDR": address}}
    if request["wsgi_path"]:
        kwargs["environ_overrides"] = {"PATH_INFO": unquote_to_bytes(request["url"]).decode("latin-1")}
    if request["body"] is not None or request["raw"] is not None:
        kwargs |= {"data": request["raw"] if request["raw"] is not None else json.dumps(request["body"]),
                   "content_type": request["content_type"]}
    elif request["form"] is not None:
        # Sent as bytes: a browser can send any byte, but no client can encode a lone surrogate.
        kwargs |= {"data": urlencode(request["form"]), "content_type": "application/x-www-form-urlencoded"}
    return client.open(request["url"].format(receipt=receipt), method=request["method"], **kwargs)


def wrong_answer(request, response) -> str | None:
    """What is wrong with the answer to a hostile request, or None."""
    if not 400 <= response.status_code < 500 or response.status_code == 429:
        return f"{response.status_code} {response.data[:200]!r}"
    if request["api"] and not (response.is_json and "errors" in response.json):
        return f"not the API's JSON error: {response.data[:200]!r}"
    if not request["api"] and response.mimetype != "text/html":
        return f"not an HTML page: {response.mimetype}"
    return None


def test_the_list_is_longer_than_the_issue_counted():
    assert sum(len(list(group())) for group in GROUPS.values()) > 195


@pytest.mark.parametrize("group", GROUPS)
def test_every_hostile_request_answers_4xx_with_its_error_shape(hostile_client, receipt, group):
    client = hostile_client
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(DenialReport))
    wrong = {}
    for number, (name, request) in enumerate(GROUPS[group]()):
        # A different address per request: the per-contributor rate limit must not answer in their place.
        response = send(client, request, receipt, f"10.{number // 250}.{number % 250}.9")
        if problem := wrong_answer(request, response):
            wrong[name] = problem
    assert wrong == {}
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DenialReport)) == stored, "a hostile report was stored"


def test_refusals_name_where_the_bad_text_was(client):
    response = client.post("/api/v1/reports", json=VALID | {"narrative": "ok \ud800"})
    assert response.status_code == 400
    assert response.json["errors"] == {"json": {"narrative": ["Send well-formed Unicode text without NUL characters."]}}
    response = client.post("/api/v1/reports", data=DEEP_ARRAY, content_type="application/json")
    assert response.status_code == 400 and "nested" in response.json["errors"]["json"][0]
    response = client.get("/api/v1/codes?q=%00")
    assert response.status_code == 400 and list(response.json["errors"]["query"]) == ["q"]
    response = client.get(f"/codes/20553?year={HUGE}")
    assert response.status_code == 400 and "year must be a whole number from 1990 to 2100" in response.get_data(as_text=True)


def test_ordinary_unicode_still_passes(client):
    response = client.post("/api/v1/reports", json=VALID | {"payer_name": "Médica 😀", "narrative": "Señal: 🩺 bundled"},
                           environ_base={"REMOTE_ADDR": "10.8.8.8"})
    assert response.status_code == 201, response.json
    assert client.get("/codes?q=m%C3%A9dica").status_code == 200
    assert client.get("/codes/20553?year=2026").status_code == 200


@pytest.mark.parametrize(("text", "clean"), [("ok", True), ("é😀", True), ("", True), ("\ufffd", True), ("\x00", False),
                                            ("\ud800", False), ("a\udfffb", False), ("\ud83d\ude00", False)])
def test_clean_text(text, clean):
    assert is_clean_text(text) is clean
    # The document's pattern states the NUL; lone surrogates are in its description (no ECMA-262 pattern can).
    if not re.search("[\ud800-\udfff]", text):
        assert (re.fullmatch(CLEAN_TEXT_PATTERN, text) is not None) is clean, "the OpenAPI document says otherwise"


@pytest.mark.parametrize(("raw", "deep"), [
    (b"[]", False), (b'{"a": [[1]]}', False), (b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH, False),
    (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), True), (DEEP_OBJECT.encode(), True),
    # Brackets inside strings (escaped quotes included) are text, not nesting.
    (json.dumps({"narrative": "[" * 500 + '\\"' + "{" * 500}).encode(), False),
    (b"[" * 40, True),
])
def test_json_depth(raw, deep):
    assert json_too_deep(raw) is deep


@pytest.mark.parametrize(("text", "number"), [("2026", 2026), ("-3", -3), ("0", 0), ("²", None), ("1e3", None),
                                              (HUGE, None), ("", None), ("-", None), ("+5", None), ("٣", None)])
def test_parse_int(text, number):
    assert parse_int(text, -10, 5000) == number


def test_an_api_query_parameter_given_twice_is_a_400(client):
    response = client.get("/api/v1/codes/20553/payment?year=2025&year=2026")
    assert response.status_code == 400 and "year" in response.json["errors"]["query"]
    assert client.get("/api/v1/codes/20553/payment?year=2025&modifiers=26,51").status_code in (200, 422)
