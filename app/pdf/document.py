"""The document: page templates and decorations, page numbers, the table of contents and outline,
the order of the whole story, and `render` (multiBuild)."""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from app.enums import CatalogCategory

from .flowables import SectionHeading, notice
from .model import Toolkit
from .sections import code_story
from .styles import (
    ACCENT,
    BOLD,
    FONT,
    MARGIN,
    MUTED,
    NAVY,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    STYLES,
    TITLE_BAND,
    _style,
    text,
)
from .title import cover, how_to_read

class NumberedCanvas(pdfcanvas.Canvas):
    """Writes 'Page N of M' on every page but the cover, once the page count is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_states: list[dict] = []

    def showPage(self):
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._page_states)
        for state in self._page_states:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                self.setFont(FONT, 8)
                self.setFillColor(MUTED)
                self.drawRightString(PAGE_WIDTH - MARGIN, 0.45 * inch, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


class ToolkitDocument(BaseDocTemplate):
    def __init__(self, output, toolkit: Toolkit):
        scope = toolkit.scope
        super().__init__(
            output, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=0.85 * inch, title=f"Revenue Protection Toolkit: {scope}", author="Denial Radar",
            subject="Denial triggers, modifier pitfalls and bundling conflicts", creator="Denial Radar",
        )
        self.toolkit = toolkit
        date = toolkit.data_date.isoformat() if toolkit.data_date else "no data loaded"
        self.footer_text = f"Denial Radar \u00b7 Revenue Protection Toolkit \u00b7 {scope} \u00b7 data as of {date}"
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_frame = Frame(self.leftMargin, self.bottomMargin, self.width,
                            PAGE_HEIGHT - TITLE_BAND - 0.6 * inch - self.bottomMargin, id="cover",
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover_frame], onPage=self.draw_cover),
            PageTemplate("body", [body], onPage=self.draw_body),
        ])

    def draw_cover(self, canv, _doc):
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, PAGE_HEIGHT - TITLE_BAND, PAGE_WIDTH, TITLE_BAND, stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, PAGE_HEIGHT - TITLE_BAND - 5, PAGE_WIDTH, 5, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(BOLD, 26)
        canv.drawString(MARGIN, PAGE_HEIGHT - 1.05 * inch, "Denial Radar")
        canv.setFont(FONT, 11.5)
        canv.drawString(MARGIN, PAGE_HEIGHT - 1.4 * inch,
                        "Claim denials, per procedure code, reported anonymously by US medical billers")
        canv.setFillColor(MUTED)
        canv.setFont(FONT, 8)
        canv.drawString(MARGIN, 0.45 * inch, self.footer_text)
        canv.restoreState()

    def draw_body(self, canv, _doc):
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, PAGE_HEIGHT - 0.55 * inch, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 0.55 * inch)
        canv.setFont(BOLD, 8)
        canv.setFillColor(NAVY)
        canv.drawString(MARGIN, PAGE_HEIGHT - 0.47 * inch, "Revenue Protection Toolkit")
        canv.setFont(FONT, 8)
        canv.setFillColor(MUTED)
        canv.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 0.47 * inch, "Denial Radar")
        canv.line(MARGIN, 0.62 * inch, PAGE_WIDTH - MARGIN, 0.62 * inch)
        canv.drawString(MARGIN, 0.45 * inch, self.footer_text)
        canv.restoreState()

    def afterFlowable(self, flowable):
        entry = getattr(flowable, "toc_entry", None)
        if not entry:
            return
        level, title, key = entry
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text(title), self.page, key))


def contents() -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [
        _style("toc0", fontName=BOLD, fontSize=10.5, leading=15, leftIndent=0, firstLineIndent=0, spaceBefore=5,
               textColor=NAVY),
        _style("toc1", fontSize=9.5, leading=13, leftIndent=14, firstLineIndent=0),
        _style("toc2", fontSize=9, leading=12, leftIndent=28, firstLineIndent=0, textColor=MUTED),
    ]
    return toc


def story_for(toolkit: Toolkit) -> list[Flowable]:
    story: list[Flowable] = [NextPageTemplate("body"), *cover(toolkit), PageBreak()]
    story += [Paragraph("Contents", STYLES["page_title"]), contents(), Spacer(1, 12)]
    story.append(KeepTogether(how_to_read(toolkit)))
    if not toolkit.sections:
        story += [PageBreak(), notice("No code in the catalog yet: load it with flask --app app data load-all.")]
        return story
    if toolkit.single:
        story.append(PageBreak())
        story += code_story(toolkit.sections[0], toc_level=0, subsections_in_toc=True)
        return story
    category = object()
    for section in toolkit.sections:
        story.append(PageBreak())
        if section.category != category:
            category = section.category
            label = CatalogCategory(category).label
            story.append(SectionHeading(label, "category", 0, f"category-{category}"))
        story += code_story(section, toc_level=1, subsections_in_toc=False)
    return story


def render(toolkit: Toolkit) -> bytes:
    """The toolkit as PDF bytes (contents need two passes: multiBuild)."""
    buffer = io.BytesIO()
    document = ToolkitDocument(buffer, toolkit)
    document.multiBuild(story_for(toolkit), canvasmaker=NumberedCanvas)
    return buffer.getvalue()
