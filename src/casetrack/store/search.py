"""Full-text search over ``search_doc``: ranked hits with highlighted snippets.

SQLite uses the FTS5 table ``search_fts`` (tokenizer ``unicode61
remove_diacritics 2``, so "Ales" finds "Aleś", "cafe" finds "Café", and Cyrillic
is tokenised like Latin), ranked by ``bm25`` with ``snippet()`` highlighting.
PostgreSQL matches ``to_tsvector('casetrack_search', title || ' ' || body)``
(the GIN-indexed expression of migration 0003) against ``plainto_tsquery`` and
ranks with ``ts_rank`` and ``ts_headline``. ``casetrack_search`` is ``simple``
with the ``unaccent`` dictionary in front of it, so diacritics are folded in the
index, the query and the snippet alike (and the snippet keeps the original
spelling); where the migration could not install ``unaccent`` it is plain
``simple`` and :func:`folds_diacritics` says so. Both return the same
:class:`Hit` shape.

User input is never passed through as query syntax: every word becomes a
quoted FTS5 string (``"signatures"``), so ``AND``, ``NEAR``, ``*``, ``:`` or an
unbalanced quote are searched for as words instead of raising a syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from casetrack.errors import UsageError

PG_CONFIG = "casetrack_search"
MARK_START = "\x02"
MARK_END = "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Hit:
    record_type: str
    record_id: int
    title: str
    snippet: str  # matched words wrapped in MARK_START / MARK_END
    rank: float

    def snippet_with(self, start: str, end: str) -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)


def terms(query: str) -> list[str]:
    """The words of a query (NFC); the FTS tokenizer folds case and Latin diacritics itself.

    Folding here would be wrong for Cyrillic: NFKD turns "й" into "и" plus a breve.
    """
    return _WORD.findall(unicodedata.normalize("NFC", query))


def fts5_query(query: str) -> str:
    """Every word as a quoted FTS5 string, all required: safe against FTS syntax."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in terms(query))


def search(
    session: Session, query: str, *, record_type: str | None = None, limit: int = 20, offset: int = 0
) -> list[Hit]:
    words = terms(query)
    if not words:
        raise UsageError(f"nothing to search for in {query!r}", hint="give at least one word")
    if limit < 0 or offset < 0:
        raise UsageError("--limit and --offset must not be negative")
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _search_postgres(session, " ".join(words), record_type, limit, offset)
    return _search_sqlite(session, fts5_query(query), record_type, limit, offset)


def _search_sqlite(
    session: Session, match: str, record_type: str | None, limit: int, offset: int
) -> list[Hit]:
    sql = (
        "SELECT d.record_type, d.record_id, d.title, "
        f"snippet(search_fts, -1, '{MARK_START}', '{MARK_END}', '…', 16) AS snip, bm25(search_fts, 5.0, 1.0) AS rank "
        "FROM search_fts JOIN search_doc AS d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH :match" + (" AND d.record_type = :record_type" if record_type else "") + " "
        "ORDER BY rank LIMIT :limit OFFSET :offset"
    )
    params = {"match": match, "record_type": record_type, "limit": limit, "offset": offset}
    rows = session.connection().execute(text(sql), params)
    return [Hit(r[0], int(r[1]), r[2], r[3] or "", float(r[4])) for r in rows]


def _search_postgres(
    session: Session, words: str, record_type: str | None, limit: int, offset: int
) -> list[Hit]:
    config = f"'{PG_CONFIG}'::regconfig"
    document = f"to_tsvector({config}, title || ' ' || body)"
    sql = (
        "SELECT record_type, record_id, title, "
        f"ts_headline({config}, body, q, 'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=20, MinWords=5') "
        f"AS snip, ts_rank(setweight(to_tsvector({config}, title), 'A') || "
        f"setweight(to_tsvector({config}, body), 'D'), q) AS rank "
        f"FROM search_doc, plainto_tsquery({config}, :words) AS q "
        f"WHERE {document} @@ q" + (" AND record_type = :record_type" if record_type else "") + " "
        "ORDER BY rank DESC, id LIMIT :limit OFFSET :offset"
    )
    params = {"words": words, "record_type": record_type, "limit": limit, "offset": offset}
    rows = session.connection().execute(text(sql), params)
    return [Hit(r[0], int(r[1]), r[2], r[3] or "", float(r[4])) for r in rows]


def folds_diacritics(session: Session) -> bool:
    """Whether search ignores diacritics here: always on SQLite; on PostgreSQL if ``unaccent`` is in use."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    probe = text(f"SELECT to_tsvector('{PG_CONFIG}'::regconfig, 'Aleś')::text")
    return session.connection().execute(probe).scalar() == "'ales':1"
