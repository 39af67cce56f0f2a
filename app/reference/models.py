"""Reference tables: CMS fee schedule, GPCIs, NCCI edits, MUEs, CARC/RARC and our catalog.

Every row points at the ReferenceFile it came from, so pages can say which file and
vintage (year, quarter) a figure belongs to.
"""
import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db

RVU = sa.Numeric(7, 2)
FACTOR = sa.Numeric(6, 3)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ReferenceFile(db.Model):
    """One loaded public file: what it was, which vintage, when it was loaded."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), index=True)
    file_name: so.Mapped[str] = so.mapped_column(sa.String(255))
    vintage: so.Mapped[str] = so.mapped_column(sa.String(80))
    year: so.Mapped[int | None]
    quarter: so.Mapped[int | None]
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    row_count: so.Mapped[int] = so.mapped_column(default=0)
    loaded_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)
    # Loaded by `data load-all` from data/: such a file never outranks a newer one loaded since.
    shipped: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())


class ConversionFactor(db.Model):
    year: so.Mapped[int] = so.mapped_column(primary_key=True)
    amount: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(8, 4))
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))
    source_file: so.Mapped[ReferenceFile] = so.relationship()


class FeeScheduleRvu(db.Model):
    """A PPRRVU row: one HCPCS code and modifier (blank, 26, TC, 53) for one year."""

    __table_args__ = (sa.UniqueConstraint("year", "hcpcs", "modifier"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    year: so.Mapped[int] = so.mapped_column(index=True)
    hcpcs: so.Mapped[str] = so.mapped_column(sa.String(5), index=True)
    modifier: so.Mapped[str] = so.mapped_column(sa.String(2), default="")
    descriptor: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    status_code: so.Mapped[str] = so.mapped_column(sa.String(1))
    work_rvu: so.Mapped[Decimal] = so.mapped_column(RVU)
    non_facility_pe_rvu: so.Mapped[Decimal] = so.mapped_column(RVU)
    non_facility_na: so.Mapped[bool]
    facility_pe_rvu: so.Mapped[Decimal] = so.mapped_column(RVU)
    facility_na: so.Mapped[bool]
    mp_rvu: so.Mapped[Decimal] = so.mapped_column(RVU)
    pctc_indicator: so.Mapped[str] = so.mapped_column(sa.String(1))
    global_days: so.Mapped[str] = so.mapped_column(sa.String(3))
    multiple_procedure: so.Mapped[str] = so.mapped_column(sa.String(1))
    bilateral_surgery: so.Mapped[str] = so.mapped_column(sa.String(1))
    assistant_surgery: so.Mapped[str] = so.mapped_column(sa.String(1))
    co_surgery: so.Mapped[str] = so.mapped_column(sa.String(1))
    team_surgery: so.Mapped[str] = so.mapped_column(sa.String(1))
    # The RVUs CMS prices the OPPS imaging cap with (DRA 2005 section 5102(b)); zero for other codes.
    opps_non_facility_pe_rvu: so.Mapped[Decimal | None] = so.mapped_column(RVU)
    opps_facility_pe_rvu: so.Mapped[Decimal | None] = so.mapped_column(RVU)
    opps_mp_rvu: so.Mapped[Decimal | None] = so.mapped_column(RVU)
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))
    source_file: so.Mapped[ReferenceFile] = so.relationship()


class Gpci(db.Model):
    __table_args__ = (sa.UniqueConstraint("year", "mac", "locality_number"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    year: so.Mapped[int] = so.mapped_column(index=True)
    mac: so.Mapped[str] = so.mapped_column(sa.String(5))
    state: so.Mapped[str] = so.mapped_column(sa.String(2))
    locality_number: so.Mapped[str] = so.mapped_column(sa.String(2))
    locality_name: so.Mapped[str] = so.mapped_column(sa.String(120))
    work: so.Mapped[Decimal] = so.mapped_column(FACTOR)
    practice_expense: so.Mapped[Decimal] = so.mapped_column(FACTOR)
    malpractice: so.Mapped[Decimal] = so.mapped_column(FACTOR)
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))
    source_file: so.Mapped[ReferenceFile] = so.relationship()

    @property
    def locality_id(self) -> str:
        return f"{self.mac}-{self.locality_number}"


class NcciPtpEdit(db.Model):
    """A practitioner procedure-to-procedure edit. Deleted edits stay, with their deletion date."""

    __table_args__ = (sa.UniqueConstraint("column_one", "column_two"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # The unique (column_one, column_two) index serves lookups by column one as well.
    column_one: so.Mapped[str] = so.mapped_column(sa.String(5))
    column_two: so.Mapped[str] = so.mapped_column(sa.String(5), index=True)
    existed_before_1996: so.Mapped[bool]
    # None only for rows from a derived copy that dropped CMS's Effective Date column.
    effective_date: so.Mapped[dt.date | None]
    deletion_date: so.Mapped[dt.date | None]
    modifier_indicator: so.Mapped[str] = so.mapped_column(sa.String(1))
    rationale: so.Mapped[str] = so.mapped_column(sa.String(200))
    # The load that last wrote the edit. Unlike the smaller tables, no foreign key: a quarter is
    # millions of rows and PostgreSQL checks a foreign key row by row, a sixth of a full load. Only
    # the loader writes here, in the transaction that adds the ReferenceFile row, and reference files
    # are never deleted.
    source_file_id: so.Mapped[int]
    source_file: so.Mapped[ReferenceFile] = so.relationship(
        primaryjoin="foreign(NcciPtpEdit.source_file_id) == ReferenceFile.id", viewonly=True)


class ZipLocality(db.Model):
    """CMS's ZIP code to carrier and pricing locality crosswalk (ZIP5 file): where a biller is paid from."""

    zip_code: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    state: so.Mapped[str] = so.mapped_column(sa.String(2))
    mac: so.Mapped[str] = so.mapped_column(sa.String(5))
    locality_number: so.Mapped[str] = so.mapped_column(sa.String(2))
    rural_indicator: so.Mapped[str] = so.mapped_column(sa.String(1))
    # Set when some ZIP+4 codes of this ZIP are priced in another locality (CMS's ZIP9 file says which).
    split_by_plus_four: so.Mapped[bool]
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))


class LocalityCounties(db.Model):
    """A payment locality's fee schedule area and counties (the LOCCO file)."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    year: so.Mapped[int] = so.mapped_column(index=True)
    mac: so.Mapped[str] = so.mapped_column(sa.String(5))
    locality_number: so.Mapped[str] = so.mapped_column(sa.String(2))
    state: so.Mapped[str] = so.mapped_column(sa.String(40))
    fee_schedule_area: so.Mapped[str] = so.mapped_column(sa.String(200))
    counties: so.Mapped[str] = so.mapped_column(sa.Text)
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))


class AnesthesiaConversionFactor(db.Model):
    """The anesthesia conversion factor of a locality (ANES file); mac and locality blank: national."""

    year: so.Mapped[int] = so.mapped_column(primary_key=True)
    mac: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    locality_number: so.Mapped[str] = so.mapped_column(sa.String(2), primary_key=True)
    locality_name: so.Mapped[str] = so.mapped_column(sa.String(120))
    amount: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(8, 4))
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))


class OppsCap(db.Model):
    """A locality's payment after the OPPS imaging cap (OPPSCAP file); for carrier-priced codes, the cap."""

    __table_args__ = (sa.UniqueConstraint("year", "hcpcs", "modifier", "mac", "locality_number"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    year: so.Mapped[int] = so.mapped_column(index=True)
    hcpcs: so.Mapped[str] = so.mapped_column(sa.String(5))
    modifier: so.Mapped[str] = so.mapped_column(sa.String(2))
    status_code: so.Mapped[str] = so.mapped_column(sa.String(1))
    mac: so.Mapped[str] = so.mapped_column(sa.String(5))
    locality_number: so.Mapped[str] = so.mapped_column(sa.String(2))
    facility_price: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(10, 2))
    non_facility_price: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(10, 2))
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))


class MedicallyUnlikelyEdit(db.Model):
    """A practitioner MUE: the most units of a code one provider bills for one patient on one date."""

    hcpcs: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    max_units: so.Mapped[int]
    adjudication_indicator: so.Mapped[str] = so.mapped_column(sa.String(1))
    adjudication_text: so.Mapped[str] = so.mapped_column(sa.String(80))
    rationale: so.Mapped[str] = so.mapped_column(sa.String(120))
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))
    source_file: so.Mapped[ReferenceFile] = so.relationship()


class AdjustmentReasonCode(db.Model):
    """A Claim Adjustment Reason Code (CARC)."""

    code: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    start_date: so.Mapped[dt.date | None]
    last_modified: so.Mapped[dt.date | None]
    stop_date: so.Mapped[dt.date | None]
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))


class RemarkCode(db.Model):
    """A Remittance Advice Remark Code (RARC)."""

    code: so.Mapped[str] = so.mapped_column(sa.String(6), primary_key=True)
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    start_date: so.Mapped[dt.date | None]
    last_modified: so.Mapped[dt.date | None]
    stop_date: so.Mapped[dt.date | None]
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))


class CatalogCode(db.Model):
    """Our own description of a code, its guidelines and billing tips (never the AMA descriptor)."""

    code: so.Mapped[str] = so.mapped_column(sa.String(5), primary_key=True)
    code_system: so.Mapped[str] = so.mapped_column(sa.String(5))
    category: so.Mapped[str] = so.mapped_column(sa.String(40), index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(120))
    summary: so.Mapped[str] = so.mapped_column(sa.Text)
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    indications: so.Mapped[list] = so.mapped_column(sa.JSON)
    procedure_steps: so.Mapped[list] = so.mapped_column(sa.JSON)
    coding_guidelines: so.Mapped[list] = so.mapped_column(sa.JSON)
    billing_tips: so.Mapped[list] = so.mapped_column(sa.JSON)
    common_denials: so.Mapped[list] = so.mapped_column(sa.JSON)
    related_codes: so.Mapped[list] = so.mapped_column(sa.JSON)
    keywords: so.Mapped[list] = so.mapped_column(sa.JSON)
    search_text: so.Mapped[str] = so.mapped_column(sa.Text)
    source_file_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(ReferenceFile.id))
