"""Follow a code: feed entries when its dashboard goes live, or its top reason or best appeal changes."""
import xml.etree.ElementTree as ET

from app.dashboards.changes import ChangeKind, dashboard_changes
from app.dashboards.aggregates import refresh_aggregate
from tests.factories import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, make_reports

ATOM = "{http://www.w3.org/2005/Atom}"


def reason(key, carc, count, group="CO", description="Meaning."):
    return {"key": key, "group_code": group, "carc": carc, "carc_description": description, "count": count}


def appeal(strategy, rate, label=None):
    return {"strategy": strategy, "label": label or strategy, "success_rate": rate, "interval_95": [0.2, 0.9] if rate else None}


def test_going_live_is_one_entry_naming_the_top_reason():
    current = {"live": True, "denial_reasons": [reason("CO-97", "97", 5, description="Included in another service. Usage: x")]}
    changes = dashboard_changes("20553", {"live": False}, current)
    assert [c.kind for c in changes] == [ChangeKind.WENT_LIVE]
    assert "CO-97 (Included in another service.)" in changes[0].summary and "Usage" not in changes[0].summary


def test_nothing_while_not_live_or_unchanged():
    assert dashboard_changes("20553", None, {"live": False}) == []
    live = {"live": True, "denial_reasons": [reason("CO-97", "97", 5)], "appeal_strategies": [appeal("corrected_claim", 0.8)]}
    assert dashboard_changes("20553", live, live) == []


def test_top_reason_and_best_appeal_changes():
    before = {"live": True, "denial_reasons": [reason("CO-97", "97", 5), reason("CO-50", "50", 3)],
              "appeal_strategies": [appeal("corrected_claim", 0.8), appeal("medical_records", 0.5)]}
    after = {"live": True, "denial_reasons": [reason("CO-50", "50", 6), reason("CO-97", "97", 5)],
             "appeal_strategies": [appeal("corrected_claim", 0.6), appeal("medical_records", 0.7, "Sent medical records")]}
    changes = dashboard_changes("20553", before, after)
    assert [c.kind for c in changes] == [ChangeKind.TOP_REASON, ChangeKind.BEST_APPEAL]
    assert "now CO-50" in changes[0].summary and "(was CO-97" in changes[0].summary
    assert "Sent medical records (70% of finished appeals won, 95% interval 20% to 90%)" in changes[1].summary


def test_suppressed_rows_never_lead_an_entry():
    before = {"live": True, "denial_reasons": [reason("CO-97", "97", 5)]}
    after = {"live": True, "denial_reasons": [reason("CO-50", "50", None), reason("CO-97", "97", 5)],
             "appeal_strategies": [appeal("peer_to_peer", None)]}
    assert dashboard_changes("20553", before, after) == []


def test_feed_after_real_aggregations(app, client):
    assert client.get("/codes/20553/feed.atom").status_code == 200
    make_reports(4, contributors=3)
    refresh_aggregate("20553")
    feed = ET.fromstring(client.get("/codes/20553/feed.atom").data)
    assert feed.findall(f"{ATOM}entry") == []
    make_reports(1, contributors=1)
    refresh_aggregate("20553")
    make_reports(12, contributors=3, group_code=GroupCode.CO, carc="50", category=DenialCategory.MEDICAL_NECESSITY,
                 strategy=AppealStrategy.MEDICAL_RECORDS, outcome=AppealOutcome.WON)
    refresh_aggregate("20553")
    response = client.get("/codes/20553/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["20553: new best appeal", "20553: new top denial reason", "20553 is live"]
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href").endswith("/codes/20553")
    digest = ET.fromstring(client.get("/changes.atom").data)
    assert len(digest.findall(f"{ATOM}entry")) == 3
    page = client.get("/codes/20553").get_data(as_text=True)
    assert 'href="/codes/20553/feed.atom"' in page and 'type="application/atom+xml"' in page


def test_feed_of_a_non_code_is_404(client):
    assert client.get("/codes/hello/feed.atom").status_code == 404
