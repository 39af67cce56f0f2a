"""The biller's own refused text, cut into plain and marked pieces, so the form can show where
the PHI check found patient information. Pure functions: the text goes back only in the response
that refused it (never logged, stored or cached)."""
from dataclasses import dataclass

from app.privacy.phi import check_fields


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str | None = None  # the PHI kind of a marked piece; None for plain text
    description: str = ""


def marked_pieces(fields: dict[str, str | None]) -> dict[str, list[Piece]]:
    """For each free-text field with findings: its text as plain and marked pieces, in order."""
    pieces: dict[str, list[Piece]] = {}
    by_field: dict[str, list] = {}
    for finding in check_fields(fields):
        by_field.setdefault(finding.field, []).append(finding)
    for name, findings in by_field.items():
        text = fields[name] or ""
        out, pos = [], 0
        for finding in sorted(findings, key=lambda f: (f.start, f.end)):
            start = max(finding.start, pos)
            if finding.end <= start:
                continue
            if start > pos:
                out.append(Piece(text[pos:start]))
            out.append(Piece(text[start:finding.end], finding.kind, finding.description()))
            pos = finding.end
        if pos < len(text):
            out.append(Piece(text[pos:]))
        pieces[name] = out
    return pieces
