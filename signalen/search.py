"""Full-text search in Dutch: SQLite FTS5 over Snowball-stemmed words, PostgreSQL to_tsvector('dutch', …)."""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer
from piccolo.columns.combination import WhereRaw

_WORD = re.compile(r"\w+", re.UNICODE)
# What PostgreSQL indexes: the generated column signaal.zoekvector holds exactly this (see the migrations).
PG_DOCUMENT = (
    "to_tsvector('dutch', coalesce(signaal.titel, '') || ' ' || coalesce(signaal.omschrijving, '') || ' ' || "
    "coalesce(signaal.plek, '') || ' ' || coalesce(signaal.citaten::text, ''))"
)
MAX_TERMS = 12


@functools.cache
def _stemmer():
    return snowballstemmer.stemmer("dutch")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return [_fold(w) for w in _WORD.findall(text or "") if not w.isdigit() or len(w) > 1]


def stem_all(text: str) -> str:
    """The text as Dutch stems, for the SQLite index (stored in signaal.zoektekst)."""
    return " ".join(_stemmer().stemWords(words(text)))


def document(titel: str, omschrijving: str, plek: str, citaten: list[str]) -> str:
    return stem_all(" ".join([titel or "", omschrijving or "", plek or "", *(citaten or [])]))


def sqlite_match(query: str) -> str | None:
    """An FTS5 MATCH expression: every term must occur, as a stem prefix ("ontmoetingsplek" finds "…plekken")."""
    stems = _stemmer().stemWords(words(query))[:MAX_TERMS]
    terms = [f'"{s}"*' for s in stems if s]
    return " AND ".join(terms) or None


def postgres_query(query: str) -> str | None:
    """A to_tsquery('dutch', …) text: every term, with prefix matching; only word characters pass."""
    terms = [f"{w}:*" for w in words(query)[:MAX_TERMS] if w]
    return " & ".join(terms) or None


def where(engine: str, query: str) -> WhereRaw | None:
    if engine == "postgres":
        text = postgres_query(query)
        # signaal.zoekvector is PG_DOCUMENT stored by the database (a generated column with a GIN index).
        return WhereRaw("signaal.zoekvector @@ to_tsquery('dutch', {})", text) if text else None
    match = sqlite_match(query)
    if match is None:
        return None
    return WhereRaw("signaal.id IN (SELECT rowid FROM signaal_fts WHERE signaal_fts MATCH {})", match)
