"""The code search index: one row per known code (catalog or any loaded fee schedule year).

SQLite holds it in an FTS5 table with the trigram tokenizer, PostgreSQL in a table with a pg_trgm
GIN index (both made by the migration `code_search`). A row's text is what a biller may type:
our catalog title, summary and keywords, CMS's public HCPCS Level II descriptor (never a CPT
descriptor: those are the AMA's), and "evaluation and management" for the E/M range.

Words match as substrings (all of them); when nothing matches, the typo pass ranks codes by
trigram similarity of each word (pg_trgm's word similarity; on SQLite the same idea over the
FTS5 trigram candidates).
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.reference.code_sections import is_evaluation_and_management, is_hcpcs_level_two
from app.reference.models import CatalogCode, FeeScheduleRvu

code_search = sa.table(
    "code_search",
    sa.column("code", sa.String),
    sa.column("in_catalog", sa.Integer),
    sa.column("title", sa.String),
    sa.column("body", sa.Text),
)
EVALUATION_AND_MANAGEMENT_WORDS = "evaluation and management e/m"
#: Candidates the SQLite typo pass scores in Python (the best by FTS5's bm25 over shared trigrams).
TYPO_CANDIDATES = 300
#: The typo pass keeps a code when its words are this close to the query's on average (pg_trgm's
#: default word-similarity threshold); a misspelt word next to a correct one still finds the code.
TYPO_SIMILARITY = 0.6


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
    return len(rows)


def trigrams(word: str) -> set[str]:
    return {word[i:i + 3] for i in range(len(word) - 2)}


def padded_trigrams(word: str) -> set[str]:
    """Trigrams of the word with pg_trgm's padding (two spaces before, one after)."""
    return trigrams(f"  {word} ")


def similarity(word: str, text: str) -> float:
    """The share of the word's trigrams found in the closest word of the text (pg_trgm's word similarity, roughly)."""
    wanted = padded_trigrams(word)
    return max((len(wanted & padded_trigrams(candidate)) / len(wanted) for candidate in text.split()), default=0.0)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _as_codes(rows) -> list[IndexedCode]:
    return [IndexedCode(code, bool(in_catalog), title or "") for code, in_catalog, title in rows]


def _sqlite_search(connection: sa.Connection, words: list[str], limit: int, offset: int) -> SearchPage:
    match = " AND ".join(_fts_phrase(word) for word in words)
    where = "code_search MATCH :match"
    total = connection.execute(sa.text(f"SELECT count(*) FROM code_search WHERE {where}"), {"match": match}).scalar()
    if total:
        found = connection.execute(sa.text(
            f"SELECT code, in_catalog, title FROM code_search WHERE {where} "
            "ORDER BY in_catalog DESC, rank, code LIMIT :limit OFFSET :offset"),
            {"match": match, "limit": limit, "offset": offset})
        return SearchPage(_as_codes(found), total)
    grams = sorted({gram for word in words for gram in trigrams(word)})
    candidates = connection.execute(sa.text(
        "SELECT code, in_catalog, title, body FROM code_search WHERE code_search MATCH :match "
        "ORDER BY rank LIMIT :limit"),
        {"match": " OR ".join(_fts_phrase(gram) for gram in grams), "limit": TYPO_CANDIDATES})
    scored = []
    for code, in_catalog, title, body in candidates:
        scores = [similarity(word, body) for word in words]
        if sum(scores) / len(scores) >= TYPO_SIMILARITY:
            scored.append((-in_catalog, -sum(scores), code, IndexedCode(code, bool(in_catalog), title or "")))
    scored.sort(key=lambda item: item[:3])
    return SearchPage([item[3] for item in scored[offset:offset + limit]], len(scored))


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _postgresql_search(connection: sa.Connection, words: list[str], limit: int, offset: int) -> SearchPage:
    body = code_search.c.body
    exact = sa.and_(*(body.like(_like(word)) for word in words))
    total = connection.execute(sa.select(sa.func.count()).select_from(code_search).where(exact)).scalar()
    columns = (code_search.c.code, code_search.c.in_catalog, code_search.c.title)
    if total:
        found = connection.execute(sa.select(*columns).where(exact)
                                   .order_by(code_search.c.in_catalog.desc(), code_search.c.code)
                                   .limit(limit).offset(offset))
        return SearchPage(_as_codes(found), total)
    score = sum(sa.func.word_similarity(sa.literal(word), body) for word in words) / len(words)
    close = sa.and_(sa.or_(*(sa.literal(word).op("<%")(body) for word in words)), score >= TYPO_SIMILARITY)
    total = connection.execute(sa.select(sa.func.count()).select_from(code_search).where(close)).scalar()
    found = connection.execute(sa.select(*columns).where(close)
                               .order_by(code_search.c.in_catalog.desc(), score.desc(), code_search.c.code)
                               .limit(limit).offset(offset))
    return SearchPage(_as_codes(found), total)


def search_index(connection: sa.Connection, words: list[str], limit: int, offset: int = 0) -> SearchPage:
    """Codes whose text holds every word (catalog codes first); failing that, the closest by trigrams.

    Words shorter than three characters cannot be matched by trigrams and are left out.
    """
    words = [word for word in words if len(word) >= 3]
    if not words:
        return SearchPage([], 0)
    if connection.dialect.name == "postgresql":
        return _postgresql_search(connection, words, limit, offset)
    return _sqlite_search(connection, words, limit, offset)


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
