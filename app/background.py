"""Celery bound to the Flask app as Flask's example does it (celery_init_app + FlaskTask), and the one
place the web side hands work to the workers.

The tasks live in `workers/tasks.py` and import the app; the app never imports them, so it names
them (Task) and sends them by name (send_task), Celery's way of calling a task whose code is elsewhere.
tests/test_background.py checks that every name here is a task the worker registers.
"""
import time
from enum import StrEnum

from celery import Celery
from celery import Task as CeleryTask
from flask import Flask, current_app
from kombu import Queue

from app.broker import SQLALCHEMY_PREFIX
from app.extensions import db
from app.reports.tallies import NEWLY_MARKED

SWEEP_SECONDS = 60.0
PRUNE_SECONDS = 3600.0
TALLY_CHECK_SECONDS = 3600.0
#: After a failed publish, requests leave their codes to the sweep for this long instead of waiting on the broker.
BROKER_BACKOFF_SECONDS = 10.0
BROKER_DOWN_UNTIL = "broker_down_until"  # app.extensions key: this process's back-off


class Task(StrEnum):
    AGGREGATE_CODE = "workers.tasks.aggregate_code"
    BUILD_TOOLKIT_PDF = "workers.tasks.build_toolkit_pdf"
    SWEEP_STALE_AGGREGATES = "workers.tasks.sweep_stale_aggregates"
    CHECK_ALL_TALLIES = "workers.tasks.check_all_tallies"
    PRUNE_BROKER_MESSAGES = "workers.tasks.prune_broker_messages"
    UPDATE_REFERENCE_DATA = "workers.tasks.update_reference_data"


def celery_config(app: Flask) -> dict:
    broker = app.config["CELERY_BROKER_URL"]
    queue = app.config["CELERY_QUEUE"]
    maintenance = f"{queue}-sweep"
    visibility = app.config["CELERY_VISIBILITY_TIMEOUT"]
    config = {
        "broker_url": broker,
        "task_default_queue": queue,
        # A worker started without -Q consumes all three.
        "task_queues": [Queue(queue), Queue(f"{queue}-toolkit"), Queue(maintenance)],
        # PDF builds take seconds; on their own queue they never delay a dashboard's refresh. The sweep and
        # the tally check never wait behind aggregations either.
        "task_routes": {
            Task.BUILD_TOOLKIT_PDF.value: {"queue": f"{queue}-toolkit"},
            Task.SWEEP_STALE_AGGREGATES.value: {"queue": maintenance},
            Task.CHECK_ALL_TALLIES.value: {"queue": maintenance},
            Task.PRUNE_BROKER_MESSAGES.value: {"queue": maintenance},
        },
        "task_ignore_result": True,
        # Tasks are idempotent: acknowledge after running, redeliver when a worker dies.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # A client's report is already committed when we enqueue: fail fast, the dirty mark and the sweep
        # catch up, and a failure keeps later requests off the broker for a while (send).
        "task_publish_retry": False,
        "broker_connection_timeout": 0.5,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {} if not broker.startswith("redis") else {
            # Redis redelivers a dead worker's message after this long (CELERY_VISIBILITY_TIMEOUT, 300 s):
            # aggregations take milliseconds and PDF builds seconds, so no running task is redelivered.
            "visibility_timeout": visibility,
            # kombu looks for such messages every interval x throttle seconds (10 x 10 by default), which
            # would add minutes to a short timeout: look every tenth of it (10 s at most), each time.
            "unacked_restore_interval": max(1, min(10, visibility // 10)),
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": 0.5,
        },
        "beat_schedule": {
            "sweep-stale-aggregates": {"task": Task.SWEEP_STALE_AGGREGATES.value, "schedule": SWEEP_SECONDS},
            "check-tallies": {"task": Task.CHECK_ALL_TALLIES.value, "schedule": TALLY_CHECK_SECONDS},
            "prune-broker-messages": {"task": Task.PRUNE_BROKER_MESSAGES.value, "schedule": PRUNE_SECONDS},
        },
        "beat_schedule_filename": f"{app.instance_path}/celerybeat-schedule",
    }
    if broker.startswith(SQLALCHEMY_PREFIX):  # the embedded broker, polled every 0.1 s
        # Read and write URLs, because Celery lets the CELERY_BROKER_URL variable override broker_url.
        database = broker.removeprefix(SQLALCHEMY_PREFIX)
        config |= {"broker_read_url": database, "broker_write_url": database,
                   "broker_transport": "app.broker:PollingSQLAlchemyTransport"}
    if app.config.get("REFERENCE_UPDATE_ENABLED"):  # off by default: it downloads from cms.gov
        config["beat_schedule"]["update-reference-data"] = {
            "task": Task.UPDATE_REFERENCE_DATA.value, "schedule": app.config["REFERENCE_UPDATE_SECONDS"]}
    return config


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(CeleryTask):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    # The worker process (make_celery.py) loads the tasks; the web side only sends them.
    celery_app = Celery(app.name, task_cls=FlaskTask, include=["workers.tasks"])
    celery_app.config_from_object(celery_config(app))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def send(task: Task, *args) -> bool:
    """Send a task; never make a request wait on a broker that is down.

    After a failure, sends are skipped for BROKER_BACKOFF_SECONDS: whatever they would have done,
    the sweep does later (a code's dirty mark stays until an aggregation takes it).
    """
    if time.monotonic() < current_app.extensions.get(BROKER_DOWN_UNTIL, 0.0):
        return False
    try:
        current_app.extensions["celery"].send_task(task.value, args=list(args))
        return True
    except Exception:  # any broker failure; the work is already committed, the sweep catches up
        current_app.extensions[BROKER_DOWN_UNTIL] = time.monotonic() + BROKER_BACKOFF_SECONDS
        current_app.logger.warning("could not send %s; the sweep will catch up", task.value)
        return False


def aggregate_marked_codes() -> list[str]:
    """After a committed change to reports: an aggregation for each code this change marked dirty.

    Only the request that set a code's mark sends (app/reports/tallies.py), so a code has at most
    one pending aggregation however many reports arrive. Returns the codes sent.
    """
    marked = db.session.info.pop(NEWLY_MARKED, set())
    return [code for code in sorted(marked) if send(Task.AGGREGATE_CODE, code)]
