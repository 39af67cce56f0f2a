"""The report form and the appeal-update form: thin HTML over the same schema as the API."""
import logging
import re

import sqlalchemy as sa

from app.extensions import db
from app.reports.models import DenialReport

FORM = {"payer_type": "medicare", "group_code": "CO", "carc": "97", "rarc": "N56, M80", "modifiers": "25",
        "narrative": "Bundled into the office visit; resubmitted with modifier 25.", "denial_month": "2026-08"}


def submit(client, data, code="20553", address="10.2.0.1"):
    return client.post(f"/codes/{code}/report", data=data, environ_base={"REMOTE_ADDR": address})


def test_form_page_lists_enum_choices(client):
    page = client.get("/codes/20553/report").get_data(as_text=True)
    assert 'value="workers_comp"' in page and 'value="peer_to_peer"' in page and 'value="timely_filing"' in page
    assert "No patient information" in page


def receipt_page(client, response) -> str:
    """Follow the post/redirect/get redirect to the receipt page."""
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/codes/20553/report/received")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    return page.get_data(as_text=True)


def test_valid_form_redirects_to_the_receipt_shown_once_and_stores_report(client):
    page = receipt_page(client, submit(client, FORM))
    receipt = re.search(r'id="receipt"><code>([^<]+)</code>', page)[1]
    assert "1 of 5 reports" in page
    (report,) = db.session.scalars(sa.select(DenialReport))
    assert report.receipt_hash != receipt
    assert sorted(r.rarc for r in report.remark_codes) == ["M80", "N56"]
    # A reload of the receipt page neither resubmits nor shows the receipt again.
    again = client.get("/codes/20553/report/received")
    assert again.status_code == 302 and again.headers["Location"].endswith("/codes/20553")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DenialReport)) == 1


def test_phi_rerenders_the_billers_text_with_the_spans_marked(client, caplog):
    caplog.set_level(logging.DEBUG)
    response = submit(client, FORM | {"narrative": "Patient Jane <b>Doe</b> DOB 04/12/1961 was seen"})
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    # the text stays in the box (escaped), and a copy marks each span
    assert "\nPatient Jane &lt;b&gt;Doe&lt;/b&gt; DOB 04/12/1961 was seen</textarea>" in page
    assert '<mark data-kind="name" title="a person&#39;s name">Jane</mark>' in page
    assert '<mark data-kind="date" title="a date">04/12/1961</mark>' in page
    assert "<b>Doe</b>" not in page
    # the message names the field by its label, the kind, and how to rephrase
    assert "What the payer said: looks like a person&#39;s name" in page
    assert "write &#39;the patient&#39;" in page.lower() and "narrative:" not in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="narrative-help narrative-error narrative-marked"' in page
    assert 'value="97"' in page and 'value="N56, M80"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DenialReport)) == 0
    assert "Jane" not in caplog.text and "04/12/1961" not in caplog.text


def test_form_markup_has_no_empty_aria_and_a_month_input(client):
    page = client.get("/codes/20553/report").get_data(as_text=True)
    assert '="None"' not in page and "aria-invalid" not in page
    assert re.search(r'<input[^>]*id="denial_month"[^>]*type="month"', page)
    assert 'placeholder="YYYY-MM"' in page and r'pattern="\d{4}-\d{2}"' in page


def test_non_denial_and_bad_values_are_explained(client):
    page = submit(client, FORM | {"group_code": "PR", "carc": "2"}).get_data(as_text=True)
    assert "coinsurance" in page
    response = submit(client, FORM | {"units": "lots", "denial_month": "2026-08-14"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid integer" in page and "YYYY-MM" in page


def test_csrf_is_enforced(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    refused = submit(client, FORM)
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DenialReport)) == 0
    page = client.get("/codes/20553/report").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    assert submit(client, FORM | {"csrf_token": token}).status_code == 303


def test_appeal_update_form(client):
    page = receipt_page(client, submit(client, FORM))
    receipt = re.search(r'id="receipt"><code>([^<]+)</code>', page)[1]
    response = client.post("/reports/update", data={"receipt": receipt, "appeal_outcome": "won", "days_to_resolution": "30"})
    assert response.status_code == 200 and "Outcome saved" in response.get_data(as_text=True)
    report = db.session.scalar(sa.select(DenialReport))
    db.session.refresh(report)
    assert report.appeal_outcome.value == "won" and report.days_to_resolution == 30
    unknown = client.post("/reports/update", data={"receipt": "nope", "appeal_outcome": "won"})
    assert unknown.status_code == 422 and "No report has this receipt" in unknown.get_data(as_text=True)


def test_unknown_code_report_form_is_404(client):
    assert client.get("/codes/99999/report").status_code == 404
