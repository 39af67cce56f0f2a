"""Reading an X12 835 one segment at a time, without ever holding what identifies a patient.

Only the segments the extraction needs are split into elements, and only the elements it needs
are kept: everything else (NM1, N1-N4, REF, PER, TRN, the envelope's ids, CLP01 and CLP07, exact
dates) is stepped over by its segment id. Errors name a segment's position and kind, never its
content, so nothing of the file can reach a log or a response through them.
"""
import re
from collections.abc import Iterator
from dataclasses import dataclass

ISA_ELEMENTS = 16
DEFAULT_ELEMENT = "*"
DEFAULT_COMPONENT = ":"
DEFAULT_TERMINATOR = "~"
WHITESPACE = " \t\r\n"

#: The segments whose elements the extraction reads; every other segment is skipped unread.
READ_SEGMENTS = frozenset({"ST", "SE", "GS", "CLP", "SVC", "CAS", "LQ", "MOA", "DTM"})
#: Of the dates, only a service line's (472 service date, 150 period start) is read, and only its month is kept.
SERVICE_DATE_QUALIFIERS = ("472", "150")


class RemittanceError(ValueError):
    """A file the reader cannot take. The message names a position and a kind only."""


class NotAnX12File(RemittanceError):
    pass


@dataclass(frozen=True)
class Delimiters:
    element: str
    component: str
    segment: str
    from_envelope: bool


#: (1-based position in the file, segment id, the elements after the id)
Segment = tuple[int, str, list[str]]


def decode(data: bytes) -> str:
    """X12 is ASCII (5010 allows more in names, which are never read): one character per byte."""
    return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def find_delimiters(text: str) -> Delimiters:
    """The element separator is ISA's 4th character, the component separator ISA16, and the
    segment terminator the first non-blank character after ISA16 (a newline when none comes
    before the next segment). Without an ISA the X12 defaults are assumed."""
    start = len(text) - len(text.lstrip(WHITESPACE))
    if text.startswith("ISA", start) and len(text) > start + 3:
        element = text[start + 3]
        if element.isalnum() or element in WHITESPACE:
            raise NotAnX12File("segment 1 (ISA): no element separator after ISA")
        cursor = start
        for _ in range(ISA_ELEMENTS):  # ISA fields may be padded wrongly: count separators, not columns
            cursor = text.find(element, cursor + 1)
            if cursor < 0:
                raise NotAnX12File("segment 1 (ISA): fewer than 16 elements")
        if cursor + 1 >= len(text):
            raise NotAnX12File("segment 1 (ISA): file ends inside the envelope")
        component = text[cursor + 1]
        after = cursor + 2
        rest = text[after:after + 64]
        stripped = rest.lstrip(WHITESPACE)
        if not stripped or stripped.startswith("GS" + element) or stripped.startswith("ST" + element):
            terminator = "\n" if rest[:1] in ("\r", "\n") else rest[:1]
        else:
            terminator = stripped[0]
        if not terminator or terminator == element:
            raise NotAnX12File("segment 1 (ISA): no segment terminator after ISA16")
        return Delimiters(element, component, terminator, from_envelope=True)
    return infer_delimiters(text[start:start + 4096])


def infer_delimiters(head: str) -> Delimiters:
    """No envelope: the element separator follows the first segment id; `~` ends segments when the
    file has any, else each line is a segment."""
    identifier = head[:3] if head[:3].isalnum() else head[:2]
    if not identifier or not identifier.isalpha() or len(head) <= len(identifier):
        raise NotAnX12File("segment 1: not an X12 segment")
    element = head[len(identifier)]
    if element.isalnum() or element in WHITESPACE:
        raise NotAnX12File("segment 1: no element separator")
    terminator = DEFAULT_TERMINATOR if DEFAULT_TERMINATOR in head else "\n"
    component = DEFAULT_COMPONENT if element != DEFAULT_COMPONENT else ">"
    return Delimiters(element, component, terminator, from_envelope=False)


def segment_pattern(delimiters: Delimiters) -> re.Pattern:
    """Matches the start of every segment the extraction reads, with its elements; the regular
    expression engine steps over all other segments without Python ever seeing them."""
    element, terminator = re.escape(delimiters.element), re.escape(delimiters.segment)
    dates = "|".join(SERVICE_DATE_QUALIFIERS)
    ids = "|".join(sorted(READ_SEGMENTS - {"DTM"}, key=len, reverse=True)) + rf"|DTM(?={element}(?:{dates}){element})"
    return re.compile(rf"(?:\A|{terminator})[ \t\r\n]*({ids}){element}([^{terminator}]*)")


def read_segments(text: str, delimiters: Delimiters | None = None) -> Iterator[Segment]:
    """Yield the segments the extraction reads, in order, as (position, id, elements).

    Streams: only the current segment is ever split. Other segments (names, ids, addresses) are
    counted for positions and never copied out of the text.
    """
    delimiters = delimiters or find_delimiters(text)
    terminator = delimiters.segment
    counted_to, position = 0, 1
    for match in segment_pattern(delimiters).finditer(text):
        start = match.start(1)
        position += text.count(terminator, counted_to, start)
        counted_to = start
        yield position, match[1], match[2].rstrip(WHITESPACE).split(delimiters.element)
