"""ncci_ptp_edit without a per-row foreign key check on its source file

Revision ID: 3d2c7a9b5e10
Revises: 8ef9d1fa5ab7
Create Date: 2026-12-03 18:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3d2c7a9b5e10'
down_revision = '8ef9d1fa5ab7'
branch_labels = None
depends_on = None

# SQLite keeps the constraint unnamed; batch mode names it by this convention to find it.
SQLITE_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
SQLITE_NAME = "fk_ncci_ptp_edit_source_file_id_reference_file"
POSTGRESQL_NAME = "ncci_ptp_edit_source_file_id_fkey"


def constraint_name() -> str:
    return SQLITE_NAME if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_NAME


def upgrade():
    with op.batch_alter_table('ncci_ptp_edit', naming_convention=SQLITE_NAMES) as batch_op:
        batch_op.drop_constraint(constraint_name(), type_='foreignkey')


def downgrade():
    with op.batch_alter_table('ncci_ptp_edit', naming_convention=SQLITE_NAMES) as batch_op:
        batch_op.create_foreign_key(constraint_name(), 'reference_file', ['source_file_id'], ['id'])
