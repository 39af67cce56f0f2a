"""The web side sends tasks by name (app/background.py); the worker side (workers/tasks.py) chains them."""
from app import background
from app.background import Task
from app.dashboards.aggregates import refresh_aggregate
from app.reports.tallies import NEWLY_MARKED
from tests.factories import make_reports
from workers import tasks


def sent_tasks(app, monkeypatch) -> list:
    """What the app sends, and what tasks send with .delay() (through Celery's current app: the same one
    in a worker, possibly another app's in a test that made several)."""
    sent = []
    for celery in {app.extensions["celery"], tasks.build_toolkit_pdf.app}:
        monkeypatch.setattr(celery, "send_task", lambda name, args=None, kwargs=None, **_: sent.append((name, list(args))))
    return sent


def test_every_task_the_app_names_is_registered_by_the_worker(app):
    registered = set(app.extensions["celery"].tasks)
    assert {task.value for task in Task} <= registered
    scheduled = {entry["task"] for entry in background.celery_config(app)["beat_schedule"].values()}
    assert scheduled <= registered


def test_aggregations_are_sent_for_the_codes_a_commit_marked_and_only_once(app, monkeypatch):
    sent = sent_tasks(app, monkeypatch)
    make_reports(3, contributors=3)
    make_reports(1, contributors=1, code="20552")
    assert background.aggregate_marked_codes() == ["20552", "20553"]
    assert sent == [(Task.AGGREGATE_CODE, ["20552"]), (Task.AGGREGATE_CODE, ["20553"])]
    assert background.aggregate_marked_codes() == []  # the marks were handed over
    make_reports(1, contributors=1)  # the code is still marked (no aggregation ran): no second message
    assert background.aggregate_marked_codes() == [] and len(sent) == 2


def test_a_refresh_sends_nothing_the_task_chains_the_pdf_rebuild(app, monkeypatch):
    sent = sent_tasks(app, monkeypatch)
    make_reports(5, contributors=3)
    refreshed = refresh_aggregate("20553", only_if_marked=True)
    assert refreshed.report_count == 5 and sent == []  # a domain function enqueues nothing
    make_reports(1, contributors=1)
    tasks.aggregate_code.run("20553")
    assert sent == [(Task.BUILD_TOOLKIT_PDF, ["20553"])]
    tasks.aggregate_code.run("20553")  # the mark is taken: nothing to redo, nothing to rebuild
    assert len(sent) == 1


def test_a_broker_that_is_down_is_left_alone_for_a_while(app_with):
    down = app_with(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    with down.app_context():
        assert background.send(Task.AGGREGATE_CODE, "20553") is False
        assert down.extensions[background.BROKER_DOWN_UNTIL] > 0
        down.extensions["celery"].send_task = lambda *a, **k: (_ for _ in ()).throw(AssertionError("sent"))
        assert background.send(Task.AGGREGATE_CODE, "20553") is False  # backing off: not even tried
        assert NEWLY_MARKED not in background.db.session.info
