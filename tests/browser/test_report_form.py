"""Reporting a denial of 20552 from the browser: the receipt (post/redirect/get), the PHI refusal that
gives the biller their text back with the spans marked, and the worker's count.

Every context of this browser comes from 127.0.0.1, so the server sees one contributor: each accepted
report varies the CARC (each form carries its own submission token, so identical reports would count too).
"""
import re
import time

import pytest
from playwright.sync_api import expect

CODE = "20552"
THRESHOLD = 5
CLEAN_NARRATIVE = "Bundled into the office visit; resubmitted with modifier 25."
PHI_NARRATIVE = "Patient Jane Doe DOB 04/12/1961 was seen"
AGGREGATION_SECONDS = 15


class Reports:
    """The reports this module has stored for 20552 on the session's fresh database."""

    def __init__(self):
        self.accepted = 0
        self.carcs = iter(["97", "236", "50", "16", "11", "4"])

    def fill(self, page, carc: str, narrative: str = CLEAN_NARRATIVE, rarc: str = "N56") -> None:
        page.goto(f"/codes/{CODE}/report")
        page.select_option("#payer_type", "medicare")
        page.select_option("#group_code", "CO")
        page.fill("#carc", carc)
        page.fill("#rarc", rarc)
        page.fill("#narrative", narrative)

    def submit(self, page, expected_status: int):
        posted = f"/codes/{CODE}/report"
        with page.expect_navigation(), page.expect_response(
                lambda r: r.request.method == "POST" and r.url.endswith(posted)) as answer:
            page.get_by_role("button", name="Submit the report").click()
        assert answer.value.status == expected_status, page.locator("main").inner_text()

    def report(self, page) -> str:
        """Submit one clean report with the next CARC; returns the receipt after checking the count."""
        self.fill(page, next(self.carcs))
        self.submit(page, 303)
        self.accepted += 1
        receipt = page.locator("#receipt")
        expect(receipt).to_have_text(re.compile(r"\S{16,}"))
        expect(page.locator("#progress")).to_contain_text(f"{self.accepted} of {THRESHOLD} reports")
        return receipt.inner_text().strip()


@pytest.fixture(scope="module")
def reports() -> Reports:
    return Reports()


def worker_dashboard(page) -> dict:
    response = page.request.get(f"/api/v1/codes/{CODE}/dashboard")
    assert response.ok, response.text()
    return response.json()


def wait_for_worker_aggregate(page, report_count: int) -> None:
    """Until the stored aggregate (only the worker writes it; it has computed_at) counts report_count."""
    deadline = time.monotonic() + AGGREGATION_SECONDS
    while (dashboard := worker_dashboard(page)).get("computed_at") is None or dashboard["report_count"] != report_count:
        assert time.monotonic() < deadline, f"the worker did not aggregate {report_count} reports: {dashboard}"
        time.sleep(0.3)


def wait_for_code_page_count(page, report_count: int) -> None:
    progress = f"{report_count} of {THRESHOLD} reports"
    deadline = time.monotonic() + AGGREGATION_SECONDS
    while True:
        page.goto(f"/codes/{CODE}")
        shown = page.locator("#progress").inner_text()
        if progress in shown:
            return
        assert time.monotonic() < deadline, f"/codes/{CODE} never showed {progress!r}, still {shown!r}"
        time.sleep(0.5)


@pytest.mark.browser
def test_clean_report_gets_a_receipt_and_the_progress(page, reports):
    reports.fill(page, next(reports.carcs))  # CO-97 with N56 on a fresh database
    month = page.locator("#denial_month")
    expect(month).to_have_attribute("type", "month")
    month.fill("2026-08")
    reports.submit(page, 303)
    reports.accepted += 1
    assert page.url.endswith(f"/codes/{CODE}/report/received")
    expect(page.locator("h1")).to_contain_text(f"your report of {CODE} is saved")
    expect(page.locator("#receipt")).not_to_be_empty()
    assert len(page.locator("#receipt").inner_text().strip()) >= 16
    expect(page.locator("#progress")).to_contain_text(f"{reports.accepted} of {THRESHOLD} reports")
    # Post/redirect/get: a reload neither resubmits nor shows the receipt again.
    page.reload()
    assert page.url.endswith(f"/codes/{CODE}")
    expect(page.locator("#progress")).to_contain_text(f"{reports.accepted} of {THRESHOLD} reports")
    assert page.js_errors == [] and page.failed_requests == []


@pytest.mark.browser
def test_narrative_with_patient_information_comes_back_with_the_span_marked(page, reports):
    reports.fill(page, "197", narrative=PHI_NARRATIVE)
    page.fill("#modifiers", "59")
    posted = f"/codes/{CODE}/report"
    with page.expect_navigation(), page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith(posted)) as answer:
        page.get_by_role("button", name="Submit the report").click()
    assert answer.value.status == 422
    assert answer.value.headers["cache-control"] == "no-store"

    # The biller's own text is back in the box, and a copy marks what looks like patient information.
    expect(page.locator("#narrative")).to_have_value(PHI_NARRATIVE)
    marks = page.locator("#narrative-marked mark")
    expect(marks).to_have_text(["Jane Doe", "04/12/1961"])
    expect(marks.first).to_have_attribute("data-kind", "name")
    expect(page.locator("#narrative-marked")).to_contain_text("not saved")
    error = page.locator("#narrative-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("What the payer said: looks like a person's name")
    expect(error).to_contain_text("Write 'the patient'")
    expect(error).not_to_contain_text("narrative:")
    expect(page.locator("#narrative")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#narrative")).to_have_attribute(
        "aria-describedby", "narrative-help narrative-error narrative-marked")
    expect(page.locator("#carc")).not_to_have_attribute("aria-invalid", re.compile(".*"))
    # Everything else the biller typed is still there.
    expect(page.locator("#carc")).to_have_value("197")
    expect(page.locator("#rarc")).to_have_value("N56")
    expect(page.locator("#modifiers")).to_have_value("59")
    expect(page.locator("#payer_type")).to_have_value("medicare")
    expect(page.locator("#group_code")).to_have_value("CO")
    # Rephrased as the message says, the same form goes through.
    page.fill("#narrative", "The patient was seen; CO-197 on the second line, no auth on file.")
    reports.submit(page, 303)
    reports.accepted += 1
    expect(page.locator("#receipt")).not_to_be_empty()
    assert page.js_errors == []
    assert [r for r in page.failed_requests if not r.startswith("422 POST")] == []


@pytest.mark.browser
def test_more_reports_raise_the_code_page_count_through_the_worker(page, reports, celery_worker):
    if reports.accepted == 0:
        reports.report(page)
    # The stored aggregate must exist first: without one the page counts the reports itself.
    wait_for_worker_aggregate(page, reports.accepted)
    wait_for_code_page_count(page, reports.accepted)
    for _ in range(2):
        reports.report(page)
        wait_for_code_page_count(page, reports.accepted)
    wait_for_worker_aggregate(page, reports.accepted)
    expect(page.locator("#progress")).to_contain_text("1 contributor so far")
    assert page.js_errors == [] and page.failed_requests == []
