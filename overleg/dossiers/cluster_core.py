"""What both bundling engines share: the signal and dossier records, the TF-IDF corpus, the candidate search
on an inverted index, average-link grouping, and the Dutch reason line. No engine decisions live here.

A document is a TF-IDF vector over Dutch Snowball stems of its title (counted TITLE_WEIGHT times) and description,
with stopwords dropped, slang mapped to the standard word and compounds split (see terms_nl). Terms in more than
MAX_DF of a big input (at least MAX_DF_FLOOR signals) are skipped for candidates; each signal reads at most
SCAN_BUDGET postings; above LARGE signals both engines keep fewer links, for speed.
"""

from __future__ import annotations

import datetime
import heapq
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from common.dates import MAANDEN
from overleg.dossiers.terms_nl import WORD, analyze, clean

TITLE_WEIGHT = 2
MAX_DF, MAX_DF_FLOOR, SCAN_BUDGET, LARGE = 0.25, 100, 120, 2000


@dataclass(frozen=True)
class SignalText:
    id: int
    titel: str
    omschrijving: str = ""
    plek: str = ""
    signaaltype: str = ""  # slug, e.g. "te-weinig-ontmoetingsplekken"
    levensdomein: str = ""  # slug, e.g. "vrije-tijd"
    datum: datetime.date | None = None
    # Unit sentence-meaning vector (numpy, any length shared by all signals) or None: then only words count.
    vector: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class DossierProfile:
    id: int
    titel: str
    omschrijving: str
    signalen: tuple[SignalText, ...]
    # Signals someone took out of this dossier: they count against a new signal that resembles them.
    uitgehaald: tuple[SignalText, ...] = ()


@dataclass(frozen=True)
class NewGroup:
    signalen: tuple[int, ...]
    titel_voorstel: str
    reden: str
    score: float


@dataclass(frozen=True)
class ExistingMatch:
    dossier: int
    signalen: tuple[int, ...]
    reden: str
    score: float


def _unit(vec: dict) -> dict:
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def _dot(a: dict, b: dict) -> float:
    return sum([a[t] * b[t] for t in a.keys() & b.keys()])


class _Corpus:
    """TF-IDF unit vectors of (title, body) documents, and a stem -> most common surface word map."""

    def __init__(self, docs: Sequence[tuple[object, object]]):
        pairs: Counter = Counter()
        counts = []
        for titel, body in docs:
            found = _analyzed(titel, body)
            pairs.update(found)
            counts.append(Counter(map(itemgetter(0), found)))
        self.df = Counter(t for tf in counts for t in tf)
        self.idf = {t: math.log((len(docs) + 1) / (d + 1)) + 1.0 for t, d in self.df.items()}
        self.vecs = [_unit({t: (1.0 + math.log(c)) * self.idf[t] for t, c in tf.items()}) for tf in counts]
        self.surface: dict[str, str] = {}
        for (stem, surface), _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
            self.surface.setdefault(stem, surface)

    def readable(self, stems: Sequence[str]) -> list[str]:
        """Surface words; compound parts are dropped when the compound is listed ("vuil" beside "vuilbak")."""
        words = [self.surface.get(t, t) for t in stems]
        return [w for w in dict.fromkeys(words) if not any(o != w and w in o for o in words)]


@lru_cache(maxsize=32768)
def _analyze_cached(text: str) -> tuple:
    return tuple(analyze(text))


def _analyzed(titel: object, body: object) -> list:
    """(stem, surface) pairs of a document, title counted TITLE_WEIGHT times; cached per text (suggest() reads
    the same signals twice: for matches and for new groups)."""
    if isinstance(titel, str) and isinstance(body, str):
        return list(_analyze_cached(titel)) * TITLE_WEIGHT + list(_analyze_cached(body))
    return analyze(titel) * TITLE_WEIGHT + analyze(body)


def _place(s: SignalText) -> str:
    return _place_key(s.plek if isinstance(s.plek, str) else str(s.plek or ""))


@lru_cache(maxsize=4096)
def _place_key(plek: str) -> str:
    return " ".join(WORD.findall(clean(plek).lower()))


def _readable_title(s: SignalText) -> str:
    return " ".join(clean(s.titel if isinstance(s.titel, str) else str(s.titel or "")).split())[:80]


def _candidates(query: dict, postings: dict, budget: int, center: int | None, k: int) -> list[int]:
    """Up to k documents sharing most of the query's rarest terms; long postings are read around center."""
    ids: list[int] = []
    for t in sorted(query, key=query.__getitem__, reverse=True):
        post = postings.get(t)
        if post and budget > 0:
            if len(post) > budget:
                lo = 0 if center is None else bisect_left(post, center) - budget // 2
                lo = max(0, min(len(post) - budget, lo))
                post = post[lo : lo + budget]
            ids += post
            budget -= len(post)
    counts = Counter(ids)
    counts.pop(center, None)  # type: ignore[arg-type]  # center None: nothing to pop
    return [j for j, _ in sorted(counts.items(), key=itemgetter(1), reverse=True)[:k]]


def _average_link(links: list[dict[int, float]], forbid: dict[int, set[int]],
                  threshold: float) -> list[tuple[list, float]]:
    """Merge clusters while the best average similarity (missing pairs = 0) >= threshold.

    ``links[a][b]`` holds the summed similarity between clusters a and b (updated in place); ``forbid[i]``
    holds the signals that may never join i's cluster. Returns (members, summed similarity inside) per
    cluster.
    """
    n = len(links)
    members: list = [[i] for i in range(n)]
    size, inner = [1] * n, [0.0] * n
    pop, push = heapq.heappop, heapq.heappush
    # The initial pairs are sorted once; only pairs whose value changed later go through the heap.
    ranked = [(-s, a, b) for a, row in enumerate(links) for b, s in row.items() if a < b and s >= threshold]
    ranked.sort()
    ranked.append((0.0, -1, -1))  # sentinel
    heap: list = []
    at, last = 0, len(ranked) - 1
    while heap or at < last:
        if heap and heap[0] < ranked[at]:
            neg, a, b = pop(heap)
        else:
            neg, a, b = ranked[at]
            at += 1
        sa, sb = size[a], size[b]
        if not sa or not sb:
            continue
        avg = links[a][b] / (sa * sb)
        if avg < -neg - 1e-12:  # stale: a cluster grew since this entry was pushed
            if avg >= threshold:
                push(heap, (-avg, a, b))
            continue
        if a in forbid and not forbid[a].isdisjoint(members[b]):
            continue
        if len(links[a]) < len(links[b]):
            a, b = b, a
        members[a] += members[b]
        inner[a] += inner[b] + links[a][b]
        if b in forbid:
            forbid[a] = forbid.get(a, set()) | forbid.pop(b)
        size[a] = sa = sa + sb
        members[b], size[b], row_a, row_b = None, 0, links[a], links[b]
        links[b] = {}
        for c, s in row_b.items():
            del links[c][b]
            if c != a:
                total = row_a[c] = links[c][a] = row_a.get(c, 0.0) + s
                if total >= threshold * sa * size[c]:
                    push(heap, (-total / (sa * size[c]), a, c) if a < c else (-total / (sa * size[c]), c, a))
    return [(idx, inner[root]) for root, idx in enumerate(members) if idx]


def _id_key(s: SignalText) -> tuple:
    return type(s.id).__name__, s.id


def _rejected(pairs: Collection[tuple[int, int]]) -> set[tuple]:
    return {tuple(p) for p in pairs or () if isinstance(p, Sequence) and len(p) == 2}


def _forbidden(sigs: Sequence[SignalText], rejected_pairs: Collection[tuple[int, int]]) -> dict[int, set[int]]:
    """The rejected pairs as positions in `sigs`, both ways: what _average_link never puts in one group."""
    index = {s.id: i for i, s in enumerate(sigs)}
    forbid: dict[int, set[int]] = {}
    for a, b in _rejected(rejected_pairs):
        if a in index and b in index:
            forbid.setdefault(index[a], set()).add(index[b])
            forbid.setdefault(index[b], set()).add(index[a])
    return forbid


def _reason(members: Sequence[SignalText], words: str, dossier: Sequence[SignalText] | None = None) -> str:
    """Reason in Dutch: shared words; place and type (shared in the group or with the dossier); period."""
    parts, n = [words] if words else [], len(members)
    labels = {_place(s): clean(s.plek).strip() for s in (*(dossier or ()), *members) if _place(s)}
    in_dossier = {_place(s) for s in dossier or ()}
    places = Counter(p for p in map(_place, members) if p and (dossier is None or p in in_dossier))
    for key, k in places.most_common(1):
        share = "" if k == n else f" ({k} van {n})"
        if dossier is not None:
            parts.append(f"zelfde plek als het dossier: {labels[key]}{share}")
        elif k >= 2:
            parts.append(f"zelfde plek: {labels[key]}" if k == n else f"plek: {labels[key]}{share}")
    for kind, _ in Counter(s.signaaltype for s in (members if dossier is None else dossier)).most_common(1):
        k = sum(s.signaaltype == kind for s in members)
        if kind and (k == n or dossier is not None and k):
            label = "zelfde type: " if dossier is None else "zelfde type als het dossier: "
            parts.append(label + str(kind).replace("-", " ") + ("" if k == n else f" ({k} van {n})"))
    dates = sorted(d.date() if isinstance(d, datetime.datetime) else d
                   for d in (s.datum for s in members) if isinstance(d, datetime.date))
    if len(dates) >= 2:
        lo, hi = dates[0], dates[-1]
        start = MAANDEN[lo.month - 1] + ("" if lo.year == hi.year else f" {lo.year}")
        span = f"{MAANDEN[hi.month - 1]} {hi.year}" if lo.replace(day=1) == hi.replace(day=1) else (
            f"{start}–{MAANDEN[hi.month - 1]} {hi.year}")
        parts.append(("zelfde periode: " if (hi - lo).days <= 62 else "periode: ") + span)
    return "; ".join(parts)
