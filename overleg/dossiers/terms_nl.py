"""Dutch terms of a text for bundling: Snowball stems, stopwords dropped, slang mapped to the standard word and
compounds split into head and tail (word lists in stopwords_nl)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from overleg.dossiers.stopwords_nl import ALL_STOPWORDS, COMPOUND_TAILS, NOT_HEADS, SYNONYMS

WORD = re.compile(r"[^\W\d_]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None)
_stemmer = snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


_TAIL_STEMS = sorted({(_stem(t), t) for t in COMPOUND_TAILS}, key=lambda p: -len(p[0]))


_WORD_CACHE: dict[str, tuple[tuple[str, str], ...]] = {}


def _analyze_word(raw: str) -> tuple[tuple[str, str], ...]:
    """(stem, surface) pairs for one lowercased word: synonyms resolved, stopwords dropped, compounds split.

    Compound splitting is cheap: a stem that ends in a word of COMPOUND_TAILS after a head of >= 3 letters
    also yields head and tail, so "ontmoetingsplekken" shares "plek" with "plek", "ontmoet" with "ontmoeting".
    """
    out = []
    for word in SYNONYMS.get(raw, raw).split():
        if len(word) < 2 or word in ALL_STOPWORDS:
            continue
        stem = _stem(word)
        out.append((stem, word))
        for tail_stem, tail in _TAIL_STEMS:
            head = stem[: -len(tail_stem)]
            if stem.endswith(tail_stem) and len(head) >= 3:
                head = head[:-1] if head.endswith(("ings", "heids", "teits", "schaps")) else head  # linking s
                head_stem = _stem(head)
                if head not in NOT_HEADS and not {head, head_stem} & ALL_STOPWORDS and len(head_stem) >= 3:
                    out += [(head_stem, head), (tail_stem, tail)]
                break
    return tuple(out)


def clean(text: object) -> str:
    text = text if isinstance(text, str) else str(text or "")
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def analyze(text: object) -> list[tuple[str, str]]:
    if len(_WORD_CACHE) > 500_000:  # bound the memory of a long-running server
        _WORD_CACHE.clear()
    cache = _WORD_CACHE
    out: list[tuple[str, str]] = []
    for word in WORD.findall(clean(text).lower()):
        pairs = cache.get(word)
        if pairs is None:
            pairs = cache[word] = _analyze_word(word)
        out += pairs
    return out


def terms(text: str) -> list[str]:
    """Lowercased Dutch Snowball stems, stopwords removed, compounds also split into head and tail."""
    return [stem for stem, _ in analyze(text)]
