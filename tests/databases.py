"""Throwaway databases for tests: a SQLite file, or a PostgreSQL database made and dropped per run."""
import os
import uuid

import psycopg
import pytest

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def service_missing(reason: str):
    """Skip locally with the reason; in CI every service exists, so a missing one fails the run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


class PostgresDatabases:
    def __init__(self):
        self.created: list[str] = []

    def _admin(self):
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)

    def create(self, template: str | None = None) -> str:
        try:
            admin = self._admin()
        except psycopg.OperationalError as error:
            service_missing(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error}")
        name = f"denial_radar_test_{uuid.uuid4().hex[:12]}"
        with admin:
            admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{name}"

    def drop_all(self):
        if not self.created:
            return
        with self._admin() as admin:
            for name in self.created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()
