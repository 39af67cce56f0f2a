"""The instance folder: everything an app generates goes into the one it is given, so tests keep theirs
out of the checkout (conftest's checkout_instance_untouched checks the whole run)."""
from app import create_app

SETTINGS_WITH_INSTANCE_DEFAULTS = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "RATELIMIT_STORAGE_URI",
                                   "SECRET_KEY", "CONTRIBUTOR_SECRET", "INSTANCE_PATH", "CACHE_REDIS_URL", "CACHE_DIR")


def test_an_app_keeps_what_it_generates_in_the_instance_path_it_is_given(tmp_path, monkeypatch):
    for name in SETTINGS_WITH_INSTANCE_DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    app = create_app({"TESTING": True}, instance_path=instance)
    assert app.instance_path == str(instance)
    assert sorted(path.name for path in instance.iterdir()) == ["cache", "contributor_secret", "ratelimits.db", "secret_key"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'denial_radar.db'}"
    assert app.config["CELERY_BROKER_URL"] == f"sqlalchemy+sqlite:///{instance / 'broker.db'}"
    assert app.config["RATELIMIT_STORAGE_URI"] == f"sqlite:///{instance / 'ratelimits.db'}"
    assert app.config["CACHE_DIR"] == str(instance / "cache")
    assert app.extensions["celery"].conf.beat_schedule_filename == f"{instance}/celerybeat-schedule"


def test_subprocesses_take_the_instance_path_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INSTANCE_PATH", "relative-instance")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "CONTRIBUTOR_SECRET": "test"})
    assert app.instance_path == str(tmp_path / "relative-instance")
    assert (tmp_path / "relative-instance").is_dir()
