"""Writing loaded rows: one transaction per file, and a bulk path fast enough for full CMS files.

PostgreSQL gets COPY into a temporary table then one INSERT ... ON CONFLICT; other databases
get batched executemany. Either way nothing is visible until the caller commits, so a bad
line leaves the previous data as it was.
"""
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from itertools import islice
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from app.extensions import db
from app.reference.loaders.files import sha256_of
from app.reference.models import ReferenceFile

BATCH = 10_000

#: What a file of a kind replaces: that year's rows, every row of the kind, or (NCCI PTP) the rows
#: of its quarter, which CMS splits into several part files.
Scope = Literal["year", "all", "quarter"]

#: Set while `data load-all` loads the files shipped in data/: those never replace a file loaded
#: since (by `data update` or a load command), nor a newer vintage.
loading_shipped_data: ContextVar[bool] = ContextVar("loading_shipped_data", default=False)


class Unchanged(Exception):
    """The tables already hold this very file (same checksum): loading it again would change nothing."""


def _in_scope(kind: str, year: int | None, scope: Scope):
    condition = ReferenceFile.kind == kind
    if scope == "year":
        condition &= ReferenceFile.year.is_(None) if year is None else ReferenceFile.year == year
    return condition


def already_loaded(kind: str, sha256: str, year: int | None, quarter: int | None, scope: Scope) -> bool:
    """Whether loading a file with this checksum would leave the tables as they are."""
    condition = _in_scope(kind, year, scope)
    vintage = (year or 0, quarter or 0)
    if loading_shipped_data.get():
        loaded = db.session.execute(sa.select(ReferenceFile.sha256, ReferenceFile.year, ReferenceFile.quarter,
                                              ReferenceFile.shipped).where(condition)).all()
        if any(row.sha256 == sha256 or (year and not row.shipped and (row.year or 0, row.quarter or 0) > vintage)
               for row in loaded):
            return True
    newest_first = db.session.execute(sa.select(ReferenceFile.sha256, ReferenceFile.year, ReferenceFile.quarter)
                                      .where(condition).order_by(ReferenceFile.id.desc()))
    for row in newest_first:
        if row.sha256 == sha256:
            return True
        # Another part of the same NCCI quarter leaves this part's rows alone; anything else replaced them.
        if scope != "quarter" or (row.year or 0, row.quarter or 0) != vintage:
            return False
    return False


def record_file(
    kind: str, path: Path, vintage: str, year: int | None, quarter: int | None, sha256: str | None = None,
    scope: Scope = "year",
) -> ReferenceFile:
    """Add the ReferenceFile row the loaded rows point at; raises Unchanged for a file already loaded."""
    sha256 = sha256 or sha256_of(path)
    if already_loaded(kind, sha256, year, quarter, scope):
        raise Unchanged(path.name)
    source = ReferenceFile(
        kind=kind, file_name=path.name, vintage=vintage, year=year, quarter=quarter, sha256=sha256,
        shipped=loading_shipped_data.get(),
    )
    db.session.add(source)
    db.session.flush()
    return source


def batches(rows: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(table: sa.Table, rows: Iterable[dict]) -> int:
    count = 0
    for batch in batches(rows):
        db.session.execute(sa.insert(table), batch)
        count += len(batch)
    return count


def upsert_rows(table: sa.Table, rows: Iterable[dict], keys: Sequence[str]) -> int:
    """Insert rows, replacing any row with the same key columns. Returns the rows read."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return _copy_upsert(connection, table, rows, keys)
    count = 0
    for batch in batches(rows):
        statement = sqlite.insert(table)
        updates = {name: statement.excluded[name] for name in batch[0] if name not in keys}
        changed = sa.or_(*(table.c[name].is_distinct_from(statement.excluded[name])
                           for name in updates if name != "source_file_id"))
        db.session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=updates, where=changed), batch)
        count += len(batch)
    return count


def _copy_upsert(connection: sa.Connection, table: sa.Table, rows: Iterable[dict], keys: Sequence[str]) -> int:
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = list(first)
    column_list = ", ".join(columns)
    staging = f"staging_{table.name}"
    raw = connection.connection.driver_connection
    count = 0
    with raw.cursor() as cursor:
        # Room to sort a full NCCI file in memory, for this transaction only.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"CREATE TEMP TABLE {staging} (LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY {staging} ({column_list}) FROM STDIN") as copy:
            copy.write_row([first[name] for name in columns])
            count += 1
            for row in iterator:
                copy.write_row([row[name] for name in columns])
                count += 1
        key_list = ", ".join(keys)
        values = [name for name in columns if name not in keys and name != "source_file_id"]
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in [*values, "source_file_id"])
        changed = " OR ".join(f"{table.name}.{name} IS DISTINCT FROM EXCLUDED.{name}" for name in values)
        # The last line of the file wins when it repeats a key, as the row-by-row path does; an
        # unchanged row is left alone (and keeps the file it first came from), so reloads are cheap.
        cursor.execute(
            f"INSERT INTO {table.name} ({column_list}) "
            f"SELECT DISTINCT ON ({key_list}) {column_list} FROM {staging} "
            f"ORDER BY {key_list}, ctid DESC "
            f"ON CONFLICT ({key_list}) DO UPDATE SET {updates} WHERE {changed or 'false'}"
        )
        cursor.execute(f"DROP TABLE {staging}")
    return count
