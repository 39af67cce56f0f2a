"""The appeal letter's patient blanks are filled by the page's script and never leave the browser."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LETTER = "/appeals/letter?code=20553&group_code=CO&carc=97&payer_type=medicare"
TYPED = {
    "patient_name": "Zebulon Quartermaine",
    "member_id": "MBR77341902",
    "claim_number": "CLM5580031",
    "date_of_service": "03/14/2026",
    "denial_date": "04/02/2026",
}


def carries(request, value: str) -> bool:
    body = request.post_data_buffer or b""
    return value in request.url or value.encode() in body or any(value in v for v in request.headers.values())


def test_typed_patient_details_fill_the_letter_and_no_request_carries_them(page):
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(LETTER)
    letter = page.locator("#appeal-letter")
    expect(letter).to_contain_text("[Patient name]")
    for key, value in TYPED.items():
        page.fill(f"#blank-{key}", value)
    for value in TYPED.values():
        expect(letter).to_contain_text(value)
    # Everything the page can still send: the PDF download, the form, a reload.
    with page.expect_download():
        page.get_by_role("link", name="Download the PDF with empty blanks").click()
    page.get_by_text("Change the denial").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Draft the letter").click()
    page.goto(LETTER)
    assert len(requests) >= 4
    leaked = [(request.method, request.url) for request in requests for value in TYPED.values() if carries(request, value)]
    assert leaked == []
    assert page.js_errors == []


def test_the_receipt_page_drafts_the_letter_of_its_report(page):
    page.goto("/codes/20553/report")
    page.select_option("#payer_type", "commercial")
    page.select_option("#group_code", "CO")
    page.fill("#carc", "16")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the report").click()
    expect(page.locator("#receipt")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Draft an appeal letter for this denial").click()
    expect(page.locator("h1")).to_have_text("Appeal of the CO-16 denial of 20553")
    expect(page.locator("#appeal-letter")).to_contain_text("I request reconsideration of the denial of 20553")
    assert page.js_errors == [] and page.failed_requests == []
