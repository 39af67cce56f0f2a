"""The queue claims, on PostgreSQL, Redis and real `celery worker` processes (never eager)."""
import datetime as dt
import threading

import psycopg
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.dashboards.aggregates import refresh_aggregate
from app.reports.models import AggregationMark, CodeAggregate, DenialReport
from tests.conftest import make_app
from tests.integration.conftest import wait_for
from app.dashboards.compute import compute_dashboard

pytestmark = pytest.mark.integration


def report(client, address: str, carc: str = "97", **fields):
    body = {"code": "20553", "payer_type": "medicare", "group_code": "CO", "carc": carc} | fields
    response = client.post("/api/v1/reports", json=body, environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 201, response.json
    return response.json


def dashboard(client, code: str = "20553") -> dict:
    return client.get(f"/api/v1/codes/{code}/dashboard").json


def stored_aggregate(code: str = "20553") -> CodeAggregate | None:
    db.session.rollback()  # see other connections' commits
    return db.session.get(CodeAggregate, code)


def five_reports_from_three(client, carcs=("97", "236")) -> None:
    for index in range(5):
        report(client, f"10.1.{index % 3}.1", carcs[index // 3])  # a biller is a /24: one network each


def test_five_reports_from_three_contributors_go_live(service_app, worker_factory):
    worker_factory()
    client = service_app.test_client()
    five_reports_from_three(client)
    board = wait_for(lambda: (d := dashboard(client))["live"] and d)
    assert (board["report_count"], board["contributor_count"]) == (5, 3)
    assert board["denial_reasons"][0]["carc"] == "97" and board["denial_reasons"][0]["display"] == "5"  # 3, rounded
    assert board["denial_reasons"][1]["display"] == "fewer than 3"


def backend_waiting_on_lock(database_url: str) -> bool:
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        return bool(connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0])


def caught_up(code: str = "20553") -> CodeAggregate | None:
    """The stored aggregate once no change waits for it (no dirty mark left)."""
    aggregate = stored_aggregate(code)
    return aggregate if aggregate and db.session.get(AggregationMark, code) is None else None


VISIBILITY_SECONDS = 3  # the test's own, so redelivery is quick; deployments use minutes


def test_killed_worker_keeps_previous_aggregate_and_redelivery_catches_up(service_app, worker_factory, postgres_url):
    worker = worker_factory(CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))
    client = service_app.test_client()
    five_reports_from_three(client)
    wait_for(lambda: (a := caught_up()) and a.report_count == 5 and a.live)
    before = stored_aggregate()
    before_version, before_dashboard = before.version, dict(before.dashboard)

    # Hold the aggregate's row lock: the next aggregation starts, blocks on it, and is killed there.
    blocker = psycopg.connect(postgres_url.replace("postgresql+psycopg://", "postgresql://"))
    blocker.execute("SELECT 1 FROM code_aggregate WHERE code = '20553' FOR UPDATE")
    try:
        report(client, "10.1.9.1", "50")  # a sixth report marks the code and sends one message
        wait_for(lambda: backend_waiting_on_lock(postgres_url), timeout=20)
        worker.kill()
    finally:
        blocker.rollback()
        blocker.close()

    after_kill = stored_aggregate()
    assert after_kill.version == before_version and after_kill.report_count == 5
    assert after_kill.dashboard == before_dashboard
    assert db.session.get(AggregationMark, "20553") is not None  # the killed run's transaction took nothing

    # No sweep: Redis redelivers the unacknowledged message after the visibility timeout.
    worker_factory(CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))
    recovered = wait_for(lambda: (a := caught_up()) and a.report_count == 6 and a, timeout=6 * VISIBILITY_SECONDS)
    assert recovered.version > before_version
    assert recovered.contributor_count == 4


def test_a_burst_for_one_code_costs_one_or_two_aggregations(service_app, worker_factory):
    client = service_app.test_client()
    for index in range(12):
        report(client, f"10.2.{index}.1", ("97", "50", "16")[index % 3])
    worker_factory()
    aggregate = wait_for(lambda: (a := caught_up()) and a.report_count == 12 and a)
    assert aggregate.version == 1  # one message was sent for the twelve reports; it took the one mark


def sweep(app) -> None:
    app.extensions["celery"].send_task("workers.tasks.sweep_stale_aggregates")


def test_reports_survive_an_unreachable_broker_and_catch_up(service_app, worker_factory, postgres_url, tmp_path):
    broker_down = make_app(postgres_url, tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    with broker_down.app_context():
        five_reports_from_three(broker_down.test_client())
        db.session.remove()
        db.engine.dispose()
    client = service_app.test_client()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DenialReport)) == 5
    assert stored_aggregate() is None

    # As if the grace a message has had passed: the sweep takes only marks their message should have cleared.
    db.session.execute(sa.update(AggregationMark).values(marked_at=dt.datetime(2026, 1, 1)))
    db.session.commit()
    worker_factory()
    sweep(service_app)
    board = wait_for(lambda: (d := dashboard(client))["live"] and d)
    assert board["report_count"] == 5


def test_concurrent_aggregations_end_in_one_consistent_aggregate(service_app, worker_factory):
    client = service_app.test_client()
    five_reports_from_three(client, carcs=("97", "50"))
    worker_factory(concurrency=2)
    for _ in range(4):
        service_app.extensions["celery"].send_task("workers.tasks.aggregate_code", args=["20553"])
    wait_for(lambda: (a := caught_up()) and a.report_count == 5)

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def aggregate_in_thread():
        with service_app.app_context():
            try:
                barrier.wait()
                refresh_aggregate("20553")
            except BaseException as error:  # collected and asserted on below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=aggregate_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []

    aggregate = stored_aggregate()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeAggregate)) == 1
    expected = compute_dashboard(db.session, "20553", 5, 3)
    assert {k: v for k, v in aggregate.dashboard.items() if k != "computed_at"} == expected
    assert aggregate.report_count == 5 and aggregate.live
