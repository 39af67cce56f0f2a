"""The appeal letter: built from a denial or a receipt, shown as a page with browser-only blanks, and as a PDF."""
import re
import io

import pytest
from pypdf import PdfReader

from app.claims.appeal_letter import Denial, build_letter
from app.dashboards.aggregates import refresh_aggregate
from app.reports.submission import submit_report
from tests.factories import AppealOutcome, AppealStrategy, PayerType, make_reports

CO_97 = Denial("20553", "97", "CO", payer_type="medicare")


def test_co_97_on_20553_names_the_bundling_rationale_and_the_catalogs_documentation(app):
    letter = build_letter(CO_97)
    text = " ".join(letter.paragraphs)
    assert letter.subject == "Appeal of the CO-97 denial of 20553"
    assert "included in the payment/allowance for another service" in text  # the CARC's own words
    assert "same-day E/M without modifier 25" in text  # the catalog's reason for CO-97 on 20553
    assert "The note must list the individual muscles" in text
    assert "Document every muscle injected" in letter.documentation[-1]
    assert any("modifier 25 on the E/M" in g for g in letter.guidelines)
    assert text.startswith("I request a redetermination")  # Medicare's first level
    assert "{patient_name}" in text and "{claim_number}" in text
    assert "Not enough reports yet for 20553" in letter.advice[0]


def test_the_ncci_edit_with_the_other_code_is_argued_from_its_indicator(app):
    facts = build_letter(Denial("20553", "97", "CO", other_code="99213")).ncci_facts
    assert "modifier indicator 1" in facts[0] and "20553 is the column 1 code" in facts[0]
    assert "NCCI PTP 2024 Q2" in facts[0]
    bundled = build_letter(Denial("20552", "97", "CO", other_code="20553")).ncci_facts[0]
    assert "modifier indicator 0" in bundled and "no modifier bypasses this edit" in bundled


def test_letter_cites_the_crowds_best_strategy_when_the_code_is_live(app):
    # Ten Medicare reports: a payer-type slice shows figures from a shown count of 10 (app/dashboards/disclosure.py).
    make_reports(10, 3, payer_type=PayerType.MEDICARE, strategy=AppealStrategy.MEDICAL_RECORDS, outcome=AppealOutcome.WON)
    refresh_aggregate("20553")
    letter = build_letter(CO_97)
    advice = " ".join(letter.advice)
    assert re.search(r"Sent medical records, \d+% success \(95% interval", advice), advice
    assert "consider it" in advice  # the letter defaults to a redetermination


def test_a_receipt_gives_the_reports_denial(app):
    submitted = submit_report({"code": "20553", "payer_type": PayerType.COMMERCIAL, "carc": "97", "modifiers": [],
                               "rarc": ["N56"], "appeal_strategy": AppealStrategy.WRITTEN_APPEAL}, "contributor-x")
    client = app.test_client()
    response = client.post("/api/v1/appeals/letter", json={"receipt": submitted.receipt})
    assert response.status_code == 200
    assert response.json["paragraphs"][0].startswith("I appeal the denial of 20553")
    assert "remark N56" in response.json["paragraphs"][1]
    page = client.post("/appeals/letter", data={"receipt": submitted.receipt})
    assert page.status_code == 200 and "Appeal of the 97 denial of 20553" in page.text


def test_unknown_receipt_is_a_404_not_a_500(client):
    response = client.post("/api/v1/appeals/letter", json={"receipt": "nope"})
    assert response.status_code == 404 and "receipt" in response.json["errors"]


@pytest.mark.parametrize("body, field", [
    ({"carc": "97"}, "code"),
    ({"code": "20553"}, "carc"),
    ({"code": "20553", "carc": "XX9"}, "carc"),
    ({"code": "20553", "carc": "97", "rarc": ["Q1"]}, "rarc"),
])
def test_api_letter_refuses_an_incomplete_denial(client, body, field):
    response = client.post("/api/v1/appeals/letter", json=body)
    assert response.status_code == 422 and field in response.json["errors"]["json"]


def test_page_blanks_are_outside_every_form_and_have_no_name(client):
    page = client.get("/appeals/letter?code=20553&group_code=CO&carc=97&payer_type=medicare").text
    blanks = page[page.index('id="letter-blanks"'):page.index('id="appeal-letter"')]
    assert blanks.count("data-blank-input=") == 5
    assert "<form" not in blanks and " name=" not in blanks
    assert 'data-blank="patient_name">[Patient name]</span>' in page
    assert "<script>" not in page and "js/appeal-letter.js" in page


def test_pdf_leaves_the_blanks_empty(client):
    response = client.get("/appeals/letter.pdf?code=20553&group_code=CO&carc=97&payer_type=medicare")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Appeal of the CO-97 denial of 20553" in text and "The note must list the individual muscles" in text
    assert "{" not in text and "Patient name" not in text and "______" in text


def test_code_page_denial_rows_and_receipt_link_to_the_letter(app):
    make_reports(6, 3)
    refresh_aggregate("20553")
    client = app.test_client()
    page = client.get("/codes/20553").text
    assert "/appeals/letter?code=20553&amp;group_code=CO&amp;carc=97" in page
    posted = client.post("/codes/20553/report", data={"payer_type": "medicare", "carc": "50"})
    assert posted.status_code == 303
    receipt = client.get(posted.headers["Location"])
    assert receipt.status_code == 200 and 'action="/appeals/letter"' in receipt.text


def test_openapi_documents_the_letter(client):
    assert "post" in client.get("/api/openapi.json").json["paths"]["/api/v1/appeals/letter"]


def test_pdf_of_a_denial_given_by_category_has_a_plain_file_name(client):
    response = client.get("/appeals/letter.pdf?code=20553&denial_category=bundling")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="appeal-20553-Bundling-NCCI-included-service.pdf"'


def test_the_letter_refuses_codes_missing_from_the_loaded_lists(client):
    response = client.post("/api/v1/appeals/letter", json={"code": "20553", "carc": "Z99", "rarc": ["N56", "X1"]})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert "Claim Adjustment Reason Code" in errors["carc"][0] and "item 2" in errors["rarc"][0]
