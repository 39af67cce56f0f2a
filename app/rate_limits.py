"""A `limits` storage in one SQLite file, so every gunicorn worker of the embedded default sees
the same counters (Flask-Limiter's memory storage is per process). With REDIS_URL set, Redis is used.

It supports the fixed-window strategy Flask-Limiter uses by default: `incr` counts a key's hits in
its window atomically (BEGIN IMMEDIATE takes SQLite's write lock), and a window that has passed
starts again from zero. Registered under the `sqlite` scheme: `sqlite:////abs/path/ratelimits.db`.
"""
import os
import sqlite3
import threading
import time
from contextlib import closing

from limits.storage import Storage

SCHEMA = "CREATE TABLE IF NOT EXISTS rate_limit (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, expires_at REAL NOT NULL)"


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split(":///", 1)[1]
        self._local = threading.local()
        with closing(sqlite3.connect(self.path, timeout=10)) as connection, connection:
            connection.execute(SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread and process: a connection must not cross a fork (gunicorn --preload).
        owner, connection = getattr(self._local, "connection", (None, None))
        if owner != os.getpid():
            # Autocommit, so each statement (or explicit BEGIN ... COMMIT) is its own transaction.
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            self._local.connection = (os.getpid(), connection)
        return connection

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("DELETE FROM rate_limit WHERE key = ? AND expires_at <= ?", (key, now))
            (hits,) = connection.execute(
                "INSERT INTO rate_limit (key, hits, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET hits = hits + excluded.hits RETURNING hits",
                (key, amount, now + expiry),
            ).fetchone()
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return hits

    def get(self, key: str) -> int:
        row = self._connection().execute(
            "SELECT hits FROM rate_limit WHERE key = ? AND expires_at > ?", (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._connection().execute(
            "SELECT expires_at FROM rate_limit WHERE key = ? AND expires_at > ?", (key, time.time())).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        return self._connection().execute("SELECT 1").fetchone() == (1,)

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM rate_limit").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM rate_limit WHERE key = ?", (key,))
