"""The Celery side: tasks over the app's domain functions. The Celery app itself is bound in
app/background.py (celery_init_app); make_celery.py starts it for `celery -A make_celery worker`."""
