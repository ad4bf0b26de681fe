"""Quality of the bundling suggestions on the labelled sets: today's engine (words only) vs meaning + words.

Run from the repository root:  .venv/bin/python bench/bundling_quality.py [--seed 14] [--grid]

The meaning vectors are the real models' (signalen.meaning), projected as in the app, but with a projection fitted
*without the set being measured* (on the catalogue of needs and the other labelled sets: leave one set out), so each
table shows how the engine does on signals whose needs and words it did not learn from. The shipped projection
(scripts/fit-betekenis) is fitted on all of them.

Per labelled set one table: new-group pair precision, pair recall and ARI (all signals unbundled; a signal in no
group is a singleton), and matches into existing dossiers after a third of each need was bundled by hand (a seeded
third of each need becomes a dossier titled after its first signal; every other signal is matched): precision =
right dossier / matches made, recall = right dossier / signals to match. Rows: today's engine (no vectors), meaning
only (the same engine with the word and metadata weights at 0), and the combined engine. With --grid it also prints
the grid the weights were chosen from, on every set.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from overleg.dossiers import cluster_core, cluster_meaning, clustering  # noqa: E402
from overleg.dossiers.clustering import SignalText  # noqa: E402
from overleg.dossiers.evaluation import adjusted_rand_index, hand_bundled, pair_scores  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "overleg" / "data"
SETS = [("bundling_tuning.jsonl", "tuning set"), ("clustering_signals.jsonl", "old set (check)"),
        ("bundling_holdout.jsonl", "held-out set (another author, written blind to the engine and the other sets)")]
def features_of(rows: list[dict]) -> np.ndarray:
    from signalen import meaning

    return meaning.features([meaning.signal_text(r["titel"], r["omschrijving"]) for r in rows])


def left_out_vectors(features: dict[str, np.ndarray], labels: dict[str, list[str]], measured: str) -> np.ndarray:
    """Meaning vectors of the measured set under a projection fitted on everything else."""
    from signalen import meaning_fit

    others = [name for name in features if name != measured]
    mean, projection = meaning_fit.fit(np.vstack([features[name] for name in others]),
                                       [label for name in others for label in labels[name]])
    return meaning_fit.apply(features[measured], mean, projection)


def load(path: Path, vectors: np.ndarray | None = None) -> tuple[list[SignalText], dict[int, str]]:
    from signalen import meaning_fit

    rows = meaning_fit.labelled_rows(path)
    column: list = [None] * len(rows) if vectors is None else list(vectors)
    signals = [SignalText(r["id"], r["titel"], r["omschrijving"], r["plek"], r["signaaltype"], r["levensdomein"],
                          datetime.date.fromisoformat(r["datum"]), vector=v) for r, v in zip(rows, column, strict=True)]
    return signals, {r["id"]: r["thema"] for r in rows}


def without_vectors(signals: list[SignalText]) -> list[SignalText]:
    return [SignalText(s.id, s.titel, s.omschrijving, s.plek, s.signaaltype, s.levensdomein, s.datum)
            for s in signals]


def evaluate(signals: list[SignalText], themes: dict[int, str], seed: int) -> dict[str, float]:
    groups = clustering.suggest_new_groups(signals)
    label = {s.id: f"alleen-{s.id}" for s in signals}
    for k, group in enumerate(groups):
        label.update(dict.fromkeys(group.signalen, f"groep-{k}"))
    precision, recall, _ = pair_scores([themes[s.id] for s in signals], [label[s.id] for s in signals])
    ari = adjusted_rand_index([themes[s.id] for s in signals], [label[s.id] for s in signals])
    dossiers, rest, need_of = hand_bundled(signals, themes, seed)
    matches = clustering.match_existing(rest, dossiers)
    made = [(i, m.dossier) for m in matches for i in m.signalen]
    right = sum(need_of[d] == themes[i] for i, d in made)
    return {"precision": precision, "recall": recall, "ari": ari, "groups": len(groups),
            "m_precision": right / len(made) if made else 0.0, "m_recall": right / len(rest) if rest else 0.0,
            "made": len(made), "right": right, "to_match": len(rest)}


@contextlib.contextmanager
def settings(**change: float) -> Iterator[None]:
    # Each weight is set on the module that reads it: the combined engine's, the shared or the words-only one.
    home = {key: next(m for m in (cluster_meaning, cluster_core, clustering) if hasattr(m, key)) for key in change}
    saved = {key: getattr(home[key], key) for key in change}
    try:
        for key, value in change.items():
            setattr(home[key], key, value)
        yield
    finally:
        for key, value in saved.items():
            setattr(home[key], key, value)


MEANING_ONLY = {"TEXT_WEIGHT": 0.0, "PAIR_PLACE_BONUS": 0.0, "PAIR_TYPE_BONUS": 0.0}


def table(signals: list[SignalText], themes: dict[int, str], seed: int) -> list[str]:
    rows = [("today's engine (words, no vectors)", without_vectors(signals), {}),
            ("meaning only (same engine, word/place/type weights 0)", signals, MEANING_ONLY),
            ("**meaning + words + place + type (new)**", signals, {})]
    out = ["| engine | pair precision | pair recall | ARI | groups | match precision | match recall |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, data, change in rows:
        with settings(**change):
            r = evaluate(data, themes, seed)
        out.append(f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['ari']:.3f} | {r['groups']} | "
                   f"{r['m_precision']:.3f} ({r['right']}/{r['made']}) | {r['m_recall']:.3f} "
                   f"({r['right']}/{r['to_match']}) |")
    return out


def grid(loaded: list[tuple[str, list[SignalText], dict[int, str]]], seed: int) -> list[str]:
    """The engine's main weights and thresholds around the chosen ones, on every set (P/R, then match P/R)."""
    names = " | ".join(name for name, _, _ in loaded)
    out = [f"| text w | group thr | match thr | match margin | {names} |",
           "| --- | --- | --- | --- |" + " --- |" * len(loaded)]
    for wt, thr, (mthr, margin) in itertools.product((0.0, 0.5, 1.0), (0.25, 0.35, 0.45),
                                                     ((0.30, 0.10), (0.35, 0.10), (0.40, 0.10), (0.35, 0.05))):
        cells = []
        with settings(TEXT_WEIGHT=wt, COMBINED_GROUP_THRESHOLD=thr, COMBINED_MATCH_THRESHOLD=mthr, MATCH_MARGIN=margin):
            for _, signals, themes in loaded:
                r = evaluate(signals, themes, seed)
                cells.append(f"{r['precision']:.2f}/{r['recall']:.2f}, {r['m_precision']:.2f}/{r['m_recall']:.2f}")
        out.append(f"| {wt} | {thr} | {mthr} | {margin} | " + " | ".join(cells) + " |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    from signalen import meaning, meaning_fit

    texts, catalogue_labels = meaning_fit.catalogue()
    features, labels = {"noden": meaning.features(texts)}, {"noden": catalogue_labels}
    for name, _ in SETS:
        rows = meaning_fit.labelled_rows(DATA / name)
        features[name], labels[name] = features_of(rows), [f"{name}:{r['thema']}" for r in rows]
    loaded = []
    for name, label in SETS:
        signals, themes = load(DATA / name, left_out_vectors(features, labels, name))
        loaded.append((name, signals, themes))
        typed = sum(bool(s.signaaltype) for s in signals)
        print(f"\n### {label}: `tests/overleg/data/{name}` — {len(signals)} signals, "
              f"{len(set(themes.values()))} needs, {typed} with a signaaltype\n")
        print("\n".join(table(signals, themes, args.seed)))
    if args.grid:
        print("\nGrid (every set, vectors as above; pair precision/recall, match precision/recall):\n")
        print("\n".join(grid(loaded, args.seed)))
    print(f"\n(seed {args.seed}; {time.perf_counter() - started:.1f} s including embedding the sets and the "
          f"catalogue, {len(labels['noden'])} examples of {len(set(labels['noden']))} needs)")


if __name__ == "__main__":
    main()
