"""Dashboards: statistics, suppression, the database aggregation, and keeping aggregates fresh."""
import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app.extensions import db
from app import background
from app.background import Task
from app.dashboards.aggregates import check_tallies, refresh_aggregate
from app.reports.models import AggregationMark, CodeAggregate, DenialReport, ReportTally
from tests.conftest import make_app
from tests.factories import AppealOutcome, AppealStrategy, DenialCategory, GroupCode, PayerType, make_report, make_reports
from app.dashboards.compute import compute_dashboard, incremental_dashboard, median_days
from app.broker import prune_consumed_messages
from app.dashboards.statistics import appeal_row, cell, wilson_interval


def test_wilson_interval_known_values():
    assert wilson_interval(0, 10) == (0.0, 0.2775)
    assert wilson_interval(10, 10) == (0.7225, 1.0)
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(1 - high) and low == pytest.approx(0.2366, abs=1e-4)
    assert wilson_interval(0, 0) is None


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "fewer than 3"), (2, "fewer than 3"), (3, "3"), (40, "40")])
def test_small_cells_are_suppressed(count, shown):
    assert cell(count)["display"] == shown
    assert cell(count)["count"] == (None if shown == "fewer than 3" else count)


def test_appeal_row_success_counts_partial_wins_over_finished_appeals():
    row = appeal_row("peer_to_peer", attempts=10, won=4, partially_won=2, lost=2, pending=2)
    assert row["success_rate"] == 0.75 and row["interval_95"] == wilson_interval(6, 8)
    assert row["lost"] == {"count": None, "display": "fewer than 3"}
    assert appeal_row("other", 2, 2, 0, 0, 0)["success_rate"] is None


def dashboard(code="20553", **kwargs):
    return compute_dashboard(db.session, code, 5, 3, **kwargs)


def test_not_live_until_threshold_and_contributors(app):
    make_reports(4, contributors=3)
    board = dashboard()
    assert (board["live"], board["report_count"], board["reports_needed"]) == (False, 4, 1)
    assert "denial_reasons" not in board
    make_reports(2, contributors=1)  # six reports but they now come from c0 only, still 3 contributors
    assert dashboard()["live"] is True


def test_one_contributor_cannot_open_a_dashboard(app):
    make_reports(10, contributors=2)
    board = dashboard()
    assert board["live"] is False and board["contributors_needed"] == 1


def test_live_dashboard_breakdowns(app):
    make_reports(6, contributors=3, rarcs=("N56",), modifiers=("25",), strategy=AppealStrategy.CORRECTED_CLAIM,
                 outcome=AppealOutcome.WON, days=30)
    make_reports(2, contributors=2, group_code=GroupCode.CO, carc="50", category=DenialCategory.MEDICAL_NECESSITY,
                 payer_type=PayerType.COMMERCIAL, strategy=AppealStrategy.PEER_TO_PEER, outcome=AppealOutcome.LOST,
                 days=90, month="2026-09")
    board = dashboard()
    assert board["live"] and board["report_count"] == 8
    top, second = board["denial_reasons"]
    assert (top["group_code"], top["carc"], top["count"], top["share"]) == ("CO", "97", 6, 0.75)
    assert top["carc_description"] and top["rarcs"][0]["rarc"] == "N56"
    assert (second["carc"], second["count"], second["display"], second["share"]) == ("50", None, "fewer than 3", None)
    strategies = {row["strategy"]: row for row in board["appeal_strategies"]}
    assert strategies["corrected_claim"]["success_rate"] == 1.0
    assert strategies["peer_to_peer"]["attempts"]["display"] == "fewer than 3"
    assert strategies["peer_to_peer"]["success_rate"] is None
    assert board["median_days_to_resolution"] == 30.0
    assert [m["month"] for m in board["reports_per_month"]] == ["2026-08", "2026-09"]
    assert board["reports_per_month"][1]["display"] == "fewer than 3"
    assert {p["key"]: p["display"] for p in board["payer_types"]} == {"medicare": "6", "commercial": "fewer than 3"}
    assert board["modifiers"][0]["key"] == "25"


def test_median_of_even_count(app):
    for index, days in enumerate([10, 20, 30, 40, 50, 60]):
        make_report(contributor=f"c{index % 3}", days=days, strategy=AppealStrategy.RECONSIDERATION,
                    outcome=AppealOutcome.WON, carc=str(97 if index else 50))
    assert dashboard()["median_days_to_resolution"] == 35.0


def test_slices_are_held_to_the_same_threshold(app):
    make_reports(5, contributors=3, state="TX")
    make_reports(3, contributors=3, state="CA")
    assert dashboard()["live"] is True
    assert dashboard(state="TX")["live"] is True
    california = dashboard(state="CA")
    assert california["live"] is False and "denial_reasons" not in california
    assert dashboard(payer_type="commercial")["report_count"] == 0


def test_hidden_reports_do_not_count(app):
    make_reports(5, contributors=3)
    make_report(status="hidden")
    assert dashboard()["report_count"] == 5


def test_refresh_is_idempotent_and_versioned(app):
    make_reports(5, contributors=3)
    first = refresh_aggregate("20553")
    first_board, first_version = dict(first.dashboard), first.version
    second = refresh_aggregate("20553")
    strip = lambda board: {k: v for k, v in board.items() if k != "computed_at"}  # noqa: E731
    assert strip(second.dashboard) == strip(first_board)
    assert second.version == first_version + 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeAggregate)) == 1


def marks() -> list[str]:
    return list(db.session.scalars(sa.select(AggregationMark.code).order_by(AggregationMark.code)))


def test_changes_mark_their_code_once_and_the_aggregation_takes_the_mark(app):
    make_reports(3, contributors=3)
    make_report(code="20552")
    assert marks() == ["20552", "20553"]
    assert refresh_aggregate("20553", only_if_marked=True).report_count == 3
    assert marks() == ["20552"]
    assert refresh_aggregate("20553", only_if_marked=True) is None  # nothing new: no second recompute
    report = db.session.scalars(sa.select(DenialReport).where(DenialReport.code == "20553")).first()
    report.status = "hidden"
    db.session.commit()
    assert marks() == ["20552", "20553"]
    assert refresh_aggregate("20553", only_if_marked=True).report_count == 2


def test_a_burst_sends_one_message_per_code(app, monkeypatch):
    sent = []
    monkeypatch.setattr(app.extensions["celery"], "send_task", 
                        lambda name, args: sent.append(args[0]) if name == Task.AGGREGATE_CODE else None)
    client = app.test_client()
    for index in range(6):
        body = {"code": "20553", "payer_type": "medicare", "group_code": "CO", "carc": "97"}
        response = client.post("/api/v1/reports", json=body, environ_base={"REMOTE_ADDR": f"10.9.{index}.1"})
        assert response.status_code == 201
    assert sent == ["20553"]
    assert refresh_aggregate("20553", only_if_marked=True).report_count == 6
    response = client.post("/api/v1/reports", json=body | {"carc": "50"}, environ_base={"REMOTE_ADDR": "10.9.1.1"})
    assert response.status_code == 201 and sent == ["20553", "20553"]


def test_broker_down_answers_201_and_leaves_the_code_marked(app, app_with):
    down = app_with(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    with down.app_context():
        client = down.test_client()
        for index, carc in enumerate(("97", "50", "16")):
            body = {"code": "20552", "payer_type": "medicare", "group_code": "CO", "carc": carc}
            response = client.post("/api/v1/reports", json=body, environ_base={"REMOTE_ADDR": f"10.8.0.{index}"})
            assert response.status_code == 201, response.json
        assert "20552" in marks()
        assert down.extensions[background.BROKER_DOWN_UNTIL] > 0  # later requests stay off the broker a while


def incremental_matches_full(code="20553"):
    incremental = incremental_dashboard(db.session, code, 5, 3)
    assert incremental == compute_dashboard(db.session, code, 5, 3)
    assert check_tallies(code) is True
    return incremental


def test_incremental_tallies_agree_with_a_full_count_through_hides_and_appeals(app):
    reports = make_reports(6, contributors=3, rarcs=("N56",), modifiers=("25",), days=30,
                           strategy=AppealStrategy.PEER_TO_PEER, outcome=AppealOutcome.PENDING)
    make_reports(3, contributors=2, group_code=None, carc="97", days=12)
    make_reports(3, contributors=3, group_code=None, carc=None, category=DenialCategory.DOCUMENTATION, month="2026-09")
    assert incremental_matches_full()["report_count"] == 12
    reports[0].status = "hidden"
    reports[1].appeal_outcome = AppealOutcome.WON
    reports[2].appeal_outcome, reports[2].days_to_resolution = AppealOutcome.LOST, 90
    db.session.commit()
    board = incremental_matches_full()
    assert board["report_count"] == 11
    peer = next(row for row in board["appeal_strategies"] if row["strategy"] == "peer_to_peer")
    assert peer["attempts"]["count"] == 5 and peer["pending"]["count"] == 3
    reports[0].status = "accepted"
    db.session.delete(reports[3])
    db.session.commit()
    assert incremental_matches_full()["report_count"] == 11


def test_the_check_repairs_tallies_that_drifted(app):
    make_reports(5, contributors=3)
    db.session.execute(sa.update(ReportTally).where(ReportTally.dimension == "reports").values(count=99))
    db.session.commit()
    assert check_tallies("20553") is False
    assert check_tallies("20553") is True
    assert incremental_dashboard(db.session, "20553", 5, 3)["report_count"] == 5


def test_a_denial_reason_is_group_and_carc(app):
    make_reports(4, contributors=3, group_code=GroupCode.CO, carc="97", category=DenialCategory.BUNDLING)
    make_reports(2, contributors=2, group_code=None, carc="97", category=None)
    make_reports(3, contributors=3, group_code=GroupCode.PR, carc="50", category=DenialCategory.MEDICAL_NECESSITY)
    make_reports(3, contributors=3, group_code=None, carc=None, category=DenialCategory.DOCUMENTATION)
    reasons = {row["key"]: row for row in dashboard()["denial_reasons"]}
    assert set(reasons) == {"CO-97-bundling", "PR-50-medical_necessity", "--documentation"}
    assert reasons["CO-97-bundling"]["count"] == 6 and reasons["CO-97-bundling"]["carc_description"]
    assert reasons["--documentation"]["category_label"] == DenialCategory.DOCUMENTATION.label


def test_a_category_contradicting_the_carc_is_refused_and_an_implied_one_is_kept(client):
    body = {"code": "20553", "payer_type": "medicare", "group_code": "CO", "carc": "97"}
    refused = client.post("/api/v1/reports", json=body | {"denial_category": "timely_filing"})
    assert refused.status_code == 422 and "CARC 97 means bundling" in str(refused.json["errors"])
    assert client.post("/api/v1/reports", json=body).status_code == 201
    assert db.session.scalar(sa.select(DenialReport.denial_category)) == DenialCategory.BUNDLING


def test_median_days_is_exact_from_the_histogram():
    assert median_days(Counter({"10": 1, "20": 1, "30": 1, "40": 1})) == 25.0
    assert median_days(Counter({"5": 2, "100": 1})) == 5.0
    assert median_days(Counter({"5": 2})) is None


def test_prune_deletes_only_old_consumed_broker_rows(tmp_path):
    url = f"sqlalchemy+sqlite:///{tmp_path / 'broker.db'}"
    engine = sa.create_engine(url.removeprefix("sqlalchemy+"))
    old = dt.datetime(2020, 1, 1)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE kombu_message (id INTEGER PRIMARY KEY, visible BOOLEAN, timestamp DATETIME)"))
        connection.execute(sa.text("INSERT INTO kombu_message (visible, timestamp) VALUES (0, :old), (1, :old), (0, :now)"),
                           {"old": old, "now": dt.datetime.now(dt.UTC).replace(tzinfo=None)})
    assert prune_consumed_messages(url, dt.timedelta(hours=1)) == 1
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM kombu_message")) == 2
    engine.dispose()
    assert prune_consumed_messages("redis://127.0.0.1:6379/0", dt.timedelta(hours=1)) == 0


def test_dashboard_api_etag_and_fresh_after_recompute(app, client):
    make_reports(5, contributors=3)
    refresh_aggregate("20553")
    first = client.get("/api/v1/codes/20553/dashboard")
    assert first.status_code == 200 and first.json["live"] and first.headers["ETag"]
    assert client.get("/api/v1/codes/20553/dashboard", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    make_report(contributor="c9", carc="50")
    refresh_aggregate("20553")
    second = client.get("/api/v1/codes/20553/dashboard", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and "50" in {row["carc"] for row in second.json["denial_reasons"]}


def test_dashboard_api_validates_its_query(client):
    assert client.get("/api/v1/codes/20553/dashboard?payer_type=cash").status_code == 422
    assert client.get("/api/v1/codes/20553/dashboard?state=ZZ").status_code == 422
    assert client.get("/api/v1/codes/99999/dashboard").status_code == 404
    body = client.get("/api/v1/codes/20553/dashboard?payer_type=medicare&state=TX").json
    assert body["slice"] == {"payer_type": "medicare", "state": "TX"} and body["live"] is False


def code_page(client, code="20553") -> str:
    response = client.get(f"/codes/{code}")
    assert response.status_code == 200
    return response.text


def test_page_not_live(client):
    make_reports(2, contributors=2)
    refresh_aggregate("20553")
    page = code_page(client)
    assert "2 of 5 reports" in page and "dashboard-freshness" not in page


def test_page_live_without_an_aggregate_row(client):
    """The reported 500: enough reports to be live, no worker has stored an aggregate yet."""
    make_reports(6, contributors=3)
    page = code_page(client)
    assert "About 5 reports from 3 billers" in page and "counted just now" in page  # 6, rounded to 5
    assert 'data-freshness="updating"' in page


def test_page_recomputing_shows_the_previous_dashboard(client):
    make_reports(5, contributors=3)
    refresh_aggregate("20553")
    make_report(contributor="c7")
    page = code_page(client)
    assert "5 reports from 3 billers" in page and 'data-freshness="updating"' in page


def test_page_stale_when_the_mark_outlived_its_message(client):
    make_reports(5, contributors=3)
    refresh_aggregate("20553")
    make_report(contributor="c7")
    db.session.execute(sa.update(AggregationMark).values(marked_at=dt.datetime(2026, 1, 1)))
    db.session.commit()
    assert 'data-freshness="stale"' in code_page(client)


def test_page_live_with_every_cell_suppressed(client):
    for index, carc in enumerate(("97", "50", "16", "4", "29")):
        make_report(contributor=f"c{index}", carc=carc, category=None, state=None, month=f"2026-0{index + 1}")
    refresh_aggregate("20553")
    page = code_page(client)
    assert "5 reports from 5 billers" in page and "fewer than 3" in page and "dashboard-freshness" not in page


def test_the_migration_counts_existing_reports_into_tallies(new_database_url, instance_path):
    app = make_app(new_database_url(), instance_path)
    with app.app_context():
        upgrade(revision="a7e3c95d1f20")  # the revision before the tallies
        rows = [  # id, group, carc, category, strategy, outcome, days, status
            (1, "CO", "97", "bundling", "peer_to_peer", "won", 30, "accepted"),
            (2, None, "97", None, "peer_to_peer", None, None, "accepted"),
            (3, None, None, "documentation", "not_appealed", None, 12, "accepted"),
            (4, "PR", "50", "medical_necessity", None, None, None, "hidden"),
        ]
        for report_id, group, carc, category, strategy, outcome, days, status in rows:
            db.session.execute(sa.text(
                "INSERT INTO denial_report (id, code, payer_type, group_code, carc, denial_category, appeal_strategy,"
                " appeal_outcome, days_to_resolution, report_month, narrative_approved, appeal_notes_approved,"
                " contributor, receipt_hash, status, created_at, updated_at) VALUES (:id, '20553', 'medicare', :g, :c,"
                " :cat, :s, :o, :d, '2026-08', false, false, :who, :receipt, :status, :now, :now)"
            ), {"id": report_id, "g": group, "c": carc, "cat": category, "s": strategy, "o": outcome, "d": days,
                "who": f"c{report_id % 2}", "receipt": f"r{report_id}", "status": status, "now": dt.datetime(2026, 8, 1)})
        db.session.execute(sa.text("INSERT INTO report_modifier VALUES (1, '25'), (2, '59')"))
        db.session.execute(sa.text("INSERT INTO report_remark_code VALUES (1, 'N56')"))
        db.session.commit()
        upgrade()
        assert check_tallies("20553") is True
        assert marks() == ["20553"]
        db.session.remove()
        db.engine.dispose()
