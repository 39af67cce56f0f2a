"""The code search index: one row per known code (catalog or any loaded fee schedule year).

SQLite holds it in an FTS5 table with the trigram tokenizer, PostgreSQL in a table with a pg_trgm
GIN index (both made by migration a7c4e2f9d310). A row's text is what a biller may type:
our catalog title, summary and keywords, CMS's public HCPCS Level II descriptor (never a CPT
descriptor: those are the AMA's), and "evaluation and management" for the E/M range.

Words match as substrings (all of them); when nothing matches, a typo pass tries again with the
index's own words closest to each misspelt one (app/reference/spelling.py).
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.reference.code_sections import is_evaluation_and_management, is_hcpcs_level_two
from app.reference.models import CatalogCode, FeeScheduleRvu
from app.reference.spelling import corrected, vocabulary

code_search = sa.table(
    "code_search",
    sa.column("code", sa.String),
    sa.column("in_catalog", sa.Integer),
    sa.column("title", sa.String),
    sa.column("body", sa.Text),
)
EVALUATION_AND_MANAGEMENT_WORDS = "evaluation and management e/m"


@dataclass(frozen=True)
class IndexedCode:
    code: str
    in_catalog: bool
    title: str


@dataclass(frozen=True)
class SearchPage:
    codes: list[IndexedCode]
    total: int


def index_rows(connection: sa.Connection) -> list[dict]:
    """What the index holds, read from the catalog and fee schedule tables."""
    rows: dict[str, dict] = {}
    fee_schedule = connection.execute(
        sa.select(FeeScheduleRvu.hcpcs, FeeScheduleRvu.descriptor)
        .order_by(FeeScheduleRvu.hcpcs, FeeScheduleRvu.year, FeeScheduleRvu.modifier.desc())
    )
    for code, descriptor in fee_schedule:
        public = descriptor if descriptor and is_hcpcs_level_two(code) else None
        if code not in rows or public:
            rows[code] = {"code": code, "in_catalog": 0, "title": public or "", "body": public or ""}
    catalog = connection.execute(
        sa.select(CatalogCode.code, CatalogCode.title, CatalogCode.summary, CatalogCode.keywords))
    for code, title, summary, keywords in catalog:
        words = " ".join([title, summary, *keywords, rows.get(code, {}).get("body", "")])
        rows[code] = {"code": code, "in_catalog": 1, "title": title, "body": words}
    for row in rows.values():
        if is_evaluation_and_management(row["code"]):
            row["body"] = f"{row['body']} {EVALUATION_AND_MANAGEMENT_WORDS}"
        row["body"] = f"{row['code']} {row['body']}".lower()
    return sorted(rows.values(), key=lambda row: row["code"])


def rebuild_code_index(connection: sa.Connection | None = None) -> int:
    """Replace the index from the reference tables, in the caller's transaction (the session's by default)."""
    if connection is None:
        db.session.flush()
        connection = db.session.connection()
    rows = index_rows(connection)
    connection.execute(sa.delete(code_search))
    if rows:
        connection.execute(sa.insert(code_search), rows)
    if connection.dialect.name == "postgresql":
        # Fresh statistics, or the planner guesses the new rows' selectivity and scans the table.
        connection.execute(sa.text("ANALYZE code_search"))
    return len(rows)


def _as_codes(rows) -> list[IndexedCode]:
    return [IndexedCode(code, bool(in_catalog), title or "") for code, in_catalog, title in rows]


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _page(rows) -> SearchPage:
    """Rows of (code, in_catalog, title, total): the window count saves a second search for the total."""
    return SearchPage(_as_codes(row[:3] for row in rows), rows[0][3] if rows else 0)


def _sqlite_match(connection: sa.Connection, groups: list[list[str]], every: bool, limit: int, offset: int) -> SearchPage:
    any_of = ["(" + " OR ".join(_fts_phrase(word) for word in group) + ")" for group in groups]
    # Codes holding every word: catalog first; holding some: bm25 ranks those holding more first.
    rows = connection.execute(sa.text(
        "SELECT code, in_catalog, title, count(*) OVER () FROM code_search WHERE code_search MATCH :match "
        f"ORDER BY {'in_catalog DESC, ' if every else ''}rank, code LIMIT :limit OFFSET :offset"),
        {"match": (" AND " if every else " OR ").join(any_of), "limit": limit, "offset": offset}).all()
    return _page(rows)


def _postgresql_match(connection: sa.Connection, groups: list[list[str]], every: bool, limit: int, offset: int) -> SearchPage:
    body = code_search.c.body
    any_of = [sa.or_(*(body.like(_like(word)) for word in group)) for group in groups]
    held = sum(sa.case((condition, 1), else_=0) for condition in any_of)
    order = (code_search.c.in_catalog.desc(),) if every else (held.desc(),)
    rows = connection.execute(
        sa.select(code_search.c.code, code_search.c.in_catalog, code_search.c.title, sa.func.count().over())
        .where(sa.and_(*any_of) if every else sa.or_(*any_of))
        .order_by(*order, code_search.c.code).limit(limit).offset(offset)).all()
    return _page(rows)


def search_index(connection: sa.Connection, words: list[str], limit: int, offset: int = 0) -> SearchPage:
    """Codes whose text holds every word, catalog codes first.

    Failing that (a typo), the same with each misspelt word replaced by the index's closest words,
    then codes holding any of them, those holding more first. Words shorter than three
    characters cannot be matched by trigrams and are left out.
    """
    engine_match = _postgresql_match if connection.dialect.name == "postgresql" else _sqlite_match

    def match(groups: list[list[str]], every: bool) -> SearchPage:
        page = engine_match(connection, groups, every, limit, offset)
        if not page.total and offset:  # past the last page: the total still counts
            return SearchPage([], engine_match(connection, groups, every, 1, 0).total)
        return page

    words = [word for word in words if len(word) >= 3]
    if not words:
        return SearchPage([], 0)
    page = match([[word] for word in words], True)
    if page.total:
        return page
    known = vocabulary(lambda: connection.execute(sa.select(code_search.c.body)).scalars())
    groups = corrected(words, known)
    if not groups:
        return page
    if groups != [[word] for word in words]:
        page = match(groups, True)
    if page.total or len(groups) == 1:
        return page
    return match(groups, False)


def indexed_code(connection: sa.Connection, code: str) -> IndexedCode | None:
    found = connection.execute(sa.select(code_search.c.code, code_search.c.in_catalog, code_search.c.title)
                               .where(code_search.c.code == code)).all()
    return _as_codes(found)[0] if found else None


def all_codes(connection: sa.Connection, limit: int, offset: int = 0) -> SearchPage:
    total = connection.execute(sa.select(sa.func.count()).select_from(code_search)).scalar()
    found = connection.execute(
        sa.select(code_search.c.code, code_search.c.in_catalog, code_search.c.title)
        .order_by(code_search.c.code).limit(limit).offset(offset))
    return SearchPage(_as_codes(found), total)
