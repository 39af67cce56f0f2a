"""code search index: FTS5 trigram table on SQLite, pg_trgm GIN index on PostgreSQL

Revision ID: a7c4e2f9d310
Revises: e1f0c0de0001
Create Date: 2026-12-04 16:50:00

"""
from alembic import op

from app.reference.code_index import rebuild_code_index


# revision identifiers, used by Alembic.
revision = 'a7c4e2f9d310'
down_revision = 'e1f0c0de0001'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE TABLE code_search (code VARCHAR(5) PRIMARY KEY, in_catalog INTEGER NOT NULL, "
                   "title TEXT NOT NULL, body TEXT NOT NULL)")
        op.execute("CREATE INDEX ix_code_search_body_trgm ON code_search USING gin (body gin_trgm_ops)")
    else:
        op.execute("CREATE VIRTUAL TABLE code_search USING fts5("
                   "code UNINDEXED, in_catalog UNINDEXED, title UNINDEXED, body, tokenize = 'trigram')")
    # A database loaded before this migration gets its index now; later loads rebuild it.
    rebuild_code_index(connection)


def downgrade():
    op.execute("DROP TABLE code_search")
