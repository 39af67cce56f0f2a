"""Flask-Caching as shipped: one cache shared by every process, entries dropped when their data changes."""
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import config
from app.dashboards import reading, versions
from app.dashboards.aggregates import refresh_aggregate
from app.extensions import cache, db
from app.reference import spelling
from app.reference.cache import cached_reference, reference_data_changed, reference_generation
from app.reports.models import CodeAggregate
from tests.databases import service_missing
from tests.factories import make_report, make_reports

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def processes(app_with, tmp_path):
    """Two apps on the shipped FileSystemCache in one directory: two processes of one machine."""
    def process():
        return app_with(CACHE_TYPE="FileSystemCache", CACHE_DIR=str(tmp_path / "cache"))
    return process


def test_shipped_cache_is_files_in_the_instance_folder_else_redis(monkeypatch, tmp_path):
    for name in ("REDIS_URL", "CACHE_REDIS_URL", "CACHE_DIR", "CACHE_DEFAULT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    secrets = {"SECRET_KEY": "s", "CONTRIBUTOR_SECRET": "c"}
    settings = config.from_environment(str(tmp_path), secrets)
    assert settings["CACHE_TYPE"] == "FileSystemCache" and settings["CACHE_DIR"] == str(tmp_path / "cache")
    assert settings["CACHE_DEFAULT_TIMEOUT"] == 300 and settings["CACHE_KEY_PREFIX"]
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = config.from_environment(str(tmp_path), secrets)
    assert settings["CACHE_TYPE"] == "app.tolerant_cache.TolerantRedisCache" and settings["CACHE_REDIS_URL"] == "redis://127.0.0.1:6379/0"
    monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/3")
    assert config.from_environment(str(tmp_path), secrets)["CACHE_REDIS_URL"] == "redis://127.0.0.1:6379/3"


def test_a_load_in_one_process_reaches_the_next_lookup_of_another(processes, tmp_path):
    web, loader = processes(), processes()
    computed = []

    def compute():
        computed.append(len(computed) + 1)
        return computed[-1]

    with web.app_context():
        assert cached_reference("test.value", ("a",), compute) == 1
        assert cached_reference("test.value", ("a",), compute) == 1
        assert cached_reference("test.nothing", (), lambda: computed.append(None)) is None
        assert cached_reference("test.nothing", (), lambda: computed.append(None)) is None  # a None is cached too
    with loader.app_context():
        assert cached_reference("test.value", ("a",), compute) == 1  # the other process's entry
        reference_data_changed()
    with web.app_context():
        assert cached_reference("test.value", ("a",), compute) == 3
    assert computed == [1, None, 3] and any((tmp_path / "cache").iterdir())


def test_a_reference_load_starts_a_new_generation(empty_app):
    before = reference_generation()
    assert reference_generation() == before
    result = empty_app.test_cli_runner().invoke(args=["data", "load-carc", str(DATA / "carc_rarc" / "carc.csv")])
    assert result.exit_code == 0, result.output
    assert reference_generation() != before


def test_a_dashboard_is_rendered_once_per_aggregate_version_in_each_process(app, processes, monkeypatch):
    rendered = []
    real = reading.code_dashboard
    monkeypatch.setattr(reading, "code_dashboard", lambda *args: rendered.append(args) or real(*args))
    web, other = processes(), processes()
    make_reports(5, contributors=3)
    with web.app_context():
        client = web.test_client()
        assert client.get("/api/v1/codes/20553/dashboard").json["report_count"] == 5
        client.get("/api/v1/codes/20553/dashboard")
        assert len(rendered) == 2  # no aggregate yet: counted each time
        refresh_aggregate("20553")
        live = client.get("/api/v1/codes/20553/dashboard")
        again = client.get("/api/v1/codes/20553/dashboard")
        assert live.json["live"] and again.data == live.data and len(rendered) == 3
    with other.app_context():
        elsewhere = other.test_client().get("/api/v1/codes/20553/dashboard")
        assert elsewhere.headers["ETag"] == live.headers["ETag"] and len(rendered) == 4
    with web.app_context():
        make_report(contributor="c9", carc="50")
        refresh_aggregate("20553")
        fresh = web.test_client().get("/api/v1/codes/20553/dashboard")
        assert fresh.headers["ETag"] != live.headers["ETag"] and len(rendered) == 5
        assert "50" in {row["carc"] for row in fresh.json["denial_reasons"]}


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(versions, "monotonic", lambda: now[0])
    return now


def test_a_version_another_process_wrote_is_trusted_for_the_shipped_window_only(app, clock):
    assert app.config["DASHBOARD_VERSION_SECONDS"] == 0.05  # the shipped setting, not one made for tests
    make_reports(5, contributors=3)
    refresh_aggregate("20553")
    first = versions.stored_version("20553")
    with db.engine.begin() as connection:  # another process's aggregation: no session of this one sees it
        connection.execute(sa.update(CodeAggregate).where(CodeAggregate.code == "20553")
                           .values(version=CodeAggregate.version + 1))
    clock[0] += 0.04
    assert versions.stored_version("20553") == first
    clock[0] += 0.02
    assert versions.stored_version("20553") != first


def test_a_version_this_process_commits_is_read_at_once(app, clock):
    make_reports(5, contributors=3)
    refresh_aggregate("20553")
    first = versions.stored_version("20553")
    before = app.test_client().get("/api/v1/codes/20553/dashboard")
    make_report(contributor="c9", carc="50")
    refresh_aggregate("20553")
    assert versions.stored_version("20553") != first
    after = app.test_client().get("/api/v1/codes/20553/dashboard")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "50" in {row["carc"] for row in after.json["denial_reasons"]}


def test_the_search_vocabulary_is_built_once_per_reference_generation(app):
    reads = []

    def texts():
        reads.append(1)
        return ["arthrocentesis aspiration injection"]

    first = spelling.vocabulary(texts)
    assert spelling.vocabulary(texts) is first and len(reads) == 1
    reference_data_changed()
    assert spelling.vocabulary(texts) is not first and len(reads) == 2


def test_an_unreachable_redis_cache_slows_requests_down_instead_of_failing_them(app_with, caplog):
    """Nothing listens on port 1: every cache call fails to connect, and the database answers."""
    unreachable = app_with(CACHE_TYPE="app.tolerant_cache.TolerantRedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    client = unreachable.test_client()
    payment = client.get("/api/v1/codes/20553/payment?locality=10112-00")
    assert payment.status_code == 200 and float(payment.json["amount"]) > 0
    assert client.get("/api/v1/codes?q=trigger point").status_code == 200
    assert client.get("/api/v1/codes/20553/dashboard").status_code == 200
    assert "cache unreachable, reading the database instead (ConnectionError)" in caplog.text


def test_the_redis_cache_keeps_values_when_redis_is_there(app_with):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError as error:
        service_missing(f"Redis not reachable at 127.0.0.1:6379: {error}")
    shared = app_with(CACHE_TYPE="app.tolerant_cache.TolerantRedisCache", CACHE_REDIS_URL="redis://127.0.0.1:6379/0",
                      CACHE_KEY_PREFIX=f"denial-radar-test-{uuid.uuid4().hex}:")
    with shared.app_context():
        assert cache.set("probe", (1, "two")) and cache.get("probe") == (1, "two")
        assert cached_reference("probe-lookup", (), lambda: 42) == 42
        assert cached_reference("probe-lookup", (), lambda: 0) == 42
        cache.clear()
