"""Throwaway databases for tests: templates made once per run, and for each test a database as fresh as
a copy of one.

A copy is a real, committed database (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
PostgreSQL): a Celery worker, a second app or a subprocess sees what a test wrote, and nothing is
cleaned: a copy is dropped after its test, or, on PostgreSQL, lent to the next test when nothing wrote
to it. Every name is random, so parallel runs never collide and a killed run's leftovers are never reused."""
import os
import shutil
import uuid
from abc import ABC, abstractmethod
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def service_missing(reason: str):
    """Skip locally with the reason; in CI every service exists, so a missing one fails the run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def random_name() -> str:
    return f"denial_radar_test_{uuid.uuid4().hex[:12]}"


class Databases(ABC):
    """Create an empty database, copy or drop one, drop all that are left; lend fresh copies of a template."""

    def __init__(self):
        self.unwritten: dict[str, list[str]] = defaultdict(list)

    @abstractmethod
    def create(self) -> str: ...

    @abstractmethod
    def copy(self, template_url: str) -> str: ...

    @abstractmethod
    def drop(self, url: str) -> None: ...

    @abstractmethod
    def drop_all(self) -> None: ...

    def seal(self, template_url: str) -> None:
        """Called when a template is finished, before it is copied."""

    def written(self, url: str) -> bool:
        """Whether anything may have changed the copy since it was made (when unsure: True)."""
        return True

    @contextmanager
    def copied(self, template_url: str):
        """A database as fresh as a copy of the template, for the length of the block; nothing may be
        connected to it after. A copy nothing wrote to is lent again as it is, else it is dropped."""
        spares = self.unwritten[template_url]
        url = spares.pop() if spares else self.copy(template_url)
        try:
            yield url
        finally:
            if self.written(url):
                self.drop(url)
            else:
                spares.append(url)


class SQLiteDatabases(Databases):
    """Database files in one directory; a copy is a file copy, a few milliseconds for the loaded sample,
    so every test gets a new one (a rolled-back write leaves no trace in the file to tell by)."""

    def __init__(self, directory: Path):
        super().__init__()
        self.directory = directory

    def create(self) -> str:
        return f"sqlite:///{self.directory / random_name()}.db"

    def copy(self, template_url: str) -> str:
        url = self.create()
        shutil.copyfile(template_url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        return url

    def drop(self, url: str) -> None:
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    def drop_all(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


# Installed in a template: any statement that changes a table (even one rolled back) and any DDL
# advance the sequence, which a sealed template leaves unused. Sequences are not transactional.
MARK_WRITES = """
CREATE SEQUENCE IF NOT EXISTS public.test_writes;
CREATE OR REPLACE FUNCTION public.test_mark_write() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN PERFORM nextval('public.test_writes'); RETURN NULL; END $$;
CREATE OR REPLACE FUNCTION public.test_mark_ddl() RETURNS event_trigger LANGUAGE plpgsql AS
    $$ BEGIN PERFORM nextval('public.test_writes'); END $$;
DO $$
DECLARE tablename regclass;
BEGIN
    FOR tablename IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER test_mark_write BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE '
                       'ON %s FOR EACH STATEMENT EXECUTE FUNCTION public.test_mark_write()', tablename);
    END LOOP;
    IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'test_mark_ddl') THEN
        CREATE EVENT TRIGGER test_mark_ddl ON ddl_command_start EXECUTE FUNCTION public.test_mark_ddl();
    END IF;
END $$;
SELECT setval('public.test_writes', 1, false);
"""


class PostgresDatabases(Databases):
    """Databases on the test server, each dropped WITH (FORCE) by drop or drop_all.

    A copy is CREATE DATABASE ... TEMPLATE with PostgreSQL 15's default WAL_LOG strategy: about 70 ms for
    the loaded sample here, where FILE_COPY took 200 to 700 ms (it checkpoints twice). DROP DATABASE
    checkpoints too (about 150 ms, more on a busy server): so a copy that no statement wrote to, which
    a sealed template's triggers tell, is lent to the next test instead of being dropped and copied again."""

    def __init__(self):
        super().__init__()
        self.created: list[str] = []

    def _connect(self, database: str | None = None):
        url = POSTGRES_ADMIN_URL if database is None else f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{database}"
        return psycopg.connect(url, autocommit=True, connect_timeout=3)

    def create(self, template: str | None = None) -> str:
        try:
            admin = self._connect()
        except psycopg.OperationalError as error:
            service_missing(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error}")
        name = random_name()
        with admin:
            admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{name}"

    def seal(self, template_url: str) -> None:
        """Make a finished template's copies tell whether they were written to."""
        with self._connect(template_url.rsplit("/", 1)[1]) as connection:
            connection.execute(MARK_WRITES)

    def copy(self, template_url: str) -> str:
        """PostgreSQL copies a template only while nobody is connected to it: dispose its engines first."""
        return self.create(template=template_url.rsplit("/", 1)[1])

    def written(self, url: str) -> bool:
        with self._connect(url.rsplit("/", 1)[1]) as connection:
            return connection.execute("SELECT is_called FROM public.test_writes").fetchone()[0]

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.created.remove(name)
        with self._connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        with self._connect() as admin:
            while self.created:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.created.pop()}" WITH (FORCE)')
        self.unwritten.clear()
