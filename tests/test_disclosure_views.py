"""The issue's cases through the real stack: the code page, the JSON API (whole and slice) and the PDF
all show the disclosure-controlled dashboard."""
import re
from pathlib import Path

from app.dashboards.aggregates import refresh_aggregate
from app.dashboards.disclosure import SMALL_CELL, SUPPRESSED_LABEL
from tests.factories import AppealOutcome, AppealStrategy, make_report


def months_three_three_one() -> None:
    for index, month in enumerate(["2026-06"] * 3 + ["2026-07"] * 3 + ["2026-08"]):
        make_report(contributor=f"c{index % 3}", month=month, commit=False,
                    strategy=AppealStrategy.CORRECTED_CLAIM if index < 5 else None,
                    outcome=AppealOutcome.WON if index < 4 else AppealOutcome.LOST if index == 4 else None)
    refresh_aggregate("20553")


def test_api_page_and_pdf_show_no_exact_total_and_no_derivable_cell(app, client):
    months_three_three_one()
    board = client.get("/api/v1/codes/20553/dashboard").json
    assert board["live"] and board["report_count"] == 5 and board["contributor_count"] == 3
    assert board["reports_per_month"] == [] and board["disclosure"]["withheld"] == ["reports_per_month"]
    (appeal,) = board["appeal_strategies"]  # tried 5, won 4, lost 1
    assert [appeal[k]["display"] for k in ("attempts", "won", "lost", "pending")] == ["5", "5", "fewer than 3",
                                                                                     "fewer than 3"]
    page = client.get("/codes/20553").get_data(as_text=True)
    assert "About 5 reports from 3 billers" in page and 'id="withheld"' in page and "reports per month" in page
    assert not re.search(r"\b7 reports", page)
    from tests.test_toolkit import download, flat, pdf_text
    text = flat(pdf_text(download(client, "/codes/20553/toolkit.pdf").data))
    assert "5 reports from 3 billers" in text and "rounded to the nearest 5" in text


def test_a_slice_under_the_threshold_range_is_not_live_and_shows_rounded_counts(app, client):
    months_three_three_one()
    medicare = client.get("/api/v1/codes/20553/dashboard?payer_type=medicare").json
    # 7 reports read 5 (3 to 7): "live" would tell 5-7 from 3-4, so the slice waits for 10.
    assert (medicare["live"], medicare["report_count"], medicare["contributor_count"]) == (False, 5, 5)
    assert "denial_reasons" not in medicare
    assert client.get("/api/v1/codes/20553/dashboard?payer_type=commercial").json["report_count"] is None


def test_page_chart_script_and_pdf_state_the_one_suppression_size(app, client):
    months_three_three_one()
    page = client.get("/codes/20553").get_data(as_text=True)
    assert f"groups under {SMALL_CELL} reports show as “{SUPPRESSED_LABEL}”" in page
    canvases = re.findall(r"<canvas [^>]*>", page)
    assert canvases and all(f'data-suppressed-label="{SUPPRESSED_LABEL}"' in canvas for canvas in canvases)
    script = (Path(app.static_folder) / "js" / "dashboard-charts.js").read_text()
    assert "suppressedLabel" in script and not re.search(r"fewer than \d", script.split("(function")[1])
    from tests.test_toolkit import download, flat, pdf_text
    text = flat(pdf_text(download(client, "/codes/20553/toolkit.pdf").data))
    assert f"groups under {SMALL_CELL} reports are shown as “{SUPPRESSED_LABEL}”" in text
