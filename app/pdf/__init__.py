"""The Revenue Protection Toolkit as a PDF, drawn with ReportLab (platypus + graphics).

Pure rendering: `render(toolkit)` turns the data gathered by `app.toolkit.builds` into PDF bytes
and reads nothing from the database. What it shows:

- per code: denial triggers (the live top denial reasons and the appeal strategies that won, with
  success rates and 95% intervals, or how many reports the code still needs), modifier pitfalls,
  bundling conflicts (NCCI PTP pairs), billing tips with their money impact, the payment table;
- a title page with the date of the data, a table of contents, page numbers.

Rules it keeps: every text that reaches a Paragraph goes through `text()` (XML-escaped: report
and reference strings may hold markup); counts are shown only as the dashboard's `display` strings,
so a suppressed cell reads SUPPRESSED_LABEL ("fewer than 3") and its exact count never appears (the dashboard holds
None there anyway); charts draw non-suppressed rows only; report free text is never shown; CPT
descriptors never appear (only the catalog's own titles).

Modules, in import order: `styles` (look, `text`), `model` (`CodeSection`, `Toolkit`), `flowables`,
`formatting`, `charts`, `header` and `sections` (one code), `title` (front matter), `document`
(templates, contents, `render`).
"""

from .document import render
from .formatting import timestamp
from .model import CodeSection, Toolkit
from .styles import text

__all__ = ["CodeSection", "Toolkit", "render", "text", "timestamp"]
