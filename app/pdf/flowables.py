"""The toolkit's building blocks: headings that feed the contents, tables, bullet lists, notices."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Table, TableStyle

from .styles import BODY_WIDTH, NAVY, RULE, STYLES, ZEBRA, para, text


class SectionHeading(Paragraph):
    """A section title with a rule under it; `toc_entry` makes the document list it and bookmark it."""

    def __init__(self, title: str, style: str = "h2", toc_level: int | None = None, key: str | None = None):
        super().__init__(text(title), STYLES[style])
        self.toc_entry = (toc_level, title, key) if toc_level is not None else None
        self.ruled = style == "h2"

    def draw(self):
        super().draw()
        if self.ruled:
            self.canv.setStrokeColor(RULE)
            self.canv.setLineWidth(0.7)
            self.canv.line(0, -4, self.width, -4)


class TocAnchor(Flowable):
    """An invisible mark that puts an entry in the contents and the PDF outline (e.g. a code whose
    visible heading is a styled block rather than a paragraph)."""

    def __init__(self, level: int, title: str, key: str):
        super().__init__()
        self.toc_entry = (level, title, key)
        self.keepWithNext = True

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        pass


def data_table(header: list[str], rows: list[list], widths: list[float], numeric: tuple[int, ...] = ()) -> Table:
    """A table with a dark header row repeated on each page, zebra rows and wrapped cells.

    Cells may be Paragraphs already, or values (escaped here)."""
    head = [Paragraph(text(h), STYLES["th_num" if i in numeric else "th"]) for i, h in enumerate(header)]
    body = []
    for row in rows:
        body.append([
            cell if isinstance(cell, (Flowable, list)) else Paragraph(text(cell), STYLES["cell_num" if i in numeric else "cell"])
            for i, cell in enumerate(row)
        ])
    table = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def key_value_table(rows: list[tuple[str, str]], key_width: float = 1.8 * inch) -> Table:
    data = [[para(key, "kv_key"), para(value, "kv_value")] for key, value in rows]
    table = Table(data, colWidths=[key_width, BODY_WIDTH - key_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def bullets(items: list, style: str = "bullet") -> ListFlowable:
    return ListFlowable(
        [ListItem(item if isinstance(item, Flowable) else para(item, style), leftIndent=12) for item in items],
        bulletType="bullet", start="\u2022", leftIndent=12, bulletFontSize=8, bulletOffsetY=-1,
    )


def notice(value: str) -> Paragraph:
    return para(value, "notice")
