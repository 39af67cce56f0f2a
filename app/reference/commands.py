"""`flask data ...`: load CMS reference files and the catalog, one transaction per file."""
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


KEEP_DESCRIPTORS = click.option("--keep-descriptors", is_flag=True,
                                help="Store the AMA short descriptors (only if you hold a CPT license).")


def year_option(help_text: str):
    return click.option("--year", type=click.IntRange(1990, 2100), help=help_text)


@dataclass(frozen=True)
class LoadCommand:
    """A `flask data load-...` command, and where `load-all` finds its files in data/."""
    name: str
    load: Callable[..., int]  # load(path, **options): rows loaded
    help: str
    shipped: tuple[str, ...]  # patterns under data/, each one's files in name order; a plain name is one path
    options: tuple[Callable, ...] = ()  # click options, passed to load by name; load-all leaves their defaults
    argument: str = "file"
    argument_type: click.Path = FILE


#: In the order load-all loads them.
LOAD_COMMANDS = (
    LoadCommand("load-pprrvu", load_pprrvu, "Load a PPRRVU CSV (replaces that year's fee schedule).",
                ("pprrvu/*.csv*",), options=(KEEP_DESCRIPTORS,)),
    LoadCommand("load-gpci", load_gpci, "Load a GPCI CSV (replaces that year's localities).", ("gpci/*.csv*",)),
    LoadCommand("load-localities", load_locality_counties,
                "Load the locality to counties file (25LOCCO.csv; replaces that year's).",
                ("localities/*LOCCO*.csv*",)),
    LoadCommand("load-anesthesia-cf", load_anesthesia_factors,
                "Load the anesthesia conversion factors per locality (ANES2025.csv; replaces that year's).",
                ("localities/ANES*.csv*",),
                options=(year_option("When the file name does not tell (ANES2025.csv does)."),)),
    LoadCommand("load-zip-localities", load_zip_localities,
                "Load CMS's ZIP to carrier and locality file (ZIP5_OCT2025.txt; replaces the crosswalk).",
                ("localities/ZIP5*.txt*",)),
    LoadCommand("load-opps-cap", load_opps_cap,
                "Load the OPPS imaging cap per locality (OPPSCAP_Oct.csv from the RVU bundle; replaces that year's).",
                ("opps_cap/*/OPPSCAP*.csv*",),
                options=(year_option("The file does not name it; a folder like rvu25d does."),)),
    LoadCommand("load-ncci-ptp", load_ncci_ptp,
                "Load an NCCI practitioner PTP file (ccipra-v322r0-f1.txt); repeat for each part.",
                ("ncci/*.txt*", "ncci/*.tsv*"), options=(quarter_option,)),
    LoadCommand("load-mue", load_mue,
                "Load a practitioner MUE CSV (MCR_MUE_PractitionerServices_Eff_07-01-2026.csv).",
                ("ncci/*[Mm][Uu][Ee]*.csv*",), options=(quarter_option,)),
    LoadCommand("load-carc", functools.partial(load_remittance_codes, "carc"),
                "Load the Claim Adjustment Reason Code list.", ("carc_rarc/carc.csv",)),
    LoadCommand("load-rarc", functools.partial(load_remittance_codes, "rarc"),
                "Load the Remittance Advice Remark Code list.", ("carc_rarc/rarc.csv",)),
    LoadCommand("load-catalog", load_catalog, "Load our code catalog (a YAML file or a directory of them).",
                ("catalog",), argument="directory", argument_type=click.Path(exists=True, path_type=Path)),
)


def add_load_command(command: LoadCommand) -> None:
    def load_file(**values) -> None:
        path = values.pop(command.argument)
        run_load(path.name, functools.partial(command.load, **values), path)

    for option in reversed(command.options):
        load_file = option(load_file)
    load_file = click.argument(command.argument, type=command.argument_type)(load_file)
    data_cli.command(command.name, help=command.help)(load_file)


for load_command in LOAD_COMMANDS:
    add_load_command(load_command)


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
    if not any(wildcard in pattern for wildcard in "*?["):
        return [data / pattern]  # always loaded: a missing file is an error, not nothing to load
    return sorted(data.glob(pattern))


def load_shipped(data: Path) -> None:
    for command in LOAD_COMMANDS:
        for pattern in command.shipped:
            for path in shipped(data, pattern):
                run_load(path.name, command.load, path)


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
