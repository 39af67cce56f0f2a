"""The appeal letter as a PDF, with every patient blank left empty for the biller to fill by hand."""
import io
import re

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from app.claims.appeal_letter import BLANKS, AppealLetter
from app.pdf import text
from app.pdf.styles import STYLES

TOKEN = re.compile(r"\{(" + "|".join(BLANKS) + r")\}")
EMPTY_BLANK = "_" * 18


def empty_blanks(paragraph: str) -> str:
    return TOKEN.sub(EMPTY_BLANK, paragraph)


def render_letter(letter: AppealLetter) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
                                 bottomMargin=inch, title=letter.subject, author="Denial Radar (draft)")
    story = [Paragraph(text(f"Date: {EMPTY_BLANK}"), STYLES["body"]), Spacer(1, 8),
             Paragraph(text(f"Re: {letter.subject}"), STYLES["h3"])]
    for label in ("Patient", "Member ID", "Claim number", "Date of service"):
        story.append(Paragraph(text(f"{label}: {EMPTY_BLANK}"), STYLES["body"]))
    story.append(Spacer(1, 10))
    story.extend(Paragraph(text(empty_blanks(paragraph)), STYLES["body"]) for paragraph in letter.paragraphs)
    story += [Spacer(1, 18), Paragraph(text("Sincerely,"), STYLES["body"]), Spacer(1, 24),
              Paragraph(text(f"{EMPTY_BLANK} (name, practice, NPI, telephone)"), STYLES["body"]), Spacer(1, 24),
              Paragraph(text("Drafted from: " + "; ".join(v for v in letter.vintages.values() if v)), STYLES["small"])]
    document.build(story)
    return buffer.getvalue()
