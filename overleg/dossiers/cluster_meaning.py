"""The combined bundling engine (issue 14): meaning vectors mixed with words, place and type, used by
clustering.suggest_new_groups / match_existing when most signals carry a meaning vector. Its weights and
thresholds live here; the shared records, corpus and grouping in cluster_core.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from operator import itemgetter
from typing import Any

import numpy as np

from overleg.dossiers import cluster_core as core
from overleg.dossiers.cluster_core import (
    DossierProfile,
    ExistingMatch,
    NewGroup,
    SignalText,
    _average_link,
    _candidates,
    _Corpus,
    _forbidden,
    _id_key,
    _place,
    _readable_title,
    _reason,
    _rejected,
)
from overleg.dossiers.terms_nl import WORD, clean

# Weights, floor and thresholds chosen on the three labelled sets in tests/overleg/data, each measured with a meaning
# projection fitted without it (bench/bundling_quality.py; its --grid prints the choices around these). Precision is
# favoured: a chair forgives a missed suggestion sooner than a wrong one. The words weigh half as much as the
# meaning: on signals by other authors they add recall but cost precision.
MEANING_WEIGHT, TEXT_WEIGHT = 1.0, 0.5
MEANING_FLOOR = 0.10  # a centred meaning cosine below this adds nothing
PAIR_PLACE_BONUS, PAIR_TYPE_BONUS = 0.05, 0.10  # only on top of some meaning or word similarity
PAIR_TYPE_PENALTY = 0.10  # both typed, differently: the workers saw two kinds of signal
# Second order (as for words alone) was tried and left out: no precision gain (0.3 at threshold 0.30: 0.66 / 0.14).
COMBINED_GROUP_THRESHOLD, COMBINED_K = 0.35, 10
MATCH_NEIGHBOURS, COMBINED_MATCH_THRESHOLD, MATCH_MARGIN = 2, 0.35, 0.10
MATCH_CANDIDATES = 16  # members of dossiers looked at per signal (by meaning, and as many by words)
TAKEN_OUT_WEIGHT = 1.0  # resembling a signal taken out of a dossier counts this much against it
SEARCH_DIMENSIONS = 128  # above LARGE signals, meaning neighbours are searched in this many main directions
CENTRE_PRIOR = 20  # centring on the input's mean vector, shrunk for small inputs
BLOCK = 1024


def _with_vectors(sigs: Sequence[SignalText]) -> bool:
    """Most signals carry a vector (each is checked when the matrix is built; a bad one counts as none)."""
    have = sum(s.vector is not None for s in sigs)
    return have > 0 and have * 2 >= len(sigs)


def _meaning_matrix(sigs: Sequence[SignalText]) -> np.ndarray:
    """Unit rows, centred on the input's mean (the direction all signals share says nothing) and renormalised;
    a zero row for a signal without a usable vector (none, another length, not finite, zero)."""
    raw: list[np.ndarray | None] = []
    for s in sigs:
        try:
            raw.append(None if s.vector is None else np.asarray(s.vector, dtype=np.float32).reshape(-1))
        except (TypeError, ValueError):
            raw.append(None)
    dims = Counter(v.size for v in raw if v is not None and v.size)
    dim = dims.most_common(1)[0][0] if dims else 0
    out = np.zeros((len(sigs), dim), dtype=np.float32)
    ok = [i for i, v in enumerate(raw) if v is not None and v.size == dim]
    if not ok or not dim:
        return out
    out[ok] = np.vstack([v for v in raw if v is not None and v.size == dim])
    norms = np.linalg.norm(out, axis=1)
    good = np.isfinite(norms) & (norms > 0)
    out[~good] = 0.0
    out[good] /= norms[good, None]
    if not good.any():
        return out
    out[good] -= out[good].mean(axis=0) * (int(good.sum()) / (int(good.sum()) + CENTRE_PRIOR))
    norms = np.linalg.norm(out[good], axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out[good] /= norms
    return out


def _meaning_part(cos: np.ndarray | float) -> Any:
    return np.maximum(0.0, (np.asarray(cos, dtype=np.float32) - MEANING_FLOOR) / (1.0 - MEANING_FLOOR))


def _top_k(scores: np.ndarray, k: int, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of each row's k highest entries above floor, without sorting whole rows."""
    rows, cols = np.nonzero(scores > floor)
    if not len(rows):
        return rows, cols
    order = np.lexsort((-scores[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    keep = rank < k
    return rows[keep], cols[keep]


def _meaning_neighbours(m: np.ndarray, k: int) -> np.ndarray:
    """Pairs i < j, encoded i * n + j, where j is among i's k meaning-nearest (or the reverse); blockwise."""
    n = len(m)
    if n < 2 or not m.shape[1]:
        return np.zeros(0, dtype=np.int64)
    k = min(k, n - 1)
    if n > core.LARGE and m.shape[1] > SEARCH_DIMENSIONS:
        # Candidates only: search in the main SEARCH_DIMENSIONS directions (4x fewer flops); the pairs found are
        # then scored with the whole vectors.
        _, vecs = np.linalg.eigh(m.T @ m)
        m = m @ vecs[:, -SEARCH_DIMENSIONS:]
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        m = (m / norms).astype(np.float32)
    # A floor that leaves about 3k candidates a row, estimated on a sample, keeps the top-k cheap at 10 000.
    sample = np.random.default_rng(0).choice(n, size=min(n, 256), replace=False)
    floor = max(MEANING_FLOOR, float(np.quantile(m[sample] @ m.T, 1.0 - min(1.0, 3.0 * k / n))))
    found = []
    for lo in range(0, n, BLOCK):
        block = m[lo : lo + BLOCK] @ m.T
        span = np.arange(lo, min(n, lo + BLOCK))
        block[span - lo, span] = -1.0
        rows, cols = _top_k(block, k, floor)
        rows = rows + lo
        found.append(np.minimum(rows, cols).astype(np.int64) * n + np.maximum(rows, cols))
    return np.unique(np.concatenate(found))


def _pair_cosines(m: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a), dtype=np.float32)
    if m.shape[1]:
        for lo in range(0, len(a), 8192):
            out[lo : lo + 8192] = np.einsum("ij,ij->i", m[a[lo : lo + 8192]], m[b[lo : lo + 8192]])
    return out


def _meaning_groups(sigs: list[SignalText], rejected_pairs: Collection[tuple[int, int]]) -> list[NewGroup]:
    """Average-link groups on a combined similarity: meaning (centred cosine above a floor) + the TF-IDF cosine of
    the words, + small bonuses for the same place and type when either is there. Candidates: each signal's
    meaning-nearest and the ones sharing its rarest words; each keeps its COMBINED_K best links."""
    n = len(sigs)
    corpus = _Corpus([(s.titel, s.omschrijving) for s in sigs])
    m = _meaning_matrix(sigs)
    max_df = max(core.MAX_DF_FLOOR, int(core.MAX_DF * n))
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(corpus.vecs):
        for t in vec:
            if 2 <= corpus.df[t] <= max_df:
                postings[t].append(i)
    # Above LARGE signals each keeps fewer links (10 -> 5 at 10 000) and reads fewer postings: the time budget.
    k = max(5, round(COMBINED_K * min(1.0, core.LARGE / n) ** 0.4))
    budget = core.SCAN_BUDGET if n <= core.LARGE else core.SCAN_BUDGET // 2
    by_words = [i * n + j if i < j else j * n + i
                for i, vec in enumerate(corpus.vecs) for j in _candidates(vec, postings, budget, i, k)]
    codes = np.unique(np.concatenate([_meaning_neighbours(m, k), np.asarray(by_words, dtype=np.int64)]))
    if not len(codes):
        return []
    a, b = codes // n, codes % n
    ordered = list(zip(a.tolist(), b.tolist(), strict=True))
    meaning_part = _meaning_part(_pair_cosines(m, a, b)).tolist()
    places = [_place(s) for s in sigs]
    kinds = [s.signaaltype or "" for s in sigs]
    vecs = corpus.vecs
    rows: list[dict[int, float]] = [{} for _ in sigs]
    for (i, j), part in zip(ordered, meaning_part, strict=True):
        vi, vj = vecs[i], vecs[j]
        text = sum([vi[t] * vj[t] for t in vi.keys() & vj.keys()]) if vi and vj else 0.0
        sim = MEANING_WEIGHT * part + TEXT_WEIGHT * text
        if sim <= 0.0:
            continue
        sim += PAIR_PLACE_BONUS * (places[i] == places[j] != "") + PAIR_TYPE_BONUS * (kinds[i] == kinds[j] != "")
        sim -= PAIR_TYPE_PENALTY * (kinds[i] != kinds[j] and kinds[i] != "" and kinds[j] != "")
        rows[i][j] = rows[j][i] = sim
    edges: list[dict[int, float]] = [{} for _ in sigs]
    for i, row in enumerate(rows):
        for j, sim in heapq.nlargest(k, row.items(), key=itemgetter(1)):
            edges[i][j] = edges[j][i] = sim
    groups = []
    for idx, inner in _average_link(edges, _forbidden(sigs, rejected_pairs), COMBINED_GROUP_THRESHOLD):
        if len(idx) < 2:
            continue
        members = sorted((sigs[i] for i in idx), key=_id_key)
        sub = m[idx] @ m[idx].T if m.shape[1] else np.zeros((len(idx), len(idx)))
        central = sigs[idx[int(np.argmax(sub.sum(axis=1)))]]
        counts, idf = Counter(t for i in idx for t in vecs[i]), corpus.idf
        need = max(2, math.ceil(len(idx) / 2))
        shared = sorted((t for t, c in counts.items() if c >= need), key=lambda t: (-counts[t] * idf[t], t))
        words = corpus.readable(shared[:6])[:4]
        where = Counter(clean(s.plek).strip() for s in members)
        place, n_place = where.most_common(1)[0]
        in_title = place if place and n_place * 2 > len(members) else ""
        place_words = set(WORD.findall(in_title.lower()))
        title_words = [w for w in words if not set(WORD.findall(w.lower())) <= place_words]  # not "X – X"
        title = ", ".join(title_words[:2]).capitalize() or _readable_title(central) or "Nieuwe bundel"
        title += f" – {in_title}" if in_title else ""
        parts = [f"Zelfde nood: {_readable_title(central)}"]
        if words:
            parts.append("gedeelde kernwoorden: " + ", ".join(words))
        if place and n_place >= 2:
            parts.append(f"{n_place} keer {place}")
        rest = _reason(members, "")
        rest = "; ".join(p for p in rest.split("; ") if p and not p.startswith(("zelfde plek", "plek:")))
        reason = "; ".join(parts + ([rest] if rest else []))
        groups.append(NewGroup(tuple(s.id for s in members), title[:120], reason,
                               round(min(1.0, inner / (len(idx) * (len(idx) - 1) / 2)), 4)))
    groups.sort(key=lambda g: (-g.score, -len(g.signalen), str(g.signalen)))
    return groups


def _slots(owner: np.ndarray, keep: np.ndarray, n_dossiers: int) -> np.ndarray:
    """(dossiers x most refs) of ref indices per dossier, padded with -1 (which reads a zero column)."""
    per: list[list[int]] = [[] for _ in range(n_dossiers)]
    for r in np.nonzero(keep)[0].tolist():
        per[int(owner[r])].append(r)
    width = max(1, max((len(p) for p in per), default=1))
    slots = np.full((n_dossiers, width), -1, dtype=np.int64)
    for k, p in enumerate(per):
        slots[k, : len(p)] = p
    return slots


def _per_dossier(sim: np.ndarray, slots: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row and dossier: the mean of its k highest similarities (a missing one counts 0), and the ref with the
    highest (-1 when none is above 0)."""
    padded = np.concatenate([sim, np.zeros((len(sim), 1), dtype=sim.dtype)], axis=1)
    grid = padded[:, slots]  # rows x dossiers x slots
    k = min(k, grid.shape[2])
    top = -np.partition(-grid, k - 1, axis=2)[:, :, :k] if k < grid.shape[2] else grid
    score = top.sum(axis=2) / k
    best = np.argmax(grid, axis=2)
    best_ref = np.take_along_axis(np.broadcast_to(slots, grid.shape), best[:, :, None], axis=2)[:, :, 0]
    best_ref = np.where(np.take_along_axis(grid, best[:, :, None], axis=2)[:, :, 0] > 0, best_ref, -1)
    return score.astype(np.float32), best_ref


def _meaning_matches(sigs: list[SignalText], dossiers: Sequence[DossierProfile],
                     rejected: Collection[tuple[int, int]]) -> list[ExistingMatch]:
    """Each signal goes to the dossier whose MATCH_NEIGHBOURS nearest bundled signals resemble it most (combined
    similarity, as for new groups), minus its resemblance to signals taken out of that dossier; only when that score
    >= COMBINED_MATCH_THRESHOLD and beats the next dossier by MATCH_MARGIN. A rejected (signal, dossier) pair and a
    signal taken out of that dossier are never proposed for it again. Scores for all (signal, bundled signal)
    pairs come from matrix products, in blocks of signals."""
    n = len(sigs)
    refs: list[tuple[int, SignalText, bool]] = [(k, s, True) for k, d in enumerate(dossiers) for s in d.signalen]
    refs += [(k, s, False) for k, d in enumerate(dossiers) for s in d.uitgehaald]
    every = sigs + [s for _, s, _ in refs]
    corpus = _Corpus([(s.titel, s.omschrijving) for s in every])
    m = _meaning_matrix(every)
    vecs = corpus.vecs
    refused = _rejected(rejected) | {(s.id, dossiers[k].id) for k, s, member in refs if not member}
    n_refs, n_dossiers = len(refs), len(dossiers)
    # Words: postings of the bundled signals' terms as arrays, summed per signal with one bincount.
    post_idx: dict[str, list[int]] = defaultdict(list)
    post_w: dict[str, list[float]] = defaultdict(list)
    for r in range(n_refs):
        for t, w in vecs[n + r].items():
            post_idx[t].append(r)
            post_w[t].append(w)
    arr_idx = {t: np.asarray(v, dtype=np.int64) for t, v in post_idx.items()}
    arr_w = {t: np.asarray(v, dtype=np.float32) for t, v in post_w.items()}
    codes: dict[str, int] = {}
    place = np.asarray([codes.setdefault(_place(s), len(codes)) if _place(s) else -1 for s in every])
    kind = np.asarray([codes.setdefault("type:" + s.signaaltype, len(codes)) if s.signaaltype else -2
                       for s in every])
    owner = np.asarray([k for k, _, _ in refs], dtype=np.int64)
    member = np.asarray([is_member for _, _, is_member in refs], dtype=bool)
    refused_at: dict[int, list[int]] = defaultdict(list)
    dossier_index = {d.id: k for k, d in enumerate(dossiers)}
    position = {s.id: i for i, s in enumerate(sigs)}
    for sid, did in refused:
        if sid in position and did in dossier_index:
            refused_at[position[sid]].append(dossier_index[did])
    member_slots = _slots(owner, member, n_dossiers)
    out_slots = _slots(owner, ~member, n_dossiers)
    has_taken_out = bool((~member).any())
    block_rows = max(32, min(BLOCK, 4_000_000 // max(1, member_slots.size)))
    hits: dict[int, list[tuple[float, SignalText, SignalText]]] = defaultdict(list)
    for lo in range(0, n, block_rows):
        hi = min(n, lo + block_rows)
        sim = np.zeros((hi - lo, n_refs), dtype=np.float32)
        if m.shape[1]:
            sim += MEANING_WEIGHT * _meaning_part(m[lo:hi] @ m[n:].T)
        for i in range(lo, hi):
            terms_i = [t for t in vecs[i] if t in arr_idx]
            if terms_i:
                idx = np.concatenate([arr_idx[t] for t in terms_i])
                w = np.concatenate([arr_w[t] * vecs[i][t] for t in terms_i])
                sim[i - lo] += TEXT_WEIGHT * np.bincount(idx, weights=w, minlength=n_refs).astype(np.float32)
        related = sim > 0
        sim += related * (PAIR_PLACE_BONUS * ((place[lo:hi, None] == place[None, n:]) & (place[lo:hi, None] >= 0))
                          + PAIR_TYPE_BONUS * ((kind[lo:hi, None] == kind[None, n:]) & (kind[lo:hi, None] >= 0))
                          - PAIR_TYPE_PENALTY * ((kind[lo:hi, None] != kind[None, n:]) & (kind[lo:hi, None] >= 0)
                                                 & (kind[None, n:] >= 0)))
        # Per dossier: mean of the MATCH_NEIGHBOURS best members, minus the best taken-out signal.
        score, best_ref = _per_dossier(np.where(member[None, :], sim, 0.0), member_slots, MATCH_NEIGHBOURS)
        if has_taken_out:
            against, _ = _per_dossier(np.where(member[None, :], 0.0, sim), out_slots, 1)
            score = score - TAKEN_OUT_WEIGHT * against
        score[best_ref < 0] = -np.inf  # no member related at all
        for i, ks in refused_at.items():
            if lo <= i < hi:
                score[i - lo, ks] = -np.inf
        if n_dossiers > 1:
            two = -np.partition(-score, 1, axis=1)[:, :2]
            first, second = two[:, 0], np.maximum(two[:, 1], 0.0)
        else:
            first, second = score[:, 0], np.zeros(hi - lo, dtype=np.float32)
        choice = np.argmax(score, axis=1)
        ok = (first >= COMBINED_MATCH_THRESHOLD) & (first - second >= MATCH_MARGIN)
        for row in np.nonzero(ok)[0].tolist():
            k = int(choice[row])
            hits[k].append((float(first[row]), sigs[lo + row], refs[int(best_ref[row, k])][1]))
    out = []
    for k, found in hits.items():
        found.sort(key=lambda h: (-h[0], _id_key(h[1])))
        members = [s for _, s, _ in found]
        nearest_title = Counter(_readable_title(ref) for _, _, ref in found).most_common(1)[0][0]
        dossier_terms: Counter = Counter()
        for r in range(len(refs)):
            if refs[r][0] == k and refs[r][2]:
                dossier_terms.update(vecs[n + r])
        weight: Counter = Counter()
        for _, s, _ in found:
            weight.update({t: w * dossier_terms[t] for t, w in vecs[position[s.id]].items() if t in dossier_terms})
        words = corpus.readable([t for t, _ in weight.most_common(6)])[:4]
        parts = [f"Zelfde nood als „{nearest_title}” in het dossier"]
        if words:
            parts.append("gedeelde kernwoorden met het dossier: " + ", ".join(words))
        rest = _reason(members, "", dossiers[k].signalen)
        reason = "; ".join(parts + ([rest] if rest else []))
        mean_score = round(min(1.0, sum(sc for sc, _, _ in found) / len(found)), 4)
        out.append(ExistingMatch(dossiers[k].id, tuple(s.id for s in members), reason, mean_score))
    out.sort(key=lambda x: (-x.score, str(x.dossier)))
    return out
