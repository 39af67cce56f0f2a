"""Housekeeping for kombu's SQLAlchemy transport, which keeps every consumed message forever."""
import datetime as dt

import sqlalchemy as sa
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

SQLALCHEMY_PREFIX = "sqlalchemy+"


def prune_consumed_messages(broker_url: str, older_than: dt.timedelta) -> int:
    """Delete consumed (invisible) broker rows older than ``older_than``; other brokers need nothing."""
    if not broker_url.startswith(SQLALCHEMY_PREFIX):
        return 0
    engine = sa.create_engine(broker_url[len(SQLALCHEMY_PREFIX):])
    cutoff = dt.datetime.now(dt.UTC).replace(tzinfo=None) - older_than
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("kombu_message"):
                return 0
            result = connection.execute(
                sa.text("DELETE FROM kombu_message WHERE visible = :consumed AND timestamp < :cutoff"),
                {"consumed": False, "cutoff": cutoff},
            )
            return result.rowcount
    finally:
        engine.dispose()


class PollingSQLAlchemyTransport(SQLAlchemyTransport):
    """kombu's SQLAlchemy transport polled every 0.1 s instead of every 1 s (most of a report's way to
    its dashboard). Its `polling_interval` option cannot be used: this transport hands every transport
    option to create_engine."""

    polling_interval = 0.1
