"""Values as the toolkit prints them: shares, timestamps, denial reason labels, code systems.

Money is app/formatting.py's, as on the web pages."""
from __future__ import annotations

from .model import CodeSection


NOT_PRICED = "not priced"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def timestamp(value: str | None) -> str:
    """An ISO timestamp from the dashboard (UTC) as 'YYYY-MM-DD HH:MM UTC'."""
    if not value:
        return "not yet computed"
    return value[:16].replace("T", " ") + " UTC"


def reason_label(row: dict) -> str:
    code = "-".join(part for part in (row.get("group_code"), row.get("carc")) if part)
    return code or "No CARC"


def carc_meaning(description: str | None) -> str:
    """The CARC's meaning without its 'Usage:' note (instructions to payers, not to billers)."""
    if not description:
        return "No description loaded for this CARC."
    return description.split(" Usage:")[0].strip()


def short_category(row: dict) -> str:
    label = row.get("category_label") or ""
    return label.split(" (")[0]


def code_system(section: CodeSection) -> str:
    entry = section.profile.entry
    if entry is not None:
        return entry.code_system
    return "HCPCS" if section.code[:1].isalpha() else "CPT"
