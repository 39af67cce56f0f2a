"""Simultaneous identical submissions on PostgreSQL: the unique submission key lets exactly one in."""
import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reports.models import DenialReport, ReportSubmission

pytestmark = pytest.mark.integration

BODY = {"code": "20553", "payer_type": "medicare", "group_code": "CO", "carc": "97"}
THREADS = 16


def race(app, path: str, body: dict, headers: dict) -> list[int]:
    """POST the same request from THREADS threads released at once; the status codes they got."""
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def send():
        client = app.test_client()
        barrier.wait()
        response = client.post(path, json=body, headers=headers, environ_base={"REMOTE_ADDR": "10.3.3.3"})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def report_count() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(DenialReport))


@pytest.mark.parametrize("headers", [{"Idempotency-Key": "same-click"}, {}], ids=["idempotency_key", "double_click"])
def test_sixteen_identical_posts_store_one_report(service_app, headers):
    statuses = race(service_app, "/api/v1/reports", BODY, headers)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
    assert report_count() == 1


def test_sixteen_identical_batches_store_each_report_once(service_app):
    batch = {"reports": [BODY | {"submission_token": f"835-{'a' * 39}{index}"} for index in range(3)]}
    statuses = race(service_app, "/api/v1/reports/batch", batch, {})
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert report_count() == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSubmission)) == 3
