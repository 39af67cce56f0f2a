"""`flask data ...`: load CMS reference files and the catalog, one transaction per file."""
from pathlib import Path

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.reference.cache import reference_data_changed
from app.reference.loaders.catalog import load_catalog
from app.reference.loaders.files import LoadError
from app.reference.loaders.gpci import load_gpci
from app.reference.loaders.localities import load_anesthesia_factors, load_locality_counties, load_zip_localities
from app.reference.loaders.ncci import load_mue, load_ncci_ptp, parse_quarter
from app.reference.loaders.opps_cap import load_opps_cap
from app.reference.loaders.pprrvu import load_pprrvu
from app.reference.loaders.remittance_codes import load_remittance_codes
from app.reference.loaders.store import Unchanged, loading_shipped_data
from app.reference.update import UpdateFailed, current_quarter, update_reference_data

data_cli = AppGroup("data", help="Load reference data (CMS files, X12 code lists, the catalog).")
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def quarter_option(function):
    def convert(_ctx, _param, value):
        if value is None:
            return None
        try:
            return parse_quarter(value)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return click.option("--quarter", callback=convert, help="Vintage such as 2026Q3, when the file name does not tell.")(function)


def run_load(label: str, load, *args) -> int:
    """Run one loader in its own transaction: all of the file, or nothing of it. A file already
    loaded (same checksum) is skipped: reloading unchanged data changes nothing and costs a hash."""
    try:
        count = load(*args)
        db.session.commit()
        reference_data_changed()
    except Unchanged:
        db.session.rollback()
        click.echo(f"{label}: unchanged, already loaded")
        return 0
    except LoadError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except BaseException:
        db.session.rollback()
        raise
    click.echo(f"{label}: {count} rows")
    return count


@data_cli.command("load-pprrvu")
@click.argument("file", type=FILE)
@click.option("--keep-descriptors", is_flag=True,
              help="Store the AMA short descriptors (only if you hold a CPT license).")
def load_pprrvu_command(file: Path, keep_descriptors: bool):
    """Load a PPRRVU CSV (replaces that year's fee schedule)."""
    run_load(file.name, load_pprrvu, file, keep_descriptors)


@data_cli.command("load-gpci")
@click.argument("file", type=FILE)
def load_gpci_command(file: Path):
    """Load a GPCI CSV (replaces that year's localities)."""
    run_load(file.name, load_gpci, file)


@data_cli.command("load-ncci-ptp")
@click.argument("file", type=FILE)
@quarter_option
def load_ncci_ptp_command(file: Path, quarter):
    """Load an NCCI practitioner PTP file (ccipra-v322r0-f1.txt); repeat for each part."""
    run_load(file.name, load_ncci_ptp, file, quarter)


@data_cli.command("load-mue")
@click.argument("file", type=FILE)
@quarter_option
def load_mue_command(file: Path, quarter):
    """Load a practitioner MUE CSV (MCR_MUE_PractitionerServices_Eff_07-01-2026.csv)."""
    run_load(file.name, load_mue, file, quarter)


@data_cli.command("load-zip-localities")
@click.argument("file", type=FILE)
def load_zip_localities_command(file: Path):
    """Load CMS's ZIP to carrier and locality file (ZIP5_OCT2025.txt; replaces the crosswalk)."""
    run_load(file.name, load_zip_localities, file)


@data_cli.command("load-localities")
@click.argument("file", type=FILE)
def load_localities_command(file: Path):
    """Load the locality to counties file (25LOCCO.csv; replaces that year's)."""
    run_load(file.name, load_locality_counties, file)


@data_cli.command("load-anesthesia-cf")
@click.argument("file", type=FILE)
@click.option("--year", type=click.IntRange(1990, 2100), help="When the file name does not tell (ANES2025.csv does).")
def load_anesthesia_cf_command(file: Path, year: int | None):
    """Load the anesthesia conversion factors per locality (ANES2025.csv; replaces that year's)."""
    run_load(file.name, load_anesthesia_factors, file, year)


@data_cli.command("load-opps-cap")
@click.argument("file", type=FILE)
@click.option("--year", type=click.IntRange(1990, 2100), help="The file does not name it; a folder like rvu25d does.")
def load_opps_cap_command(file: Path, year: int | None):
    """Load the OPPS imaging cap per locality (OPPSCAP_Oct.csv from the RVU bundle; replaces that year's)."""
    run_load(file.name, load_opps_cap, file, year)


@data_cli.command("load-carc")
@click.argument("file", type=FILE)
def load_carc_command(file: Path):
    """Load the Claim Adjustment Reason Code list."""
    run_load(file.name, load_remittance_codes, "carc", file)


@data_cli.command("load-rarc")
@click.argument("file", type=FILE)
def load_rarc_command(file: Path):
    """Load the Remittance Advice Remark Code list."""
    run_load(file.name, load_remittance_codes, "rarc", file)


@data_cli.command("load-catalog")
@click.argument("directory", type=click.Path(exists=True, path_type=Path))
def load_catalog_command(directory: Path):
    """Load our code catalog (a YAML file or a directory of them)."""
    run_load(directory.name, load_catalog, directory)


def sample_directory() -> Path:
    return Path(current_app.config["DATA_DIRECTORY"])


@data_cli.command("load-all")
def load_all_command():
    """Load the data shipped in data/ (fee schedules, localities, ZIPs, OPPS caps, anesthesia CFs, NCCI,
    CARC/RARC, the catalog). Files already loaded are skipped, and so is a shipped file older than
    what `data update` has loaded since."""
    token = loading_shipped_data.set(True)
    try:
        load_shipped(sample_directory())
    finally:
        loading_shipped_data.reset(token)


def shipped(data: Path, pattern: str) -> list[Path]:
    return sorted(data.glob(pattern))


def load_shipped(data: Path) -> None:
    for path in shipped(data, "pprrvu/*.csv*"):
        run_load(path.name, load_pprrvu, path, False)
    for path in shipped(data, "gpci/*.csv*"):
        run_load(path.name, load_gpci, path)
    for path in shipped(data, "localities/*LOCCO*.csv*"):
        run_load(path.name, load_locality_counties, path)
    for path in shipped(data, "localities/ANES*.csv*"):
        run_load(path.name, load_anesthesia_factors, path, None)
    for path in shipped(data, "localities/ZIP5*.txt*"):
        run_load(path.name, load_zip_localities, path)
    for path in shipped(data, "opps_cap/*/OPPSCAP*.csv*"):
        run_load(path.name, load_opps_cap, path, None)
    for path in shipped(data, "ncci/*.txt*") + shipped(data, "ncci/*.tsv*"):
        run_load(path.name, load_ncci_ptp, path, None)
    for path in (p for p in shipped(data, "ncci/*.csv*") if "mue" in p.name.lower()):
        run_load(path.name, load_mue, path, None)
    run_load("carc.csv", load_remittance_codes, "carc", data / "carc_rarc" / "carc.csv")
    run_load("rarc.csv", load_remittance_codes, "rarc", data / "carc_rarc" / "rarc.csv")
    run_load("catalog", load_catalog, data / "catalog")


@data_cli.command("update")
@quarter_option
def update_command(quarter):
    """Fetch this quarter's CMS files from the configured URLs, check them and load them in one
    transaction; on any failure the data stays as it was."""
    quarter = quarter or current_quarter(dt.date.today())
    try:
        report = update_reference_data(current_app.config["REFERENCE_URLS"], quarter,
                                       current_app.config.get("REFERENCE_UPDATE_MINIMUM_ROWS"))
    except UpdateFailed as error:
        raise click.ClickException(f"update failed, nothing changed: {error}") from None
    click.echo(report.summary)
