"""The code search index: one row per known code (catalog or any loaded fee schedule year).

SQLite holds it in an FTS5 table with the trigram tokenizer, PostgreSQL in a table with a pg_trgm
GIN index (both made by the migration `code_search`). A row's text is what a biller may type:
our catalog title, summary and keywords, CMS's public HCPCS Level II descriptor (never a CPT
descriptor: those are the AMA's), and "evaluation and management" for the E/M range.

Words match as substrings (all of them); when nothing matches, a typo pass tries again with the
closest words by trigram similarity (pg_trgm's word similarity on PostgreSQL; on SQLite the
index's own words closest to each misspelt one).
"""
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.reference.code_sections import is_evaluation_and_management, is_hcpcs_level_two
from app.reference.memo import memoised
from app.reference.models import CatalogCode, FeeScheduleRvu

code_search = sa.table(
    "code_search",
    sa.column("code", sa.String),
    sa.column("in_catalog", sa.Integer),
    sa.column("title", sa.String),
    sa.column("body", sa.Text),
)
EVALUATION_AND_MANAGEMENT_WORDS = "evaluation and management e/m"
#: PostgreSQL's typo pass keeps a code when its words are this close to the query's on average
#: (pg_trgm's default word-similarity threshold), so a misspelt word next to a correct one still counts.
WORD_SIMILARITY = 0.6
#: SQLite's typo pass replaces a misspelt word by up to this many index words at least this similar
#: (Jaccard over padded trigrams: "neddling" and "needling" score 0.5, "ambulence" and "ambulance" 0.47).
CLOSE_WORDS = 5
TYPO_SIMILARITY = 0.4


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


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _as_codes(rows) -> list[IndexedCode]:
    return [IndexedCode(code, bool(in_catalog), title or "") for code, in_catalog, title in rows]


@dataclass(frozen=True)
class Vocabulary:
    """Every word of the index, and the words holding each padded trigram (for spelling suggestions)."""

    words: str  # every word, one a line, so a substring test is one `in`
    by_trigram: dict[str, tuple[str, ...]]
    trigram_counts: dict[str, int]


def vocabulary(connection: sa.Connection) -> Vocabulary:
    # Built once per reference version: reading the index back costs tens of milliseconds, and the
    # SQLite typo pass must stay inside bench/code_search.py's p95 goal of 20 ms.
    def build() -> Vocabulary:
        words = {word for (body,) in connection.execute(sa.select(code_search.c.body))
                 for word in body.split() if len(word) >= 3}
        by_trigram: dict[str, list[str]] = defaultdict(list)
        for word in words:
            for gram in padded_trigrams(word):
                by_trigram[gram].append(word)
        return Vocabulary("\n".join(sorted(words)), {gram: tuple(found) for gram, found in by_trigram.items()},
                          {word: len(padded_trigrams(word)) for word in words})

    return memoised("code_search_vocabulary", (), build)


def close_words(vocabulary: Vocabulary, word: str) -> list[str]:
    """The index words most like a misspelt one (Jaccard similarity of padded trigrams)."""
    wanted = padded_trigrams(word)
    shared = Counter(found for gram in wanted for found in vocabulary.by_trigram.get(gram, ()))
    sizes = vocabulary.trigram_counts
    scored = sorted(((count / (len(wanted) + sizes[found] - count), found) for found, count in shared.items()),
                    reverse=True)
    return [found for score, found in scored[:CLOSE_WORDS] if score >= TYPO_SIMILARITY]


def _sqlite_match(connection: sa.Connection, match: str, limit: int, offset: int, catalog_first: bool = True) -> SearchPage:
    where = "code_search MATCH :match"
    total = connection.execute(sa.text(f"SELECT count(*) FROM code_search WHERE {where}"), {"match": match}).scalar()
    if not total:
        return SearchPage([], 0)
    found = connection.execute(sa.text(
        f"SELECT code, in_catalog, title FROM code_search WHERE {where} "
        f"ORDER BY {'in_catalog DESC, ' if catalog_first else ''}rank, code LIMIT :limit OFFSET :offset"),
        {"match": match, "limit": limit, "offset": offset})
    return SearchPage(_as_codes(found), total)


def _any_of(words: list[str]) -> str:
    return "(" + " OR ".join(_fts_phrase(word) for word in words) + ")"


def _sqlite_search(connection: sa.Connection, words: list[str], limit: int, offset: int) -> SearchPage:
    page = _sqlite_match(connection, " AND ".join(_fts_phrase(word) for word in words), limit, offset)
    if page.total:
        return page
    # Typo pass: each word the index does not hold becomes the index words closest to it (or is
    # left out when none is close); failing all of them together, codes holding any of them.
    known = vocabulary(connection)
    groups = []
    for word in words:
        if word in known.words or not word.isalpha():
            # Held by the index (with others it is not), or a number: codes are never guessed at.
            groups.append([word])
        elif close := close_words(known, word):
            groups.append(close)
    if not groups:
        return page
    page = _sqlite_match(connection, " AND ".join(_any_of(group) for group in groups), limit, offset)
    if page.total or len(groups) == 1:
        return page
    # bm25 ranks the codes holding more of the words first.
    return _sqlite_match(connection, " OR ".join(_any_of(group) for group in groups), limit, offset, catalog_first=False)


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
    close = sa.and_(sa.or_(*(sa.literal(word).op("<%")(body) for word in words)), score >= WORD_SIMILARITY)
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
