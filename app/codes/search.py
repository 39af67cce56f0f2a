"""Code search in the biller's words: a code as billers write it opens its page, words search the index."""
import re
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.reference.code_format import CODE_SHAPE
from app.reference.code_index import SearchPage, all_codes, indexed_code, search_index
from app.reference.code_sections import cpt_section
from app.reference.models import CatalogCode
from app.reports.rules import is_known_code

#: "20553", "CPT 20553", "cpt: 20553", "HCPCS G0283", "20553-59", "20553 59", "20553-XS".
CODE_AS_TYPED = re.compile(
    rf"^(?:(?:cpt|hcpcs)(?:\s+code)?[\s:#-]*)?({CODE_SHAPE})(?:\s*[-\s]\s*[0-9A-Z]{{2}})?$", re.I)
#: Ways of writing evaluation and management; the index holds "e/m" for the E/M range.
EVALUATION_AND_MANAGEMENT = re.compile(r"\b(?:e\s*/\s*m|e\s*&\s*m|e\s+and\s+m|em)\b", re.I)
EDGE_PUNCTUATION = "\"'.,;:!?()[]{}"
#: Control characters (NUL above all, which PostgreSQL text refuses) are never part of a search.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Any offset past the last code answers the same empty page; the databases refuse larger integers.
LAST_OFFSET = 2**31


@dataclass(frozen=True)
class CodeResult:
    code: str
    title: str
    summary: str | None
    category: str | None
    in_catalog: bool
    section: str | None


def code_to_open(query: str) -> str | None:
    """The code whose page a query asks for, when it names one code that we know."""
    match = CODE_AS_TYPED.match(query.strip())
    if not match:
        return None
    code = match[1].upper()
    return code if is_known_code(code) else None


def query_words(query: str) -> list[str]:
    text = EVALUATION_AND_MANAGEMENT.sub(" e/m ", query.lower())
    return [word.strip(EDGE_PUNCTUATION) for word in text.split() if word.strip(EDGE_PUNCTUATION)]


def results(page: SearchPage) -> list[CodeResult]:
    catalog_codes = [found.code for found in page.codes if found.in_catalog]
    entries = {code: (summary, category) for code, summary, category in db.session.execute(
        sa.select(CatalogCode.code, CatalogCode.summary, CatalogCode.category)
        .where(CatalogCode.code.in_(catalog_codes)))} if catalog_codes else {}
    listed = []
    for found in page.codes:
        summary, category = entries.get(found.code, (None, None))
        listed.append(CodeResult(
            code=found.code,
            title=found.title or f"Procedure code {found.code}",
            summary=summary,
            category=category,
            in_catalog=found.code in entries,
            section=cpt_section(found.code),
        ))
    return listed


def search_codes(query: str, limit: int = 50, offset: int = 0) -> tuple[list[CodeResult], int]:
    """A page of codes for the query (every known code when it is empty) and how many there are."""
    query = CONTROL.sub(" ", query or "").strip()
    offset = min(offset, LAST_OFFSET)
    connection = db.session.connection()
    if not query:
        page = all_codes(connection, limit, offset)
    elif known := code_to_open(query):
        # The code itself first, then codes whose text mentions it (a catalog entry naming it, say).
        exact = indexed_code(connection, known)
        mentions = search_index(connection, [known.lower()], limit + 1, max(offset - 1, 0))
        others = [found for found in mentions.codes if found.code != known]
        listed = ([exact] if exact and offset == 0 else []) + others
        page = SearchPage(listed[:limit], max(mentions.total, 1))
    else:
        page = search_index(connection, query_words(query), limit, offset)
    return results(page), page.total
