"""The codes and reference API, on the shipped sample."""
import pytest

from tests.test_pages import every_kind  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    ("code", "query", "expected"),
    [
        ("20553", "", "58.55"),
        ("20553", "&setting=facility", "40.11"),
        ("20552", "", "50.78"),
        ("20552", "&setting=facility", "35.26"),
        ("20553", "&locality=10112-00", "53.29"),
        ("20553", "&locality=10112-00&setting=facility", "37.27"),
        ("20552", "&locality=10112-00", "46.26"),
        ("20552", "&locality=10112-00&setting=facility", "32.77"),
    ],
)
def test_payment_reproduces_cms_figures(client, code, query, expected):
    response = client.get(f"/api/v1/codes/{code}/payment?year=2025{query}")
    assert response.status_code == 200
    assert response.json["amount"] == expected
    assert response.json["conversion_factor"] == "32.3465"


def test_payment_defaults_to_latest_year_and_national(client):
    body = client.get("/api/v1/codes/20553/payment").json
    assert body["year"] == 2026 and body["locality"] is None
    assert body["conversion_factor"] == "33.4009"
    assert [c["name"] for c in body["components"]] == ["work", "practice_expense", "malpractice"]
    assert body["non_participating_amount"] and body["limiting_charge"]


def test_payment_professional_component_uses_its_row(client):
    whole = client.get("/api/v1/codes/77012/payment?year=2025").json
    professional = client.get("/api/v1/codes/77012/payment?year=2025&modifiers=26").json
    technical = client.get("/api/v1/codes/77012/payment?year=2025&modifiers=TC").json
    assert professional["row_modifier"] == "26"
    assert float(professional["amount"]) < float(whole["amount"])
    assert abs(float(professional["amount"]) + float(technical["amount"]) - float(whole["amount"])) <= 0.02


def test_payment_modifier_51_halves(client):
    full = client.get("/api/v1/codes/20553/payment?year=2025").json
    reduced = client.get("/api/v1/codes/20553/payment?year=2025&modifiers=51").json
    assert reduced["amount"] == "29.27" and full["amount"] == "58.55"
    assert reduced["adjustments"][0]["modifier"] == "51"


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/codes/99999/payment", 404, "code"),
        ("/api/v1/codes/20553/payment?year=1999", 404, "year"),
        ("/api/v1/codes/20553/payment?locality=99999-99", 404, "locality"),
        ("/api/v1/codes/20553/payment?locality=alabama", 422, "locality"),
        ("/api/v1/codes/20553/payment?modifiers=ZZ", 422, "modifiers"),
        ("/api/v1/codes/20553/payment?modifiers=26", 422, "modifiers"),
        ("/api/v1/codes/20553/payment?modifiers=26,TC", 422, "modifiers"),
    ],
)
def test_payment_errors_name_the_field(client, url, status, field):
    response = client.get(url)
    assert response.status_code == status
    errors = response.json["errors"]
    assert field in errors or field in errors.get("query", {})  # a lookup's error, or the query schema's


@pytest.mark.parametrize("query", ["setting=outpatient", "year=abc", "year=99999999999999999999"])
def test_payment_bad_query_is_422(client, query):
    response = client.get(f"/api/v1/codes/20553/payment?{query}")
    assert response.status_code == 422
    assert "query" in response.json["errors"]


@pytest.mark.parametrize("path", ["/api/v1/codes/20553/payment?locality=10112-00&modifiers=51", "/api/v1/codes/20553",
                                  "/api/v1/codes?q=arthrocentesis", "/api/v1/reference/carc"])
def test_reference_answers_may_be_kept_by_a_proxy_and_revalidated(client, path):
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.cache_control.public and first.cache_control.max_age == 300
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert again.cache_control.public and again.cache_control.max_age == 300
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_errors_are_not_kept_by_a_proxy(client):
    response = client.get("/api/v1/codes/99999/payment")
    assert response.status_code == 404 and "public" not in response.headers.get("Cache-Control", "")


def test_a_query_string_is_parsed_once_and_each_request_gets_its_own_arguments(app):
    from app.api.blueprint import Blueprint, QueryMemoParser
    from app.api.schemas import PaymentQuery

    assert isinstance(Blueprint.ARGUMENTS_PARSER, QueryMemoParser)  # what the API ships with
    parser, schema = QueryMemoParser(), PaymentQuery()
    with app.test_request_context("/any?modifiers=51,50&year=2025"):
        first = parser.parse(schema, location="query")
        first["modifiers"].append("26")
    with app.test_request_context("/any?modifiers=51,50&year=2025"):
        again = parser.parse(schema, location="query")
    assert again == {"modifiers": ["51", "50"], "year": 2025, "setting": "non_facility"}
    assert len(parser._parsed) == 1


def test_a_bad_query_string_is_refused_every_time(client):
    for _ in range(3):
        assert client.get("/api/v1/codes/20553/payment?year=abc").status_code == 422
    good = client.get("/api/v1/codes/20553/payment?year=2025")
    assert good.status_code == 200 and good.json["amount"] == "58.55"


def test_drug_code_is_not_priced_and_says_why(client):
    body = client.get("/api/v1/codes/J3301/payment").json
    assert body["payable"] is False and body["amount"] is None
    assert body["notes"]


def test_code_detail_has_catalog_tips_rvus_and_vintages(client):
    body = client.get("/api/v1/codes/20553").json
    assert body["code"] == "20553" and body["catalog"]["indications"]
    assert body["fee_schedule_year"] == 2026
    assert {row["modifier"] for row in body["rvus"]} == {""}
    assert body["national_payment"]["non_facility"] == "59.79"
    downcode = [tip for tip in body["billing_tips"] if tip["impact_amount"] and "20552" in (tip["impact_text"] or "")]
    assert downcode and downcode[0]["impact_amount"] == "8.02"  # 59.79 - 51.77, CY2026 national
    assert body["fee_schedule_vintage"]["file_name"].startswith("PPRRVU2026")
    assert (body["mue"]["max_units"], body["mue"]["adjudication_indicator"]) == (1, "2")
    assert body["mue_vintage"]["file_name"] == "MCR_MUE_PractitionerServices_Eff_04-01-2026_sample.csv"


def test_code_detail_unknown_and_malformed(client):
    assert client.get("/api/v1/codes/99999").status_code == 404
    assert client.get("/api/v1/codes/not-a-code").json["errors"]["code"]


def test_search_exact_code_first_and_words(client):
    results = client.get("/api/v1/codes?q=20553").json
    assert results[0]["code"] == "20553"
    words = client.get("/api/v1/codes?q=trigger point").json
    assert {"20552", "20553"} <= {r["code"] for r in words}
    assert client.get("/api/v1/codes?q=" + "x" * 200).status_code == 422


def test_reference_lists(client):
    carc = client.get("/api/v1/reference/carc").json
    assert any(row["code"] == "97" for row in carc)
    assert any(row["code"] == "N56" for row in client.get("/api/v1/reference/rarc").json)
    payer_types = [row["value"] for row in client.get("/api/v1/reference/payer-types").json]
    assert payer_types == ["medicare", "medicare_advantage", "medicaid", "commercial", "workers_comp", "tricare_va", "other"]
    strategies = client.get("/api/v1/reference/appeal-strategies").json
    assert {"value": "peer_to_peer", "label": "Peer-to-peer review"} in strategies


def test_openapi_document_lists_the_contract(client):
    spec = client.get("/api/openapi.json").json
    for path in ["/api/v1/codes", "/api/v1/codes/{code}", "/api/v1/codes/{code}/payment",
                 "/api/v1/reference/carc", "/api/v1/reference/rarc", "/api/v1/reference/payer-types",
                 "/api/v1/reference/appeal-strategies"]:
        assert path in spec["paths"], path


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "schema": "ok", "reference_data": "ok", "broker": "ok"}


def test_healthz_reports_a_broker_that_is_down(app):
    app.config["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["broker"] == "down" and response.json["database"] == "ok"


def test_any_fee_schedule_code_has_status_indicators_and_section(every_kind):
    client = every_kind.test_client()
    body = client.get("/api/v1/codes/64635").json
    assert (body["code_system"], body["section"], body["status_code"]) == ("CPT", "Surgery: Nervous system", "A")
    assert body["status_meaning"].startswith("Active") and body["catalog"] is None
    assert body["public_descriptor"] is None and body["title"] == "Procedure code 64635"
    bilateral = {item["name"]: item for item in body["payment_indicators"]}["Bilateral surgery (modifier 50)"]
    assert bilateral["value"] == "1" and "150%" in bilateral["meaning"]
    assert body["national_payment"] == {"non_facility": "420.50", "facility": "186.64"}
    hcpcs = client.get("/api/v1/codes/G0283").json
    assert (hcpcs["code_system"], hcpcs["public_descriptor"], hcpcs["section"]) == ("HCPCS", "Elec stim other than wound", None)
    anesthesia = client.get("/api/v1/codes/00840").json
    assert anesthesia["anesthesia"] is True and anesthesia["national_payment"] == {"non_facility": None, "facility": None}


def test_codes_list_is_paginated_over_every_code(every_kind):
    import json

    client = every_kind.test_client()
    first = client.get("/api/v1/codes?page_size=6")
    assert first.status_code == 200 and len(first.json) == 6
    pagination = json.loads(first.headers["X-Pagination"])
    assert pagination["total"] == 15 and pagination["total_pages"] == 3
    listed = [item["code"] for page in (1, 2, 3) for item in client.get(f"/api/v1/codes?page_size=6&page={page}").json]
    assert len(listed) == len(set(listed)) == 15 and {"64635", "G0283", "00840"} <= set(listed)
    assert client.get("/api/v1/codes?page_size=501").status_code == 422
    past_the_end = client.get("/api/v1/codes?q=elec&page=2432902008176639999")
    assert past_the_end.status_code == 200 and past_the_end.json == []


def test_codes_search_by_code_as_typed_and_by_descriptor(every_kind):
    client = every_kind.test_client()
    assert client.get("/api/v1/codes?q=CPT 20553").json[0]["code"] == "20553"
    assert client.get("/api/v1/codes?q=20553-59").json[0]["code"] == "20553"
    found = {item["code"]: item for item in client.get("/api/v1/codes?q=elec stim").json}
    assert found["G0283"]["title"] == "Elec stim other than wound" and found["G0283"]["in_catalog"] is False
