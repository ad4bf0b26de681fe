"""Quality of the bundling suggestions on the labelled sets: today's engine (words only) vs meaning + words.

Run from the repository root:  .venv/bin/python bench/bundling_quality.py [--seed 14] [--grid]

Per labelled set one table: new-group pair precision, pair recall and ARI (all signals unbundled; a signal in no
group is a singleton), and matches into existing dossiers after a third of each need was bundled by hand (a seeded
third of each need becomes a dossier titled after its first signal; every other signal is matched): precision =
right dossier / matches made, recall = right dossier / signals to match. Rows: today's engine (no vectors), meaning
only (the same engine with the word and metadata weights at 0), and the combined engine. With --grid it also prints
the grid the weights were chosen from (on the tuning set only). The vectors are the real model's (signalen.meaning).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from overleg.dossiers import clustering  # noqa: E402
from overleg.dossiers.clustering import SignalText  # noqa: E402
from overleg.dossiers.evaluation import adjusted_rand_index, hand_bundled, pair_scores  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "overleg" / "data"
SETS = [("bundling_tuning.jsonl", "tuning set"), ("clustering_signals.jsonl", "old set (check)")]


def load(path: Path, with_vectors: bool) -> tuple[list[SignalText], dict[int, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    vectors: list = [None] * len(rows)
    if with_vectors:
        from signalen import meaning

        vectors = list(meaning.embed([meaning.signal_text(r["titel"], r["omschrijving"]) for r in rows]))
    signals = [SignalText(r["id"], r["titel"], r["omschrijving"], r["plek"], r["signaaltype"], r["levensdomein"],
                          datetime.date.fromisoformat(r["datum"]), vector=v) for r, v in zip(rows, vectors, strict=True)]
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
    saved = {key: getattr(clustering, key) for key in change}
    try:
        for key, value in change.items():
            setattr(clustering, key, value)
        yield
    finally:
        for key, value in saved.items():
            setattr(clustering, key, value)


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


def grid(signals: list[SignalText], themes: dict[int, str], seed: int) -> list[str]:
    out = ["| meaning w | text w | group threshold | pair precision | pair recall | match thr | match margin | "
           "match precision | match recall |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for wm, wt, thr in itertools.product((0.5, 1.0, 1.5), (0.5, 1.0), (0.20, 0.25, 0.30)):
        for mthr, margin in ((0.20, 0.0), (0.20, 0.05), (0.25, 0.05)):
            with settings(MEANING_WEIGHT=wm, TEXT_WEIGHT=wt, COMBINED_GROUP_THRESHOLD=thr,
                          COMBINED_MATCH_THRESHOLD=mthr, MATCH_MARGIN=margin):
                r = evaluate(signals, themes, seed)
            out.append(f"| {wm} | {wt} | {thr} | {r['precision']:.3f} | {r['recall']:.3f} | {mthr} | {margin} | "
                       f"{r['m_precision']:.3f} | {r['m_recall']:.3f} |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    for name, label in SETS:
        signals, themes = load(DATA / name, with_vectors=True)
        typed = sum(bool(s.signaaltype) for s in signals)
        print(f"\n### {label}: `tests/overleg/data/{name}` — {len(signals)} signals, "
              f"{len(set(themes.values()))} needs, {typed} with a signaaltype\n")
        print("\n".join(table(signals, themes, args.seed)))
        if args.grid and name == SETS[0][0]:
            print("\nGrid (tuning set only; new groups and matches evaluated as above):\n")
            print("\n".join(grid(signals, themes, args.seed)))
    print(f"\n(seed {args.seed}; {time.perf_counter() - started:.1f} s including embedding the sets)")


if __name__ == "__main__":
    main()
