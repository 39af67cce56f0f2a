"""The pre-check page: lines added by the script are checked like the server-rendered ones."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_line_added_in_the_browser_is_checked(page):
    page.goto("/check")
    rows = page.locator("#claim-lines tr.claim-line")
    shown = rows.count()
    page.get_by_role("button", name="Add a line").click()
    expect(rows).to_have_count(shown + 1)
    page.fill(f"#lines-{shown}-code", "20553")
    page.fill(f"#lines-{shown}-units", "2")
    page.fill("#lines-0-code", "99213")
    page.fill("#lines-0-modifiers", "25")
    page.select_option("#payer_type", "medicare")
    page.get_by_role("button", name="Check the claim").click()
    result = page.locator("#precheck-result")
    expect(result).to_contain_text("Line 2: 20553 × 2")  # empty lines in between are dropped
    expect(result).to_contain_text("2 units billed, the MUE is 1")
    expect(result).to_contain_text("significant, separately identifiable problem")
    assert page.js_errors == [] and page.failed_requests == []
