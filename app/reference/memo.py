"""Per-process memo of reference-data lookups (fee schedule rows, GPCIs, known codes).

Reference data changes only when a file is loaded, and every load adds a ReferenceFile row, so
the newest ReferenceFile id tells whether memoised answers still hold. It is read again at most
once a second (a load in another process shows within that second; one in this process at
once), so a hot request usually runs no reference query at all. Values are plain immutable
objects, never ORM instances, so they outlive their session safely.
"""
import time
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.reference.models import ReferenceFile

T = TypeVar("T")
LIMIT = 20_000
_values: dict[Hashable, object] = {}
_lock = Lock()


RECHECK_SECONDS = 1.0
_versions: dict[str, tuple[float, int | None]] = {}


def reference_version() -> tuple:
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    checked_at, newest = _versions.get(database, (float("-inf"), None))
    if time.monotonic() - checked_at > RECHECK_SECONDS:
        newest = db.session.scalar(sa.select(sa.func.max(ReferenceFile.id)))
        _versions[database] = (time.monotonic(), newest)
    return database, newest


def memoised(name: str, arguments: tuple, compute: Callable[[], T]) -> T:
    key = (reference_version(), name, arguments)
    with _lock:
        if key in _values:
            return _values[key]
    value = compute()
    with _lock:
        if len(_values) >= LIMIT:
            _values.clear()
        _values[key] = value
    return value


def forget_reference_version() -> None:
    """After a load in this process, read the version again at the next lookup."""
    _versions.pop(current_app.config["SQLALCHEMY_DATABASE_URI"], None)
