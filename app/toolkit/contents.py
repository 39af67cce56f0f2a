"""What a toolkit PDF holds: each code's profile and published dashboard, and the title page's
data sources. app/toolkit/builds.py decides when a file is current and writes it."""
import datetime as dt

from flask import current_app

from app import pdf
from app.codes.catalog import catalog_codes, catalog_titles
from app.codes.profile import code_profile, latest_file
from app.dashboards.reading import code_dashboard
from app.reference.models import ReferenceFile


def section_for(code: str, titles: dict[str, str]) -> pdf.CodeSection:
    """Raises NotFound for a code neither in the catalog nor in the loaded fee schedule."""
    profile = code_profile(code)
    return pdf.CodeSection(profile=profile, dashboard=code_dashboard(profile.code), catalog_titles=titles)


def vintage_text(model: ReferenceFile | None) -> str:
    if model is None:
        return "None loaded"
    return f"{model.vintage} ({model.file_name}), loaded {model.loaded_at:%Y-%m-%d}"


def parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.rstrip("Z"))
    except ValueError:
        return None


def crowd_text(sections: list[pdf.CodeSection], single: bool) -> str:
    if single:
        board = sections[0].dashboard
        if board.get("live"):
            return (f"{board['report_count']} reports from {board['contributor_count']} billers, aggregated "
                    f"{pdf.timestamp(board.get('computed_at'))}")
        return (f"{board.get('report_count', 0)} of {board.get('threshold', 5)} reports needed so far"
                + (f" (checked {pdf.timestamp(board['computed_at'])})" if board.get("computed_at") else ""))
    live = sum(1 for section in sections if section.dashboard.get("live"))
    times = [t for t in (parse_time(s.dashboard.get("computed_at")) for s in sections) if t]
    newest = f"; newest aggregate {max(times):%Y-%m-%d %H:%M} UTC" if times else "; no report aggregated yet"
    return f"{live} of {len(sections)} codes live{newest}"


def front_matter(sections: list[pdf.CodeSection], single: bool) -> tuple[list[tuple[str, str]], dt.date | None]:
    """The title page's 'Data in this edition' rows, and the date of the newest data in the document."""
    files = {kind: latest_file(kind) for kind in ("pprrvu", "ncci_ptp", "mue", "carc", "rarc", "catalog")}
    rows = [
        ("Crowd denial reports", crowd_text(sections, single)),
        ("Medicare fee schedule", vintage_text(files["pprrvu"])),
        ("NCCI PTP edits", vintage_text(files["ncci_ptp"])),
        ("Medically unlikely edits", vintage_text(files["mue"])),
        ("CARC / RARC lists", f"{vintage_text(files['carc'])}; {vintage_text(files['rarc'])}"),
        ("Code catalog", vintage_text(files["catalog"])),
    ]
    moments = [file.loaded_at for file in files.values() if file is not None]
    moments += [t for t in (parse_time(s.dashboard.get("computed_at")) for s in sections) if t]
    return rows, (max(moments).date() if moments else None)


def make_toolkit(sections: list[pdf.CodeSection], single: bool) -> pdf.Toolkit:
    sources, data_date = front_matter(sections, single)
    return pdf.Toolkit(
        sections=sections, data_sources=sources, data_date=data_date, single=single,
        live_codes=sum(1 for section in sections if section.dashboard.get("live")),
        threshold=current_app.config["AGGREGATION_THRESHOLD"],
        min_contributors=current_app.config["MIN_CONTRIBUTORS"],
    )


def code_toolkit(code: str) -> pdf.Toolkit:
    return make_toolkit([section_for(code, catalog_titles())], single=True)


def whole_toolkit() -> pdf.Toolkit:
    titles = catalog_titles()
    return make_toolkit([section_for(code, titles) for code in catalog_codes()], single=False)
