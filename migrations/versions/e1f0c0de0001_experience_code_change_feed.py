"""code_change: feed entries when a code goes live or its top reason or best appeal changes

Revision ID: e1f0c0de0001
Revises: 7a41c2e9d3b8
Create Date: 2026-12-04 16:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1f0c0de0001'
down_revision = '7a41c2e9d3b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'code_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=5), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('code_change') as batch_op:
        batch_op.create_index(batch_op.f('ix_code_change_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_code_change_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('code_change') as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_change_created_at'))
        batch_op.drop_index(batch_op.f('ix_code_change_code'))
    op.drop_table('code_change')
