"""Reference lookups (fee schedule rows, GPCIs, known codes) cached with Flask-Caching.

Reference data changes only when a file is loaded. Every key carries the database's reference
generation, a random token kept in the cache itself; `reference_data_changed()`, called where a load
commits, replaces it, so every process sharing the cache misses at its next lookup and reads the new
data, while the old entries expire on their own. A generation pruned from the cache is replaced by a
new token: a cold cache, never a stale answer. Keys are per database, so apps on different databases
can share one cache. Values are pickled (files or Redis): plain values, never ORM instances.
"""
import hashlib
import secrets
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from app.extensions import cache

T = TypeVar("T")


def database_key() -> str:
    """The database's URL, hashed: it may hold a password, and keys can be read by whoever reads the cache."""
    return hashlib.sha256(current_app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:16]


def generation_key() -> str:
    return f"reference-generation:{database_key()}"


def reference_generation() -> str:
    key = generation_key()
    generation = cache.get(key)
    if generation is None:
        cache.add(key, secrets.token_hex(8), timeout=0)  # add: a concurrent first reader's token stands
        generation = cache.get(key) or "uncached"
    return generation


def reference_key(name: str, arguments: tuple) -> str:
    return f"reference:{database_key()}:{reference_generation()}:{name}:{arguments!r}"


def cached_reference(name: str, arguments: tuple, compute: Callable[[], T]) -> T:
    """`compute()`'s value, computed once per reference generation and shared by every process."""
    key = reference_key(name, arguments)
    hit = cache.get(key)
    if hit is not None:
        return hit[0]
    value = compute()
    cache.set(key, (value,))  # in a tuple, so that a cached None is told apart from a miss
    return value


def reference_data_changed() -> None:
    """The one invalidation point of reference data: called after a load commits."""
    cache.set(generation_key(), secrets.token_hex(8), timeout=0)
