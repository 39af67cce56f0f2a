"""The data to draw, gathered by `app.toolkit.builds`: one code's section and the whole document."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class CodeSection:
    """One code: its profile (catalog, fee schedule, tips, NCCI, MUE) and its stored dashboard."""

    profile: object  # app.codes.profile.CodeProfile
    dashboard: dict
    catalog_titles: dict[str, str] = field(default_factory=dict)  # code -> title, for the bundling pairs

    @property
    def code(self) -> str:
        return self.profile.code

    @property
    def category(self) -> str | None:
        return self.profile.entry.category if self.profile.entry else None


@dataclass
class Toolkit:
    """A whole document: one code (`single`) or every catalog code."""

    sections: list[CodeSection]
    data_sources: list[tuple[str, str]]  # (label, what was loaded / computed when), for the title page
    data_date: dt.date | None
    single: bool
    live_codes: int = 0
    threshold: int = 5
    min_contributors: int = 3

    @property
    def scope(self) -> str:
        if self.single and self.sections:
            return f"{self.sections[0].code}"
        return "all catalog codes"
