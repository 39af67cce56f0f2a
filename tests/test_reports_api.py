"""POST /api/v1/reports and PATCH /api/v1/reports/<receipt>: validation, privacy, abuse limits."""
import logging

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reports.models import DenialReport

VALID = {
    "code": "20553", "modifiers": ["25"], "units": 1, "payer_type": "medicare", "payer_name": "Novitas",
    "state": "TX", "setting": "non_facility", "place_of_service": "11", "group_code": "CO", "carc": "97",
    "rarc": ["N56"], "denial_category": "bundling", "denial_month": "2026-08", "denied_amount": "58.55",
    "narrative": "Denied CO-97 as included in 99214 although modifier 25 was on the E/M line.",
    "appeal_strategy": "reconsideration", "appeal_outcome": "pending", "days_to_resolution": 12,
}


def post(client, body, address="10.0.0.1", **headers):
    return client.post("/api/v1/reports", json=body, environ_base={"REMOTE_ADDR": address}, headers=headers)


def stored_reports() -> list[DenialReport]:
    return list(db.session.scalars(sa.select(DenialReport)))


def test_valid_report_is_committed_and_answered_201(client):
    response = post(client, VALID)
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {"id", "receipt", "code", "report_count", "threshold"}
    assert (body["code"], body["report_count"], body["threshold"]) == ("20553", 1, 5)
    (report,) = stored_reports()
    assert report.receipt_hash != body["receipt"] and len(body["receipt"]) >= 20
    assert [m.modifier for m in report.modifiers] == ["25"] and [r.rarc for r in report.remark_codes] == ["N56"]
    assert report.denial_month == "2026-08" and str(report.denied_amount) == "58.55"


def test_minimal_report_and_grouped_carc(client):
    response = post(client, {"code": "20552", "payer_type": "commercial", "carc": "CO-236"})
    assert response.status_code == 201, response.json
    (report,) = stored_reports()
    assert (report.group_code.value, report.carc) == ("CO", "236")


@pytest.mark.parametrize(("group", "carc", "words"), [
    ("PR", "1", "deductible"), ("PR", "2", "coinsurance"), ("PR", "3", "copay"), ("CO", "45", "contractual"),
])
def test_paid_claim_adjustments_are_not_denials(client, group, carc, words):
    response = post(client, {"code": "20553", "payer_type": "medicare", "group_code": group, "carc": carc})
    assert response.status_code == 422
    message = response.json["errors"]["json"]["carc"][0]
    assert words in message and "not a denial" in message.lower() or "Only denials" in message
    assert stored_reports() == []


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "99999"}, "code"), ({"code": "2055"}, "code"), ({"payer_type": "cash"}, "payer_type"),
    ({"carc": "9999"}, "carc"), ({"rarc": ["N99999"]}, "rarc"), ({"modifiers": ["255"]}, "modifiers"),
    ({"units": 0}, "units"), ({"units": 1000}, "units"), ({"state": "XX"}, "state"), ({"setting": "home"}, "setting"),
    ({"place_of_service": "1"}, "place_of_service"), ({"group_code": "ZZ"}, "group_code"),
    ({"denial_category": "bad"}, "denial_category"), ({"denial_month": "2026-08-14"}, "denial_month"),
    ({"denial_month": "2999-01"}, "denial_month"), ({"denied_amount": "-1"}, "denied_amount"),
    ({"denied_amount": "1000000.01"}, "denied_amount"), ({"narrative": "x" * 2001}, "narrative"),
    ({"appeal_outcome": "maybe"}, "appeal_outcome"), ({"days_to_resolution": 731}, "days_to_resolution"),
    ({"unexpected": 1}, "unexpected"), ({"units": "three"}, "units"),
])
def test_bad_fields_are_named(client, change, field):
    response = post(client, VALID | change)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert stored_reports() == []


def test_carc_or_category_is_required(client):
    response = post(client, {"code": "20553", "payer_type": "medicare"})
    assert response.status_code == 422 and "carc" in response.json["errors"]["json"]
    assert post(client, {"code": "20553", "payer_type": "medicare", "denial_category": "frequency"}).status_code == 201


@pytest.mark.parametrize("field", ["narrative", "appeal_notes", "payer_name"])
def test_phi_is_refused_without_echo_or_log(client, caplog, field):
    secret = "Patient Jane Doe DOB 04/12/1961"
    caplog.set_level(logging.DEBUG)
    response = post(client, VALID | {field: secret})
    assert response.status_code == 422
    messages = response.json["errors"]["json"][field]
    assert any("characters" in message for message in messages)
    text = response.get_data(as_text=True)
    for piece in ("Jane", "Doe", "04/12/1961"):
        assert piece not in text and piece not in caplog.text
    assert stored_reports() == []


def test_billing_language_is_not_phi(client):
    narrative = ("Aetna denied 20553 x1 with CO-97/N56 as bundled into 99214-25 in 2026-08; $58.55 denied. "
                 "Resubmitted with XS, won on reconsideration after 42 days. ICD-10 M79.18.")
    assert post(client, VALID | {"narrative": narrative}).status_code == 201


def test_duplicate_from_same_contributor_is_409(client):
    assert post(client, VALID).status_code == 201
    again = post(client, VALID)
    assert again.status_code == 409 and "report" in again.json["errors"]
    assert post(client, VALID, address="10.0.0.2").status_code == 409  # the same /24: the same contributor
    assert post(client, VALID, address="10.0.1.2").status_code == 201
    assert post(client, VALID | {"carc": "236"}).status_code == 201
    assert len(stored_reports()) == 3


def test_twenty_honest_reports_pass_the_rate_limit(client):
    carcs = ["97", "236", "50", "16", "4", "11", "18", "96", "151", "197", "204", "234", "119", "B7", "B15",
             "29", "27", "31", "109", "5"]
    for carc in carcs:
        response = post(client, {"code": "20553", "payer_type": "medicare", "carc": carc})
        assert response.status_code == 201, (carc, response.json)


def test_rate_limit_answers_429_with_retry_after(app):
    app.config["REPORT_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    for carc in ("97", "236"):
        assert post(client, {"code": "20553", "payer_type": "medicare", "carc": carc}).status_code == 201
    blocked = post(client, {"code": "20553", "payer_type": "medicare", "carc": "50"})
    assert blocked.status_code == 429 and "errors" in blocked.json
    assert int(blocked.headers["Retry-After"]) > 0
    assert post(client, {"code": "20553", "payer_type": "medicare", "carc": "50"}, address="10.9.9.9").status_code == 201


def test_only_rate_limited_routes_meet_the_limiter(app, client):
    from app.extensions import limiter

    assert limiter._check_request_limit not in app.before_request_funcs[None]
    assert "X-RateLimit-Limit" not in client.get("/api/v1/codes/20553/payment").headers
    submitted = post(client, {"code": "20553", "payer_type": "medicare", "carc": "97"})
    assert submitted.status_code == 201 and int(submitted.headers["X-RateLimit-Remaining"]) >= 0


def test_no_raw_address_or_user_agent_is_stored_or_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    address, agent = "203.0.113.77", "Mozilla/5.0 DenialRadarTestAgent"
    assert post(client, VALID, address=address, **{"User-Agent": agent}).status_code == 201
    dump = []
    for table in db.metadata.sorted_tables:
        dump.extend(str(row) for row in db.session.execute(sa.select(table)))
    everything = "\n".join(dump)
    assert address not in everything and agent not in everything
    assert address not in caplog.text and agent not in caplog.text


def test_forwarded_address_is_trusted_only_when_configured(app, app_with):
    client = app.test_client()
    assert post(client, VALID, **{"X-Forwarded-For": "198.51.100.1"}).status_code == 201
    # Untrusted header: same client address, so the same contributor: a duplicate.
    assert post(client, VALID, **{"X-Forwarded-For": "198.51.100.2"}).status_code == 409
    trusting = app_with(TRUSTED_PROXIES="10.0.0.1").test_client()
    assert post(trusting, VALID, **{"X-Forwarded-For": "198.51.100.3"}).status_code == 201


def test_failed_enqueue_still_answers_201(app, app_with, caplog):
    broker_down = app_with(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    response = post(broker_down.test_client(), VALID)
    assert response.status_code == 201
    assert len(stored_reports()) == 1
    assert "the sweep will catch up" in caplog.text


def test_wrong_content_type_and_oversized_body(client):
    assert client.post("/api/v1/reports", data="code=20553", content_type="text/plain").status_code == 415
    big = client.post("/api/v1/reports", data="{" + " " * 300_000 + "}", content_type="application/json")
    assert big.status_code == 413 and "errors" in big.json
    broken = client.post("/api/v1/reports", data="{not json", content_type="application/json")
    assert broken.status_code in {400, 422} and "errors" in broken.json


def test_appeal_outcome_is_recorded_with_the_receipt(client):
    receipt = post(client, VALID).json["receipt"]
    response = client.patch(f"/api/v1/reports/{receipt}", json={"appeal_outcome": "won", "days_to_resolution": 41})
    assert response.status_code == 200, response.json
    assert response.json["appeal_outcome"] == "won"
    (report,) = stored_reports()
    assert report.days_to_resolution == 41 and report.updated_at >= report.created_at


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"appeal_outcome": "won"}, 404, "receipt"),
    ({"appeal_outcome": "maybe"}, 422, "appeal_outcome"),
    ({}, 422, "_schema"),
    ({"appeal_notes": "Call Mr. John Smith at 555-867-5309"}, 422, "appeal_notes"),
])
def test_appeal_update_errors(client, body, status, field):
    receipt = post(client, VALID).json["receipt"]
    target = "not-a-receipt-of-ours-0000" if status == 404 else receipt  # receipts are 24 characters
    response = client.patch(f"/api/v1/reports/{target}", json=body)
    assert response.status_code == status
    errors = response.json["errors"]
    assert field in errors or field in errors.get("json", {})
    assert "John" not in response.get_data(as_text=True)
