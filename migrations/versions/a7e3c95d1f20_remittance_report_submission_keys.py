"""report_submission: one keyed hash per submission token, unique (idempotent report submission)

Revision ID: a7e3c95d1f20
Revises: a7c4e2f9d310
Create Date: 2026-12-04 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e3c95d1f20'
down_revision = 'a7c4e2f9d310'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_submission',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['report_id'], ['denial_report.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('report_submission') as batch_op:
        batch_op.create_index(batch_op.f('ix_report_submission_report_id'), ['report_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_submission') as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_submission_report_id'))
    op.drop_table('report_submission')
