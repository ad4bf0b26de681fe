"""Bundling suggestions: groups of similar signals, and signals that fit an existing dossier. Pure Python.

A signal is a TF-IDF vector over Dutch Snowball stems of its title (counted twice) and description, with
stopwords dropped, slang mapped to the standard word and compounds split (see terms_nl). Pair similarity
= text cosine x (1 + PLACE_BOOST x place overlap) + small bonuses for the same type, the same life domain
and close dates; pairs that share no informative word score 0, so metadata alone never links two signals.
Candidates come from an inverted index (terms in more than MAX_DF of a big input are skipped; each signal
reads at most SCAN_BUDGET postings, rarest terms first, nearest in time first); each signal keeps its
K_NEIGHBOURS best (fewer above LARGE signals, for speed). That similarity is mixed with a second-order one
(how alike the two neighbour lists are), and groups form by average-link agglomeration on the sparse graph
(missing pairs count as 0, which keeps groups from chaining) while the best average link >= GROUP_THRESHOLD.

This module is the public API and the words-only engine. When most signals carry a meaning vector, both entry
points hand over to the combined engine in cluster_meaning; the shared pieces live in cluster_core.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from operator import itemgetter

from overleg.dossiers import cluster_core as core
from overleg.dossiers.cluster_core import (
    DossierProfile,
    ExistingMatch,
    NewGroup,
    SignalText,
    _average_link,
    _candidates,
    _Corpus,
    _dot,
    _forbidden,
    _id_key,
    _place,
    _reason,
    _rejected,
    _unit,
)
from overleg.dossiers.cluster_meaning import _meaning_groups, _meaning_matches, _with_vectors
from overleg.dossiers.terms_nl import WORD, analyze, clean, terms

# Part of this module's API: callers import the records and the analyser from here.
__all__ = ["WORD", "DossierProfile", "ExistingMatch", "NewGroup", "SignalText", "analyze", "clean", "match_existing",
           "suggest", "suggest_new_groups", "terms"]

PLACE_BOOST = 0.5  # strong: a shared place multiplies the text similarity by 1.5
TYPE_BONUS, DOMAIN_BONUS, DATE_BONUS, DATE_WINDOW_DAYS = 0.08, 0.03, 0.03, 60  # weak, additive
SECOND_ORDER = 0.5
GROUP_THRESHOLD = 0.10
MATCH_THRESHOLD = 0.20
K_NEIGHBOURS, K_MIN, POOL = 15, 8, 1.5


class _Meta:
    """Place, type, domain and date of signals, and the pair similarity that uses them."""

    def __init__(self, sigs: Sequence[SignalText]):
        places: dict[str, int] = {}
        self.place = [places.setdefault(_place(s), len(places)) for s in sigs]
        self.kind = [(s.signaaltype or None, s.levensdomein or None) for s in sigs]
        self.day = [s.datum.toordinal() if isinstance(s.datum, datetime.date) else None for s in sigs]
        self.place_terms = [frozenset(terms(key)) for key in places]
        self.factor: dict[tuple[int, int], float] = {}  # place pair -> multiplier of the text similarity

    def similarity(self, i: int, j: int, text: float) -> float:
        """Text cosine x (1 + PLACE_BOOST x place overlap) + small bonuses: same type, domain, close dates."""
        if text <= 0.0:
            return 0.0
        pair = self.place[i], self.place[j]
        factor = self.factor.get(pair)
        if factor is None:
            ta, tb = self.place_terms[pair[0]], self.place_terms[pair[1]]
            overlap = 1.0 if pair[0] == pair[1] and ta else len(ta & tb) / len(ta | tb) if ta and tb else 0.0
            factor = self.factor[pair] = 1.0 + PLACE_BOOST * overlap
        (type_i, domain_i), (type_j, domain_j) = self.kind[i], self.kind[j]
        sim = text * factor + (TYPE_BONUS if type_i == type_j and type_i else 0.0)
        if domain_i == domain_j and domain_i:
            sim += DOMAIN_BONUS
        day_i, day_j = self.day[i], self.day[j]
        if day_i is not None and day_j is not None and abs(day_i - day_j) < DATE_WINDOW_DAYS:
            sim += DATE_BONUS * (1.0 - abs(day_i - day_j) / DATE_WINDOW_DAYS)
        return sim


def suggest_new_groups(
    signals: Sequence[SignalText], *, rejected_pairs: Collection[tuple[int, int]] = ()
) -> list[NewGroup]:
    """Groups of >= 2 similar signals, most cohesive first. The two of a rejected pair never share a group.

    When most signals carry a meaning vector, the similarity combines meaning with words, place and type
    (see _meaning_groups); otherwise words alone decide, as before."""
    sigs = sorted({s.id: s for s in signals}.values(), key=lambda s: (str(s.datum or ""), _id_key(s)))
    if len(sigs) < 2:
        return []
    if _with_vectors(sigs):
        return _meaning_groups(sigs, rejected_pairs)
    corpus = _Corpus([(s.titel, s.omschrijving) for s in sigs])
    max_df = max(core.MAX_DF_FLOOR, int(core.MAX_DF * len(sigs)))  # the cut-off only saves time on big inputs
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(corpus.vecs):
        for t in vec:
            if 2 <= corpus.df[t] <= max_df:
                postings[t].append(i)
    similarity = _Meta(sigs).similarity
    edges: list[dict[int, float]] = [{} for _ in sigs]
    # Above LARGE signals the neighbour lists shrink (15 -> 8 at 10 000) to keep within the time budget.
    k = max(K_MIN, round(K_NEIGHBOURS * min(1.0, core.LARGE / len(sigs)) ** 0.4))
    vecs, pool = corpus.vecs, int(POOL * k)
    seen: list[dict[int, float]] = [{} for _ in sigs]  # pair similarities computed from the other side
    for i, vec in enumerate(vecs):
        row, known, vec_keys = {}, seen[i], vec.keys()
        for j in _candidates(vec, postings, core.SCAN_BUDGET, i, pool):
            sim = known.get(j)
            if sim is None:
                other = vecs[j]
                sim = seen[j][i] = similarity(i, j, sum([vec[t] * other[t] for t in vec_keys & other.keys()]))
            row[j] = sim
        seen[i] = {}
        for j, sim in sorted(row.items(), key=itemgetter(1), reverse=True)[:k]:
            edges[i][j] = edges[j][i] = sim
    # Second order: signals with alike neighbourhoods (their K best links) are alike despite other words.
    rows = [_unit({i: 1.0, **dict(sorted(row.items(), key=itemgetter(1), reverse=True)[:k])})
            for i, row in enumerate(edges)]
    keys = [frozenset(row) for row in rows]
    for i, row in enumerate(edges):
        ri, ki = rows[i], keys[i]
        for j, first in row.items():
            if i < j:
                rj = rows[j]
                second = sum([ri[t] * rj[t] for t in ki & keys[j]])
                row[j] = edges[j][i] = (1 - SECOND_ORDER) * first + SECOND_ORDER * second
    groups = []
    for idx, inner in _average_link(edges, _forbidden(sigs, rejected_pairs), GROUP_THRESHOLD):
        if len(idx) < 2:
            continue
        members = sorted((sigs[i] for i in idx), key=_id_key)
        counts, idf = Counter(t for i in idx for t in corpus.vecs[i]), corpus.idf
        need = max(2, math.ceil(len(idx) / 2))
        shared = sorted((t for t, c in counts.items() if c >= need), key=lambda t: (-counts[t] * idf[t], t))
        shared = shared or [t for t, c in counts.most_common(3) if c >= 2]
        words = corpus.readable(shared[:6])[:4]
        places = Counter(clean(s.plek).strip() for s in members)
        place, n_place = places.most_common(1)[0]
        title = ", ".join(words[:2]).capitalize() or "Nieuwe bundel"
        title += f" – {place}" if place and n_place * 2 > len(members) else ""
        groups.append(NewGroup(tuple(s.id for s in members), title[:120],
                               _reason(members, "Gedeelde kernwoorden: " + ", ".join(words) if words else ""),
                               round(min(1.0, inner / (len(idx) * (len(idx) - 1) / 2)), 4)))
    groups.sort(key=lambda g: (-g.score, -len(g.signalen), str(g.signalen)))
    return groups


def match_existing(
    signals: Sequence[SignalText],
    dossiers: Sequence[DossierProfile],
    *,
    rejected: Collection[tuple[int, int]] = (),
) -> list[ExistingMatch]:
    """Signals that fit an existing dossier, grouped per dossier, best first.

    A dossier profile is the TF-IDF centroid of its title and description (counted twice) and its signals;
    a signal goes to the best dossier it was not rejected for, if that similarity >= MATCH_THRESHOLD.
    """
    known = [s for d in dossiers for s in d.signalen]
    in_dossier = {s.id for s in known}
    sigs = [s for s in {s.id: s for s in signals}.values() if s.id not in in_dossier]
    if not sigs or not dossiers:
        return []
    if _with_vectors(sigs) and any(d.signalen for d in dossiers):
        return _meaning_matches(sigs, dossiers, rejected)
    docs = [(s.titel, s.omschrijving) for s in sigs + known] + [(d.titel, d.omschrijving) for d in dossiers]
    corpus = _Corpus(docs)
    vec_of = {s.id: v for s, v in zip(sigs + known, corpus.vecs, strict=False)}
    profiles, postings, meta = [], defaultdict(list), []
    for k, d in enumerate(dossiers):
        acc: Counter = Counter()
        for vec in [corpus.vecs[len(sigs) + len(known) + k]] * 2 + [vec_of[s.id] for s in d.signalen]:
            acc.update(vec)
        profiles.append(_unit(dict(acc.most_common(40))))
        for t in profiles[-1]:
            postings[t].append(k)
        n = max(1, len(d.signalen))
        meta.append([{key: c / n for key, c in Counter(map(f, d.signalen)).items() if key} for f in _FIELDS])
    refused = _rejected(rejected)
    hits: dict[int, list[tuple[float, SignalText]]] = defaultdict(list)
    for s, vec in zip(sigs, corpus.vecs, strict=False):
        scored = []
        for k in _candidates(vec, postings, 10 * core.SCAN_BUDGET, None, 10):
            if (s.id, dossiers[k].id) not in refused:
                places, types, domains = meta[k]
                score = _dot(vec, profiles[k]) * (1 + PLACE_BOOST * places.get(_place(s), 0.0))
                score += TYPE_BONUS * types.get(s.signaaltype, 0.0)
                score += DOMAIN_BONUS * domains.get(s.levensdomein, 0.0)
                scored.append((score, k))
        if scored and max(scored)[0] >= MATCH_THRESHOLD:
            score, k = max(scored)
            hits[k].append((score, s))
    out = []
    for k, found in hits.items():
        found.sort(key=lambda h: (-h[0], _id_key(h[1])))
        members = [s for _, s in found]
        weight: Counter = Counter()
        for s in members:
            weight.update({t: w * profiles[k][t] for t, w in vec_of[s.id].items() if t in profiles[k]})
        words = corpus.readable([t for t, _ in weight.most_common(6)])[:4]
        shared = "Gedeelde kernwoorden met het dossier: " + ", ".join(words) if words else ""
        reason = _reason(members, shared, dossiers[k].signalen)
        score = round(min(1.0, sum(sc for sc, _ in found) / len(found)), 4)
        out.append(ExistingMatch(dossiers[k].id, tuple(s.id for s in members), reason, score))
    out.sort(key=lambda m: (-m.score, str(m.dossier)))
    return out


_FIELDS = (_place, lambda s: s.signaaltype or "", lambda s: s.levensdomein or "")


def suggest(
    signals: Sequence[SignalText],
    dossiers: Sequence[DossierProfile],
    *,
    rejected_pairs: Collection[tuple[int, int]] = (),
    rejected_matches: Collection[tuple[int, int]] = (),
) -> tuple[list[ExistingMatch], list[NewGroup]]:
    """Signals that fit an existing dossier go there; the rest are grouped. Both lists best first."""
    matches = match_existing(signals, dossiers, rejected=rejected_matches)
    taken = {i for m in matches for i in m.signalen} | {s.id for d in dossiers for s in d.signalen}
    rest = [s for s in signals if s.id not in taken]
    return matches, suggest_new_groups(rest, rejected_pairs=rejected_pairs)
