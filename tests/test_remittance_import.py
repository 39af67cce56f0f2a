"""POST /api/v1/remittances, POST /api/v1/reports/batch, the import pages, and what is (not) kept."""
import csv
import io
import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.reports.models import DenialReport

FIXTURES = Path(__file__).parent / "fixtures" / "835"
SAMPLE = (FIXTURES / "pyx12__835_mult_loops.txt").read_bytes()
# The real sample with catalog codes and current CARCs, so its drafts are valid reports here.
REPORTABLE = (SAMPLE.replace(b"HC:T1005", b"HC:20553:25").replace(b"CAS*OA*A7", b"CAS*CO*97")
              .replace(b"LQ*HE*N14", b"LQ*HE*N56"))
IDENTIFIERS = ("BACH", "JOHANN", "2005555A", "4276512332", "00001612", "44452736", "444313000", "JOHN WAYNE",
               "9995551212", "LANSING", "48909", "20031129", "20031030", "000238388", "383880001", "D00000")
BODY = {"code": "20553", "payer_type": "medicare", "group_code": "CO", "carc": "97"}


def upload(client, data: bytes = REPORTABLE, address: str = "10.0.0.1"):
    return client.post("/api/v1/remittances", data={"file": (io.BytesIO(data), "era.835")},
                       content_type="multipart/form-data", environ_base={"REMOTE_ADDR": address})


def stored() -> list[DenialReport]:
    return list(db.session.scalars(sa.select(DenialReport).order_by(DenialReport.id)))


def test_multipart_and_raw_body_give_the_same_drafts(client):
    multipart = upload(client)
    raw = client.post("/api/v1/remittances", data=REPORTABLE, content_type="application/edi-x12")
    assert multipart.status_code == raw.status_code == 200
    assert multipart.json == raw.json
    drafts = multipart.json["drafts"]
    assert [(d["code"], d["modifiers"], d["units"], d["group_code"], d["carc"], d["rarc"], d["payer_type"],
             d["denial_month"], d["denied_amount"]) for d in drafts] == [
        ("20553", ["25"], 68, "CO", "16", ["N56"], "medicaid", "2003-11", "500.04"),
        ("20553", ["25"], 16, "CO", "97", ["N56"], "medicaid", "2003-10", "127.80"),
        ("20553", ["25"], 36, "CO", "97", ["N56"], "medicaid", "2003-10", "287.55")]
    assert stored() == []  # reading a file stores nothing


@pytest.mark.parametrize(("data", "content_type", "status"), [
    (b"%PDF-1.7 not an era", "application/edi-x12", 422), (b"", "application/edi-x12", 422),
    (b"ST*837*1~CLM*1~SE*2*1~", "application/edi-x12", 422), (b"{}", "application/json", 415),
])
def test_what_is_not_an_835_is_a_4xx(client, data, content_type, status):
    response = client.post("/api/v1/remittances", data=data, content_type=content_type)
    assert response.status_code == status and "file" in response.json["errors"]


def test_missing_file_field_and_oversized_file(client, app_with):
    response = client.post("/api/v1/remittances", data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 422 and "file" in response.json["errors"]
    small = app_with(REMITTANCE_MAX_BYTES=1000).test_client()
    assert upload(small, REPORTABLE + b" " * 1000).status_code == 413
    assert small.post("/api/v1/remittances", data=REPORTABLE * 2, content_type="application/edi-x12").status_code == 413


def test_drafts_post_as_reports_and_the_same_file_twice_counts_once(client):
    drafts = upload(client).json["drafts"]
    first = client.post("/api/v1/reports/batch", json={"reports": drafts})
    assert first.status_code == 201, first.json
    assert [r["status"] for r in first.json["receipts"]] == ["created"] * 3
    again = client.post("/api/v1/reports/batch", json={"reports": upload(client, address="10.9.9.9").json["drafts"]},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert again.status_code == 200 and [r["status"] for r in again.json["receipts"]] == ["already_recorded"] * 3
    assert all("receipt" not in r for r in again.json["receipts"])
    assert client.post("/api/v1/reports", json=drafts[0]).status_code == 409
    assert len(stored()) == 3


def test_two_claims_denied_alike_are_two_reports(client):
    one_claim = REPORTABLE[REPORTABLE.index(b"SVC*"):REPORTABLE.index(b"SVC*", REPORTABLE.index(b"SVC*") + 1)]
    doubled = REPORTABLE.replace(one_claim, one_claim + one_claim, 1)
    drafts = upload(client, doubled).json["drafts"]
    assert drafts[0] | {"submission_token": ""} == drafts[1] | {"submission_token": ""}
    assert client.post("/api/v1/reports/batch", json={"reports": drafts}).status_code == 201
    assert len(stored()) == 4


def test_batch_is_all_or_nothing_and_names_the_item_and_field(client):
    reports = [BODY, BODY | {"carc": "9999"}, BODY | {"units": 0}]
    response = client.post("/api/v1/reports/batch", json={"reports": reports})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]["reports"]) == {"1", "2"}
    assert "carc" in response.json["errors"]["json"]["reports"]["1"]
    assert stored() == []
    assert client.post("/api/v1/reports/batch", json={"reports": [BODY] * 501}).status_code == 422


def test_idempotency_key_and_a_double_click(client):
    assert client.post("/api/v1/reports", json=BODY, headers={"Idempotency-Key": "k1"}).status_code == 201
    assert client.post("/api/v1/reports", json=BODY, headers={"Idempotency-Key": "k1"}).status_code == 409
    assert client.post("/api/v1/reports", json=BODY, headers={"Idempotency-Key": "k2"}).status_code == 201
    # The same key from another client is another submission.
    other = client.post("/api/v1/reports", json=BODY, headers={"Idempotency-Key": "k1"}, environ_base={"REMOTE_ADDR": "10.7.7.7"})
    assert other.status_code == 201
    assert len(stored()) == 3


def test_openapi_documents_both_endpoints(client):
    paths = client.get("/api/openapi.json").json["paths"]
    upload_doc = paths["/api/v1/remittances"]["post"]
    assert {"multipart/form-data", "application/edi-x12"} <= set(upload_doc["requestBody"]["content"])
    assert "200" in upload_doc["responses"] and "requestBody" in paths["/api/v1/reports/batch"]["post"]


def csrf_free_review(client, data: bytes = REPORTABLE):
    return client.post("/remittances/new", data={"file": (io.BytesIO(data), "era.835")}, content_type="multipart/form-data")


def test_upload_review_submit_receipts_and_csv(client):
    assert client.get("/remittances/new").status_code == 200
    review = csrf_free_review(client)
    assert review.status_code == 200
    page = review.get_data(as_text=True)
    state = re.search(r'name="state" type="hidden" value="([^"]+)"', page)[1]
    assert page.count('type="checkbox"') == 3 and "CO-16" in page and "CO-97" in page
    form = {"state": state, "include-0": "on", "include-2": "on", "appeal_strategy-2": "corrected_claim"}
    receipts = client.post("/remittances/submit", data=form)
    assert receipts.status_code == 201, receipts.get_data(as_text=True)
    reports = stored()
    assert [(r.carc, r.units, r.appeal_strategy and r.appeal_strategy.value) for r in reports] == [
        ("16", 68, None), ("97", 36, "corrected_claim")]
    receipts_state = re.search(r'name="state" type="hidden" value="([^"]+)"', receipts.get_data(as_text=True))[1]
    download = client.post("/remittances/receipts.csv", data={"state": receipts_state})
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [(row["code"], row["carc"], row["status"]) for row in rows] == [("20553", "16", "created"), ("20553", "97", "created")]
    assert all(len(row["receipt"]) >= 20 for row in rows) and {"appeal_outcome", "days_to_resolution"} <= set(rows[0])
    # The same review sent again (a double click) stores nothing more.
    assert client.post("/remittances/submit", data=form).status_code == 201
    assert len(stored()) == 2


def test_a_tampered_review_is_refused(client):
    page = csrf_free_review(client).get_data(as_text=True)
    state = re.search(r'name="state" type="hidden" value="([^"]+)"', page)[1]
    response = client.post("/remittances/submit", data={"state": state[:-3] + "AAA", "include-0": "on"})
    assert response.status_code == 422 and stored() == []


def test_invalid_drafts_start_unticked_and_cannot_be_forced(client):
    unknown = SAMPLE.replace(b"HC:T1005", b"HC:T9999")  # in no loaded fee schedule and not in the catalog
    page = csrf_free_review(client, unknown).get_data(as_text=True)
    assert "checked" not in page and "not in our catalog" in page
    state = re.search(r'name="state" type="hidden" value="([^"]+)"', page)[1]
    response = client.post("/remittances/submit", data={"state": state, "include-0": "on"})
    assert response.status_code == 422 and stored() == []


def test_the_form_needs_csrf(app, app_with):
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/remittances/new", data={"file": (io.BytesIO(REPORTABLE), "era.835")}, content_type="multipart/form-data")
    assert response.status_code in (400, 422) and stored() == []


def database_rows() -> set[str]:
    return {str(row) for table in db.metadata.sorted_tables for row in db.session.execute(sa.select(table))}


def test_nothing_identifying_is_kept_anywhere(client, app, caplog, instance_path):
    caplog.set_level(logging.DEBUG)
    reference_rows = database_rows()  # the ZIP crosswalk holds every ZIP: only what the import adds counts
    drafts = upload(client).json["drafts"]
    assert client.post("/api/v1/reports/batch", json={"reports": drafts}).status_code == 201
    page = csrf_free_review(client).get_data(as_text=True)
    state = re.search(r'name="state" type="hidden" value="([^"]+)"', page)[1]
    client.post("/remittances/submit", data={"state": state, "include-1": "on"})
    dump = sorted(database_rows() - reference_rows)
    files = b"".join(path.read_bytes() for path in Path(instance_path).rglob("*") if path.is_file())
    everything = "\n".join(dump) + caplog.text + page + files.decode("latin-1")
    for identifier in IDENTIFIERS:
        assert identifier not in everything


def test_the_upload_page_explains_a_file_it_cannot_read(client):
    response = client.post("/remittances/new", data={"file": (io.BytesIO(b"%PDF-1.7"), "era.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Not a readable X12 835" in response.get_data(as_text=True)


def test_a_large_upload_stays_in_memory(client, monkeypatch):
    import werkzeug.formparser

    def no_disk(*args, **kwargs):
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", no_disk)
    big = REPORTABLE + b" " * 2_000_000  # werkzeug spools anything over 500 KB to disk by default
    # Encoded here in memory: the test client would spool a body this large to a file of its own.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(big), "era.835")})
    response = client.post("/api/v1/remittances", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200 and len(response.json["drafts"]) == 3
