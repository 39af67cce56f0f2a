"""`flask data ...`: load CMS reference files and the catalog, one transaction per file."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.reference.loaders.catalog import load_catalog
from app.reference.memo import forget_reference_version
from app.reference.loaders.files import LoadError
from app.reference.loaders.gpci import load_gpci
from app.reference.loaders.ncci import load_mue, load_ncci_ptp, parse_quarter
from app.reference.loaders.pprrvu import load_pprrvu
from app.reference.loaders.remittance_codes import load_remittance_codes

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
    """Run one loader in its own transaction: all of the file, or nothing of it."""
    try:
        count = load(*args)
        db.session.commit()
        forget_reference_version()
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
    """Load the sample shipped in data/: fee schedules, GPCIs, NCCI, CARC/RARC and the catalog."""
    data = sample_directory()
    for path in sorted(data.glob("pprrvu/*.csv")):
        run_load(path.name, load_pprrvu, path, False)
    for path in sorted(data.glob("gpci/*.csv")):
        run_load(path.name, load_gpci, path)
    for path in sorted(data.glob("ncci/*.txt")):
        run_load(path.name, load_ncci_ptp, path, None)
    for path in sorted(p for p in data.glob("ncci/*.csv") if "mue" in p.name.lower()):
        run_load(path.name, load_mue, path, None)
    run_load("carc.csv", load_remittance_codes, "carc", data / "carc_rarc" / "carc.csv")
    run_load("rarc.csv", load_remittance_codes, "rarc", data / "carc_rarc" / "rarc.csv")
    run_load("catalog", load_catalog, data / "catalog")
