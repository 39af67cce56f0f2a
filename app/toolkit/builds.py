"""Which toolkit PDF is current, and building it once: a download is a file read.

A PDF is cached under `<instance_path>/toolkit/` in a file named by its key:

- one code: `code-<CODE>-v<aggregate version>-<digest>.pdf`, the digest covering the aggregate's
  version (0 without one) and computed_at (a version alone would repeat if aggregates were ever
  deleted and recomputed), the latest reference file id and the number of reference files (every
  load of a fee schedule, GPCI, NCCI, MUE, CARC/RARC or catalog file records a new one) and
  BUILDER_VERSION;
- the whole toolkit: `toolkit-<digest>.pdf`, the digest covering the catalog codes' aggregate
  versions (their count, sum and newest computed_at: versions only grow and every refresh sets
  computed_at), the reference files and BUILDER_VERSION.

`current_pdf(code)` computes the key (one small query), and when the file is missing (first
download, or the data changed) builds it under a per-code file lock (so concurrent requests and
workers on one machine build it once), writes it to a temporary file then `os.replace`s it (readers
never see half a file) and deletes that code's older files. The download view reuses a key found
current in the last TOOLKIT_KEY_TTL seconds (default 1; 0 queries every time), kept in Flask-Caching
and so shared by every process, so a burst of downloads is a cache read and a file read; a download
can then lag an aggregate refresh by that second at most, unless a worker has rebuilt the PDF, which
deletes the old file and so ends it.

Workers keep files fresh: the aggregation task chains the `build_toolkit_pdf` task
(workers/tasks.py), which runs `rebuild_stale(code)`. On several machines, either share
the toolkit directory between web and worker machines or let each web machine build on first
download: correctness never depends on the worker, only speed does.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.extensions import cache, db
from app.lookup_errors import NotFound
from app.reference.cache import database_key
from app.reference.code_format import is_code
from app.reference.models import CatalogCode, ReferenceFile
from app.reports.models import CodeAggregate
from app import pdf
from app.toolkit import contents

try:  # POSIX: serialise builds of one file across processes; elsewhere builds may just repeat.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

logger = logging.getLogger(__name__)

# Bump when the PDF's layout or contents change, so every cached file is rebuilt.
BUILDER_VERSION = "1"
DIRECTORY = "toolkit"
WHOLE_PREFIX = "toolkit-"
ABANDONED_AFTER = 3600  # seconds: a temporary file this old was left by a killed build
# Seconds a key found current is reused by downloads (app config TOOLKIT_KEY_TTL; whole seconds).
DEFAULT_KEY_TTL = 1
# Seconds between two rebuilds of the whole toolkit by workers after refreshes (TOOLKIT_WHOLE_REBUILD_SECONDS).
WHOLE_REBUILD_SECONDS = 60.0


@dataclass(frozen=True)
class CachedPdf:
    key: str
    path: Path
    download_name: str


# --------------------------------------------------------------------------- keys


def toolkit_directory() -> Path:
    return Path(current_app.instance_path) / DIRECTORY


def digest(*parts) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:16]


def normalized_code(code: str) -> str:
    code = (code or "").upper()
    if not is_code(code):
        raise NotFound("code", f"{code[:10]} is not a procedure code.")
    return code


# The reference files: every load records a new row, so the newest id (with the count, should a
# row ever be deleted) changes whenever any reference data does.
REFERENCE_FILES = sa.select(
    sa.func.max(ReferenceFile.id).label("latest"), sa.func.count().label("files")
).subquery("reference_files")

# One round trip per download (the hot path of a cached file): the code's aggregate and the files.
CODE_STAMP = (
    sa.select(CodeAggregate.version, CodeAggregate.computed_at, REFERENCE_FILES.c.latest, REFERENCE_FILES.c.files)
    .select_from(REFERENCE_FILES)
    .outerjoin(CodeAggregate, CodeAggregate.code == sa.bindparam("code"))
)

# The whole toolkit: versions only grow and computed_at is set by every refresh, so their sum and
# maximum over the catalog codes change whenever any catalog code's aggregate does.
catalog_aggregates = (
    sa.select(
        sa.func.count(CatalogCode.code).label("codes"),
        sa.func.count(CodeAggregate.code).label("aggregates"),
        sa.func.sum(CodeAggregate.version).label("versions"),
        sa.func.max(CodeAggregate.computed_at).label("newest"),
    )
    .select_from(CatalogCode)
    .outerjoin(CodeAggregate, CodeAggregate.code == CatalogCode.code)
    .subquery("catalog_aggregates")
)
TOOLKIT_STAMP = sa.select(catalog_aggregates, REFERENCE_FILES.c.latest, REFERENCE_FILES.c.files).select_from(
    catalog_aggregates.join(REFERENCE_FILES, sa.true())
)


def stamp(statement, **params) -> tuple:
    """What a key digests: one row of one small query."""
    return tuple(db.session.execute(statement, params).one())


def code_key(code: str) -> str:
    version, computed_at, latest_file_id, files = stamp(CODE_STAMP, code=code)
    return (f"code-{code}-v{version or 0}-"
            f"{digest(BUILDER_VERSION, code, version or 0, computed_at, latest_file_id, files)}")


def toolkit_key() -> str:
    return WHOLE_PREFIX + digest(BUILDER_VERSION, *stamp(TOOLKIT_STAMP))


# --------------------------------------------------------------------------- files


@contextlib.contextmanager
def build_lock(directory: Path, name: str):
    """An exclusive lock on `<directory>/.<name>.lock` while one process builds that file."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(directory / f".{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=".pdf")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def remove_older(path: Path, prefix: str) -> None:
    """Delete this scope's other PDFs, and temporary files left by builds killed long ago."""
    for other in path.parent.glob(f"{prefix}*.pdf"):
        if other != path:
            with contextlib.suppress(FileNotFoundError):
                other.unlink()
    cutoff = time.time() - ABANDONED_AFTER
    for leftover in path.parent.glob(".building-*.pdf"):
        with contextlib.suppress(FileNotFoundError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


@dataclass(frozen=True)
class Scope:
    """One code's PDF, or the whole toolkit's: how to name, key and make it."""

    prefix: str
    download_name: str
    key: Callable[[], str]
    make: Callable[[], pdf.Toolkit]


def scope_for(code: str | None) -> Scope:
    if code is None:
        return Scope(WHOLE_PREFIX, "revenue-protection-toolkit.pdf", toolkit_key, contents.whole_toolkit)
    code = normalized_code(code)
    return Scope(f"code-{code}-", f"revenue-protection-toolkit-{code}.pdf",
                 functools.partial(code_key, code), functools.partial(contents.code_toolkit, code))


def build(scope: Scope) -> str:
    """Under the scope's lock, build the PDF for the key current now (unless another process just
    did), replace the scope's older files, and return that key."""
    directory = toolkit_directory()
    directory.mkdir(parents=True, exist_ok=True)
    with build_lock(directory, scope.prefix.rstrip("-")):
        key = scope.key()  # again: the data may have moved on while we waited for the lock
        path = directory / f"{key}.pdf"
        if path.exists():
            return key
        started = time.perf_counter()
        data = pdf.render(scope.make())
        write_atomically(path, data)
        remove_older(path, scope.prefix)
        logger.info("built %s (%d bytes) in %.2fs", path.name, len(data), time.perf_counter() - started)
        return key


def key_ttl() -> int:
    return int(current_app.config.get("TOOLKIT_KEY_TTL", DEFAULT_KEY_TTL))


def remembered_key_name(prefix: str) -> str:
    return f"toolkit-key:{database_key()}:{prefix}"


def remember(prefix: str, key: str) -> None:
    if (ttl := key_ttl()) > 0:  # 0 is "off" here, where the cache would read it as "forever"
        cache.set(remembered_key_name(prefix), key, timeout=ttl)


def current_pdf(code: str | None = None, build_missing: bool = True, recent: bool = False) -> CachedPdf:
    """The current PDF of one code, or of the whole toolkit when `code` is None; built now if missing
    (with `build_missing=False` the path is returned whether or not the file exists yet).

    With `recent`, a key found current less than TOOLKIT_KEY_TTL seconds ago (default 1 s; 0 turns it
    off) is used without asking the database: what keeps a burst of downloads a file read. A rebuild
    deletes the older file, so a caller that finds it gone asks again without `recent`.

    Raises NotFound for a code that is neither in the catalog nor in the loaded fee schedule."""
    scope = scope_for(code)
    remembered = cache.get(remembered_key_name(scope.prefix)) if recent and key_ttl() > 0 else None
    if remembered:
        key = remembered
    else:
        key = scope.key()
        exists = (toolkit_directory() / f"{key}.pdf").exists()
        if build_missing and not exists:
            key, exists = build(scope), True
        if exists:  # only keys of built files: unknown codes never fill the cache
            remember(scope.prefix, key)
    return CachedPdf(key=key, path=toolkit_directory() / f"{key}.pdf", download_name=scope.download_name)


# --------------------------------------------------------------------------- workers


def whole_toolkit_age() -> float | None:
    """Seconds since the newest whole-toolkit file was written, None without one."""
    times = []
    for path in toolkit_directory().glob(f"{WHOLE_PREFIX}*.pdf"):
        with contextlib.suppress(FileNotFoundError):
            times.append(path.stat().st_mtime)
    return time.time() - max(times) if times else None


def rebuild_stale(code: str | None = None) -> list[Path]:
    """What the worker runs after an aggregate refresh: make the code's PDF current, then the whole
    toolkit's when the code is in it; with `code` None, the whole toolkit's alone.

    A PDF already current is left as it is, so a backlog of these tasks collapses into one build per
    change. After a code's refresh the whole toolkit (seconds of work) is rebuilt at most once per
    TOOLKIT_WHOLE_REBUILD_SECONDS (default 60), so a burst of reports cannot keep a worker busy
    with it; a download that finds it stale in between builds it, as a first download does."""
    current: list[Path] = []
    if code is not None:
        try:
            current.append(current_pdf(code).path)
        except NotFound:
            logger.info("no toolkit PDF for %s: not a known code", code)
            return current
        if db.session.get(CatalogCode, normalized_code(code)) is None:
            return current
        interval = float(current_app.config.get("TOOLKIT_WHOLE_REBUILD_SECONDS", WHOLE_REBUILD_SECONDS))
        age = whole_toolkit_age()
        if age is not None and age < interval:
            logger.info("whole toolkit rebuilt %.0fs ago: left for the next refresh or download", age)
            return current
    current.append(current_pdf(None).path)
    return current
