"""refdata: ZIP crosswalk, locality counties, anesthesia CFs, OPPS caps; OPPS RVUs; PTP rows without effective date; shipped files

Revision ID: 7a41c2e9d3b8
Revises: 3d2c7a9b5e10
Create Date: 2026-12-04 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a41c2e9d3b8'
down_revision = '3d2c7a9b5e10'
branch_labels = None
depends_on = None

RVU = sa.Numeric(7, 2)


def source_file():
    return sa.Column('source_file_id', sa.Integer(), sa.ForeignKey('reference_file.id'), nullable=False)


def upgrade():
    op.create_table('zip_locality',
    sa.Column('zip_code', sa.String(length=5), primary_key=True),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('mac', sa.String(length=5), nullable=False),
    sa.Column('locality_number', sa.String(length=2), nullable=False),
    sa.Column('rural_indicator', sa.String(length=1), nullable=False),
    sa.Column('split_by_plus_four', sa.Boolean(), nullable=False),
    source_file(),
    )
    op.create_table('locality_counties',
    sa.Column('id', sa.Integer(), primary_key=True),
    sa.Column('year', sa.Integer(), nullable=False, index=True),
    sa.Column('mac', sa.String(length=5), nullable=False),
    sa.Column('locality_number', sa.String(length=2), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('fee_schedule_area', sa.String(length=200), nullable=False),
    sa.Column('counties', sa.Text(), nullable=False),
    source_file(),
    )
    op.create_table('anesthesia_conversion_factor',
    sa.Column('year', sa.Integer(), primary_key=True),
    sa.Column('mac', sa.String(length=5), primary_key=True),
    sa.Column('locality_number', sa.String(length=2), primary_key=True),
    sa.Column('locality_name', sa.String(length=120), nullable=False),
    sa.Column('amount', sa.Numeric(8, 4), nullable=False),
    source_file(),
    )
    op.create_table('opps_cap',
    sa.Column('id', sa.Integer(), primary_key=True),
    sa.Column('year', sa.Integer(), nullable=False, index=True),
    sa.Column('hcpcs', sa.String(length=5), nullable=False),
    sa.Column('modifier', sa.String(length=2), nullable=False),
    sa.Column('status_code', sa.String(length=1), nullable=False),
    sa.Column('mac', sa.String(length=5), nullable=False),
    sa.Column('locality_number', sa.String(length=2), nullable=False),
    sa.Column('facility_price', sa.Numeric(10, 2), nullable=False),
    sa.Column('non_facility_price', sa.Numeric(10, 2), nullable=False),
    source_file(),
    sa.UniqueConstraint('year', 'hcpcs', 'modifier', 'mac', 'locality_number'),
    )
    with op.batch_alter_table('fee_schedule_rvu') as batch_op:
        batch_op.add_column(sa.Column('opps_non_facility_pe_rvu', RVU, nullable=True))
        batch_op.add_column(sa.Column('opps_facility_pe_rvu', RVU, nullable=True))
        batch_op.add_column(sa.Column('opps_mp_rvu', RVU, nullable=True))
    with op.batch_alter_table('ncci_ptp_edit') as batch_op:
        batch_op.alter_column('effective_date', existing_type=sa.Date(), nullable=True)
    with op.batch_alter_table('reference_file') as batch_op:
        batch_op.add_column(sa.Column('shipped', sa.Boolean(), nullable=False, server_default=sa.false()))
    # What data/ shipped before this revision: its samples, the CARC/RARC lists and the catalog.
    op.execute("UPDATE reference_file SET shipped = true WHERE file_name LIKE '%\\_sample.%' ESCAPE '\\' "
               "OR file_name IN ('carc.csv', 'rarc.csv', 'catalog')")


def downgrade():
    with op.batch_alter_table('reference_file') as batch_op:
        batch_op.drop_column('shipped')
    op.execute("DELETE FROM ncci_ptp_edit WHERE effective_date IS NULL")
    with op.batch_alter_table('ncci_ptp_edit') as batch_op:
        batch_op.alter_column('effective_date', existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table('fee_schedule_rvu') as batch_op:
        batch_op.drop_column('opps_mp_rvu')
        batch_op.drop_column('opps_facility_pe_rvu')
        batch_op.drop_column('opps_non_facility_pe_rvu')
    op.drop_table('opps_cap')
    op.drop_table('anesthesia_conversion_factor')
    op.drop_table('locality_counties')
    op.drop_table('zip_locality')
