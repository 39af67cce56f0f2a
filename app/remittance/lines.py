"""The anonymous service lines of an 835: code, modifiers, units, adjustments, remarks, month.

One pass over the segments (loops 2100 claim and 2110 service line); a claim's identifying
elements (CLP01 patient control number, CLP07 payer claim number) are never read.
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.remittance.segments import Delimiters, NotAnX12File, RemittanceError, Segment, find_delimiters, read_segments

#: Claim filing indicator (CLP06) to our payer types. 16 is "HMO Medicare Risk", i.e. Medicare Advantage.
PAYER_TYPES = {
    "MA": "medicare", "MB": "medicare", "16": "medicare_advantage", "MC": "medicaid",
    "CI": "commercial", "BL": "commercial", "HM": "commercial", "12": "commercial", "13": "commercial",
    "14": "commercial", "15": "commercial", "17": "commercial", "FI": "commercial",
    "WC": "workers_comp", "CH": "tricare_va", "VA": "tricare_va",
}
REVERSAL_STATUS = "22"
LINE_REMARK = "HE"  # LQ01: claim payment remark code (a RARC)
COMPONENT_CANDIDATES = ":>^|<\\!@#&+"
MAX_TRIPLETS = 6


@dataclass
class Adjustment:
    group_code: str
    carc: str
    amount: Decimal | None


@dataclass
class ClaimContext:
    status: str
    payer_type: str
    claim_filing: str
    position: int
    adjustments: list[Adjustment] = field(default_factory=list)  # claim level: after CLP, before any SVC
    remarks: list[str] = field(default_factory=list)  # MOA
    has_lines: bool = False


@dataclass
class ServiceLine:
    position: int
    claim: ClaimContext
    qualifier: str | None = None
    code: str | None = None
    modifiers: list[str] = field(default_factory=list)
    units: int = 1
    charge: Decimal | None = None
    paid: Decimal | None = None
    month: str | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    unreadable: str | None = None  # why the line's code cannot be trusted
    warnings: list[str] = field(default_factory=list)


@dataclass
class Remittance:
    """What a file holds, anonymously: its service lines and claims' claim-level adjustments."""

    lines: list[ServiceLine] = field(default_factory=list)
    claims: list[ClaimContext] = field(default_factory=list)  # those with claim-level adjustments only
    versions: set[str] = field(default_factory=set)
    transaction_sets: int = 0


def amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def billed_units(svc: list[str]) -> int:
    """SVC07 (original units) when present and not zero, else SVC05 (units paid), else 1."""
    for index in (6, 4):
        text = svc[index] if len(svc) > index else ""
        if text.isdigit():  # the usual case, without a Decimal
            if int(text) > 0:
                return int(text)
            continue
        value = amount(text) if text else None
        if value is not None and value > 0:
            return max(1, int(value.to_integral_value()))
    return 1


def split_procedure(composite: str, delimiters: Delimiters) -> tuple[list[str], bool]:
    """SVC01's components, falling back to the separator the payer actually used when it is not ISA16."""
    if delimiters.component in composite:
        return composite.split(delimiters.component), False
    if len(composite) > 3 and composite[:2].isalnum() and composite[2] in COMPONENT_CANDIDATES:
        return composite.split(composite[2]), True
    return [composite], False


def read_procedure(line: ServiceLine, svc: list[str], delimiters: Delimiters) -> None:
    """Fill the line's code, modifiers, charge, paid and units; mark it unreadable rather than guess."""
    parts, fell_back = split_procedure(svc[0] if svc else "", delimiters)
    if fell_back:
        line.warnings.append("component_separator")
    line.qualifier = parts[0].upper() or None
    line.charge = amount(svc[1]) if len(svc) > 1 else None
    line.paid = amount(svc[2]) if len(svc) > 2 else None
    line.units = billed_units(svc)
    code = parts[1].upper() if len(parts) > 1 else ""
    modifiers = [m.upper() for m in parts[2:6] if m]
    if not code:
        line.unreadable = "SVC01 has no procedure code"
    elif not (len(code) == 5 and code.isalnum()):
        line.unreadable = "SVC01's procedure code is not 5 letters or digits"
    elif any(not (len(m) == 2 and m.isalnum()) for m in modifiers):
        line.unreadable = "SVC01 has a modifier that is not 2 letters or digits"
    elif line.charge is None:
        line.unreadable = "SVC02 (the charge) is not a number"
    else:
        line.code, line.modifiers = code, modifiers


def read_adjustments(cas: list[str], position: int) -> tuple[list[Adjustment], list[str]]:
    """Up to six (reason, amount, quantity) triplets after CAS01's group code."""
    group = cas[0].upper() if cas else ""
    adjustments, problems = [], []
    for triplet in range(MAX_TRIPLETS):
        start = 1 + 3 * triplet
        carc = cas[start].upper() if len(cas) > start else ""
        if not carc:
            continue
        value = amount(cas[start + 1]) if len(cas) > start + 1 else None
        if value is None:
            problems.append(f"segment {position} (CAS): triplet {triplet + 1} has no readable amount")
        adjustments.append(Adjustment(group, carc, value))
    if not group:
        problems.append(f"segment {position} (CAS): no group code")
    return adjustments, problems


def service_month(dtm: list[str]) -> str | None:
    """YYYY-MM only; the exact date is not kept."""
    text = dtm[1] if len(dtm) > 1 else ""
    if len(text) >= 6 and text[:6].isdigit() and 1 <= int(text[4:6]) <= 12:
        return f"{text[:4]}-{text[4:6]}"
    return None


def read_remittance(text: str) -> Remittance:
    """Read a whole 835 into its anonymous lines. Raises NotAnX12File / RemittanceError."""
    result = Remittance()
    for line in iter_service_lines(text, result):
        result.lines.append(line)
    return result


def iter_service_lines(text: str, result: Remittance | None = None) -> Iterator[ServiceLine]:
    """The service lines one at a time (claims and file facts go to ``result`` when given)."""
    delimiters = find_delimiters(text)
    result = result if result is not None else Remittance()
    yield from _walk(read_segments(text, delimiters), delimiters, result)
    if not result.transaction_sets:
        raise NotAnX12File("no ST*835 transaction set in the file")


def _walk(segments: Iterable[Segment], delimiters: Delimiters, result: Remittance) -> Iterator[ServiceLine]:
    claim: ClaimContext | None = None
    line: ServiceLine | None = None
    in_835 = False
    for position, kind, elements in segments:
        if kind == "ST":
            in_835 = bool(elements) and elements[0] == "835"
            if in_835:
                result.transaction_sets += 1
                if len(elements) > 2 and elements[2]:
                    result.versions.add(elements[2])
            claim = line = None
        elif kind == "GS":
            if len(elements) > 7 and elements[7]:
                result.versions.add(elements[7])
        elif not in_835:
            continue
        elif kind == "SE":
            if line:
                yield line
            claim = line = None
        elif kind == "CLP":
            if line:
                yield line
            line = None
            if len(elements) < 2 or not elements[1]:
                raise RemittanceError(f"segment {position} (CLP): no claim status")
            filing = elements[5].upper() if len(elements) > 5 else ""
            claim = ClaimContext(elements[1], PAYER_TYPES.get(filing, "other"), filing, position)
        elif claim is None:
            continue  # PLB and the header: nothing per line
        elif kind == "SVC":
            if line:
                yield line
            line = ServiceLine(position, claim)
            claim.has_lines = True
            read_procedure(line, elements, delimiters)
        elif kind == "CAS":
            adjustments, problems = read_adjustments(elements, position)
            if line is None and adjustments and not claim.adjustments:
                result.claims.append(claim)
            (line or claim).adjustments.extend(adjustments)
            if line and problems:
                line.warnings.append("unreadable_adjustment")
        elif kind == "MOA":
            claim.remarks.extend(code.upper() for code in elements[2:7] if code)
        elif kind == "LQ" and line:
            if len(elements) > 1 and elements[0].upper() == LINE_REMARK and elements[1]:
                line.remarks.append(elements[1].upper())
        elif kind == "DTM" and line and line.month is None:  # the reader passes service dates only
            line.month = service_month(elements)
    if line:
        yield line


__all__ = ["NotAnX12File", "RemittanceError", "read_remittance", "iter_service_lines", "ServiceLine", "Remittance"]
