"""Celery bound to the Flask app, as Flask's documentation does it (celery_init_app + FlaskTask)."""
from celery import Celery, Task
from flask import Flask
from kombu import Queue

from workers.broker import SQLALCHEMY_PREFIX

SWEEP_SECONDS = 60.0
PRUNE_SECONDS = 3600.0
TALLY_CHECK_SECONDS = 3600.0


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
            "workers.tasks.build_toolkit_pdf": {"queue": f"{queue}-toolkit"},
            "workers.tasks.sweep_stale_aggregates": {"queue": maintenance},
            "workers.tasks.check_all_tallies": {"queue": maintenance},
            "workers.tasks.prune_broker_messages": {"queue": maintenance},
        },
        "task_ignore_result": True,
        # Tasks are idempotent: acknowledge after running, redeliver when a worker dies.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # A client's report is already committed when we enqueue: fail fast, the dirty mark and the sweep
        # catch up, and a failure keeps later requests off the broker for a while (enqueue_aggregation).
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
            "sweep-stale-aggregates": {"task": "workers.tasks.sweep_stale_aggregates", "schedule": SWEEP_SECONDS},
            "check-tallies": {"task": "workers.tasks.check_all_tallies", "schedule": TALLY_CHECK_SECONDS},
            "prune-broker-messages": {"task": "workers.tasks.prune_broker_messages", "schedule": PRUNE_SECONDS},
        },
        "beat_schedule_filename": f"{app.instance_path}/celerybeat-schedule",
    }
    if broker.startswith(SQLALCHEMY_PREFIX):  # the embedded broker, polled every 0.1 s
        # Read and write URLs, because Celery lets the CELERY_BROKER_URL variable override broker_url.
        database = broker.removeprefix(SQLALCHEMY_PREFIX)
        config |= {"broker_read_url": database, "broker_write_url": database,
                   "broker_transport": "workers.broker:PollingSQLAlchemyTransport"}
    if app.config.get("REFERENCE_UPDATE_ENABLED"):  # off by default: it downloads from cms.gov
        config["beat_schedule"]["update-reference-data"] = {
            "task": "workers.tasks.update_reference_data", "schedule": app.config["REFERENCE_UPDATE_SECONDS"]}
    return config


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask, include=["workers.tasks"])
    celery_app.config_from_object(celery_config(app))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
