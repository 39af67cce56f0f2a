"""The code page's payment estimator redraws in place when the locality or modifiers change."""
import re

import pytest
from playwright.sync_api import expect

NON_FACILITY_AMOUNT = '#estimates .estimate[data-setting="non_facility"] [data-role="amount"]'
ALABAMA = "10112-00"
NATIONAL_2026_20553 = 59.79  # CY2026 national non-facility amount of 20553


def dollars(text: str) -> float:
    match = re.fullmatch(r"\$([\d,]+\.\d{2})", text.strip())
    assert match, f"not a dollar amount: {text!r}"
    return float(match[1].replace(",", ""))


def amount_after_change(page, previous: str) -> float:
    amount = page.locator(NON_FACILITY_AMOUNT)
    expect(amount).not_to_have_text(previous)
    return dollars(amount.inner_text())


@pytest.mark.browser
def test_estimate_follows_locality_and_modifiers_without_reload(page):
    page.goto("/codes/20553")
    amount = page.locator(NON_FACILITY_AMOUNT)
    national_text = amount.inner_text()
    assert dollars(national_text) == NATIONAL_2026_20553
    page.evaluate("window.__marker = 1")

    with page.expect_response(lambda r: "/codes/20553/estimate?" in r.url) as fragment:
        page.select_option("#locality", ALABAMA)
    assert fragment.value.ok
    alabama = amount_after_change(page, national_text)
    assert 0 < alabama < NATIONAL_2026_20553
    expect(page.locator("#estimates")).to_contain_text(re.compile("alabama", re.IGNORECASE))

    alabama_text = amount.inner_text()
    page.fill("#modifiers", "51")
    reduced = amount_after_change(page, alabama_text)
    assert reduced == pytest.approx(alabama / 2, abs=0.011)
    expect(page.locator("#estimates")).to_contain_text("Modifier 51")

    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of redrawing the estimate"
    assert f"locality={ALABAMA}" in page.url and "modifiers=51" in page.url
    assert page.js_errors == [] and page.failed_requests == []
    page.screenshot(path="/tmp/denial-radar-code-page.png", full_page=True)


@pytest.mark.browser
def test_code_page_at_phone_width(new_page):
    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    page.goto("/codes/20553")
    national_text = page.locator(NON_FACILITY_AMOUNT).inner_text()
    page.select_option("#locality", ALABAMA)
    amount_after_change(page, national_text)
    expect(page.locator("#dashboard")).to_be_visible()
    page.screenshot(path="/tmp/denial-radar-phone.png", full_page=True)
    assert page.js_errors == [] and page.failed_requests == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_estimator_fits_its_card(new_page, width):
    page = new_page(width=width, height=844)
    page.goto("/codes/20553")
    card = page.locator("section:has(#payment)").bounding_box()
    select = page.locator("#locality").bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert select["x"] + select["width"] <= card["x"] + card["width"], "the locality picker sticks out of its card"


@pytest.mark.browser
def test_a_zip_code_picks_the_locality_without_reload(page):
    page.goto("/codes/20553?year=2025")
    amount = page.locator(NON_FACILITY_AMOUNT)
    national_text = amount.inner_text()
    assert dollars(national_text) == 58.55  # CY2025 national, CMS's own figure
    page.fill("#zip", "35203")
    page.locator("#zip").dispatch_event("change")
    assert amount_after_change(page, national_text) == 53.29  # Alabama, 10112-00
    assert page.locator("#locality").input_value() == ""
    assert "zip=35203" in page.url
    assert page.js_errors == [] and page.failed_requests == []
