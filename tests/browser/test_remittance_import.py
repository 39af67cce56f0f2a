"""Importing an 835 from the browser: upload, review (untick a line, pick an appeal), submit, CSV."""
import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "835" / "pyx12__835_mult_loops.txt"
IDENTIFIERS = ("BACH", "JOHANN", "2005555A", "4276512332", "00001612", "20031129")


@pytest.fixture
def remittance_file(tmp_path) -> Path:
    """The real sample with a catalog code (20610, no other browser test reports it) and current codes."""
    data = (SAMPLE.read_bytes().replace(b"HC:T1005", b"HC:20610").replace(b"CAS*OA*A7", b"CAS*CO*97")
            .replace(b"LQ*HE*N14", b"LQ*HE*N56"))
    path = tmp_path / "era.835"
    path.write_bytes(data)
    return path


@pytest.mark.browser
def test_upload_review_submit_and_download_receipts(page, remittance_file):
    page.goto("/remittances/new")
    page.set_input_files("#file", str(remittance_file))
    page.get_by_role("button", name="Read the file").click()

    rows = page.locator("#drafts tbody tr[id^='draft-']")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("CO-16")
    html = page.content()
    assert not any(identifier in html for identifier in IDENTIFIERS)

    page.uncheck("#include-1")
    page.select_option("select[name='appeal_strategy-0']", "corrected_claim")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/remittances/submit")) as answer:
        page.get_by_role("button", name="Submit the ticked reports").click()
    assert answer.value.status == 201, page.locator("main").inner_text()
    receipts = page.locator("#receipts tbody tr")
    expect(receipts).to_have_count(2)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the receipts (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(row["code"], row["carc"], row["appeal_strategy"]) for row in rows] == [
        ("20610", "16", "corrected_claim"), ("20610", "97", "")]
    assert all(len(row["receipt"]) >= 20 for row in rows)
    assert page.js_errors == []
