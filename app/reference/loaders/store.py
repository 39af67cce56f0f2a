"""Writing loaded rows: one transaction per file, and a bulk path fast enough for full CMS files.

PostgreSQL gets COPY into a temporary table then one INSERT ... ON CONFLICT; other databases
get batched executemany. Either way nothing is visible until the caller commits, so a bad
line leaves the previous data as it was.
"""
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from app.extensions import db
from app.reference.loaders.files import sha256_of
from app.reference.models import ReferenceFile

BATCH = 10_000


def record_file(
    kind: str, path: Path, vintage: str, year: int | None, quarter: int | None, sha256: str | None = None
) -> ReferenceFile:
    source = ReferenceFile(
        kind=kind, file_name=path.name, vintage=vintage, year=year, quarter=quarter,
        sha256=sha256 or sha256_of(path),
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
