"""The SQLite rate-limit storage: one set of counters for every process that opens the file."""
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from app.rate_limits import SQLiteStorage


def test_two_storages_on_one_file_share_their_counters(tmp_path):
    uri = f"sqlite:///{tmp_path / 'limits.db'}"
    first, second = storage_from_string(uri), storage_from_string(uri)
    assert isinstance(first, SQLiteStorage) and first.check()
    limit = RateLimitItemPerMinute(3)
    hits = [FixedWindowRateLimiter(storage).hit(limit, "login", "office") for storage in (first, second) * 2]
    assert hits == [True, True, True, False]
    assert second.get(limit.key_for("login", "office")) == 4 and first.get("another key") == 0
    assert first.get_expiry(limit.key_for("login", "office")) > 0
    first.clear(limit.key_for("login", "office"))
    assert FixedWindowRateLimiter(second).hit(limit, "login", "office")


def test_a_window_that_has_passed_starts_from_zero(tmp_path):
    storage = SQLiteStorage(f"sqlite:///{tmp_path / 'limits.db'}")
    assert storage.incr("key", expiry=60) == 1 and storage.incr("key", expiry=60, amount=2) == 3
    assert storage.incr("gone", expiry=-1) == 1 and storage.get("gone") == 0  # expired at once
    assert storage.incr("gone", expiry=60) == 1
    assert storage.reset() == 2 and storage.get("key") == 0
