"""Celery bound to the Flask app, as Flask's documentation does it (celery_init_app + FlaskTask)."""
from celery import Celery, Task
from flask import Flask

SWEEP_SECONDS = 60.0
PRUNE_SECONDS = 3600.0


def celery_config(app: Flask) -> dict:
    broker = app.config["CELERY_BROKER_URL"]
    queue = app.config["CELERY_QUEUE"]
    config = {
        "broker_url": broker,
        "task_default_queue": queue,
        # PDF builds take seconds; on their own queue they never delay a dashboard's refresh.
        "task_routes": {"workers.tasks.build_toolkit_pdf": {"queue": f"{queue}-toolkit"}},
        "task_ignore_result": True,
        # Tasks are idempotent: acknowledge after running, redeliver when a worker dies.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # A client's report is already committed when we enqueue: fail fast, the sweep catches up.
        "task_publish_retry": False,
        "broker_connection_timeout": 2,
        "broker_connection_retry_on_startup": True,
        "beat_schedule": {
            "sweep-stale-aggregates": {"task": "workers.tasks.sweep_stale_aggregates", "schedule": SWEEP_SECONDS},
            "prune-broker-messages": {"task": "workers.tasks.prune_broker_messages", "schedule": PRUNE_SECONDS},
        },
        "beat_schedule_filename": f"{app.instance_path}/celerybeat-schedule",
    }
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
