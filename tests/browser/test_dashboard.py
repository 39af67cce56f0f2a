"""The code page as a biller meets it, at desktop and phone width: the dashboard and the report
button first on a phone, charts that show every row (suppressed ones as such), slices, quotes that
name their denial and vanish when flagged for patient information, and an axe-core run on each page."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.moderation.accounts import create_moderator
from app.dashboards.aggregates import refresh_aggregate
from tests.conftest import make_app
from tests.factories import AppealOutcome, AppealStrategy, DenialCategory, PayerType, make_report, make_reports

CODE = "20610"
QUOTE = "Resubmitted with the injection note and modifier 59; paid on reconsideration."
MODERATOR, PASSWORD = "moderator", "correct horse battery staple"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


@pytest.fixture(scope="module")
def live_code(live_server):
    """A live 20610 written straight into the live server's database and aggregated: two reasons,
    two payer types, three months of which one has a single report, one approved quote."""
    app = make_app(f"sqlite:///{live_server.workdir / 'denial_radar.db'}", live_server.workdir / "seed-instance")
    with app.app_context():
        make_reports(6, contributors=3, code=CODE, carc="97", month="2026-07", state="TX")
        make_reports(4, contributors=3, code=CODE, carc="50", category=DenialCategory.MEDICAL_NECESSITY, month="2026-08",
                     state="CA", payer_type=PayerType.COMMERCIAL, strategy=AppealStrategy.MEDICAL_RECORDS,
                     outcome=AppealOutcome.WON)
        make_report(code=CODE, carc="97", month="2026-09", contributor="c9", narrative=QUOTE, narrative_approved=True)
        create_moderator(MODERATOR, PASSWORD)
        refresh_aggregate(CODE)
        db.session.remove()
        db.engine.dispose()
    return CODE


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_and_report_button_come_first_on_the_page(new_page, live_code, width):
    page = new_page(width=width, height=844, is_mobile=width < 600)
    page.goto(f"/codes/{live_code}")
    dashboard = page.locator("#dashboard").bounding_box()
    report_button = page.locator(".report-action a").bounding_box()
    guidance = page.locator("#about").bounding_box()
    if width < 600:
        assert dashboard["y"] < guidance["y"] and report_button["y"] < 1200, (dashboard, guidance)
    else:
        assert dashboard["x"] > guidance["x"] and report_button["y"] < 900
    # Nothing wider than the screen: tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/denial-radar-dashboard-{width}.png")
    success = page.locator("#appeals-table th:has-text('Success')")
    expect(success).to_be_attached()
    assert page.js_errors == [] and page.failed_requests == []


@pytest.mark.browser
def test_charts_keep_suppressed_rows_and_start_at_zero(page, live_code):
    page.goto(f"/codes/{live_code}")
    charts = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('canvas[data-chart-for]')].map(c => {
        const chart = Chart.getChart(c);
        const valueAxis = chart.options.indexAxis === 'y' ? chart.scales.x : chart.scales.y;
        return [c.dataset.chartFor, {labels: chart.data.labels, data: chart.data.datasets[0].data,
                                     min: valueAxis.min, ticks: chart.scales[chart.options.indexAxis].ticks.map(t => t.label)}];
    }))""")
    months = charts["months-table"]
    assert months["labels"] == ["2026-07", "2026-08", "2026-09 (fewer than 3)"] and months["data"][2] is None
    assert months["min"] == 0
    reasons = charts["reasons-table"]
    assert sorted(reasons["labels"]) == ["CO-50", "CO-97"] and reasons["min"] == 0  # both shown as 5: by name
    assert all(not label.startswith("-") for label in reasons["ticks"])
    assert page.js_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_slice_pickers_show_one_payer_type(new_page, live_code, width):
    page = new_page(width=width, height=844)
    page.goto(f"/codes/{live_code}")
    page.select_option("#slice-payer", "commercial")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#slice-note")).to_contain_text("Showing only Commercial")
    assert "payer_type=commercial" in page.url
    # 4 commercial reports: a slice shows figures only from a shown count of 10 (app/dashboards/disclosure.py),
    # so the slice shows progress, not a breakdown.
    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("#reasons-table")).to_have_count(0)
    page.get_by_role("link", name="Show all reports").click()
    expect(page.locator("#reasons-table")).to_be_visible()


@pytest.mark.browser
def test_quote_names_its_denial_and_a_patient_information_flag_hides_it(new_page, live_code):
    page = new_page(width=390, height=844, is_mobile=True)
    page.goto(f"/codes/{live_code}")
    quote = page.locator("blockquote", has_text=QUOTE)
    expect(quote).to_contain_text("on a CO-97 denial")
    quote.locator("select").select_option("patient_information")
    quote.get_by_role("button", name="Flag").click()
    expect(page.locator(".flash")).to_contain_text("hidden until a moderator")
    expect(page.locator("main")).not_to_contain_text(QUOTE)
    page.reload()
    expect(page.locator("main")).not_to_contain_text(QUOTE)

    page.goto("/login")
    page.fill("#username", MODERATOR)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    card = page.locator("article.moderation-card", has_text=QUOTE).first
    expect(card).to_contain_text("Flagged by readers: It contains patient information")
    card.get_by_label("Approve the narrative for display").check()
    card.get_by_label("Dismiss the readers' flags").check()
    card.get_by_label("Reason (kept in the audit trail)").fill("checked: no identifiers")
    card.get_by_role("button", name="Apply").click()
    expect(page.locator(".flash")).to_contain_text("approve the narrative for display; dismiss the readers' flags")
    assert page.js_errors == [] and page.failed_requests == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_accessibility_violations(new_page, live_code, width):
    page = new_page(width=width, height=844, bypass_csp=True)  # axe is injected as an inline script
    pages = ["/", f"/codes/{live_code}", f"/codes/{live_code}/report", "/login"]
    found = {}
    for path in pages:
        page.goto(path)
        found[path] = axe_violations(page)
    page.goto("/login")
    page.fill("#username", MODERATOR)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/moderation$"))
    found["/moderation"] = axe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}, json.dumps(found, indent=1)
