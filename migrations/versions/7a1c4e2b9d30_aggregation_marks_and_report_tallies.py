"""aggregation marks and report tallies (incremental dashboard counts)

Revision ID: 7a1c4e2b9d30
Revises: a7e3c95d1f20
Create Date: 2026-12-04 16:40:00

The tallies of existing reports are counted here, in SQL, with the same keys as
app/reports/tallies.py; every code with reports is marked dirty so its dashboard is rebuilt.
"""
from alembic import op
import sqlalchemy as sa


revision = '7a1c4e2b9d30'
down_revision = 'a7e3c95d1f20'
branch_labels = None
depends_on = None

ACCEPTED = "r.status = 'accepted'"
# (dimension, key expression, extra FROM, extra WHERE): the cells of app/reports/tallies.report_cells.
CELLS = [
    ("reports", "''", "", ""),
    ("contributor", "r.contributor", "", ""),
    ("reason", "CASE WHEN r.carc IS NOT NULL THEN COALESCE(r.group_code, '') || '|' || r.carc || '|' "
               "ELSE '||' || COALESCE(r.denial_category, '') END", "", ""),
    ("reason_rarc", "CASE WHEN r.carc IS NOT NULL THEN COALESCE(r.group_code, '') || '|' || r.carc || '|' "
                    "ELSE '||' || COALESCE(r.denial_category, '') END || '|' || x.rarc",
     " JOIN report_remark_code x ON x.report_id = r.id", ""),
    ("payer_type", "r.payer_type", "", ""),
    ("month", "r.report_month", "", ""),
    ("category", "r.denial_category", "", " AND r.denial_category IS NOT NULL"),
    ("appeal", "r.appeal_strategy || '|' || COALESCE(r.appeal_outcome, 'pending')", "",
     " AND r.appeal_strategy IS NOT NULL AND r.appeal_strategy <> 'not_appealed'"),
    ("days", "CAST(r.days_to_resolution AS VARCHAR(12))", "", " AND r.days_to_resolution IS NOT NULL"),
    ("modifier", "m.modifier", " JOIN report_modifier m ON m.report_id = r.id", ""),
]


def upgrade():
    op.create_table('aggregation_mark',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_index('ix_aggregation_mark_marked_at', 'aggregation_mark', ['marked_at'], unique=False)
    op.create_table('report_tally',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', 'dimension', 'key')
    )
    op.create_index('ix_denial_report_code_updated_at', 'denial_report', ['code', 'updated_at'], unique=False)
    op.create_index('ix_denial_report_code_quotable', 'denial_report', ['code', 'updated_at'], unique=False,
                    postgresql_where=sa.text('narrative_approved OR appeal_notes_approved'),
                    sqlite_where=sa.text('narrative_approved OR appeal_notes_approved'))
    for dimension, key, joins, where in CELLS:
        op.execute(
            f"INSERT INTO report_tally (code, dimension, key, count) "
            f"SELECT r.code, '{dimension}', {key}, count(*) FROM denial_report r{joins} "
            f"WHERE {ACCEPTED}{where} GROUP BY 1, 3"  # by position: the key is an expression
        )
    op.execute("INSERT INTO aggregation_mark (code, marked_at) SELECT DISTINCT code, CURRENT_TIMESTAMP FROM denial_report")


def downgrade():
    op.drop_index('ix_denial_report_code_quotable', table_name='denial_report')
    op.drop_index('ix_denial_report_code_updated_at', table_name='denial_report')
    op.drop_table('report_tally')
    op.drop_index('ix_aggregation_mark_marked_at', table_name='aggregation_mark')
    op.drop_table('aggregation_mark')
