"""Benchmark for overleg.clustering: 10 000 synthetic signals, 300 dossiers.

Run from the repository root:  .venv/bin/python bench/clustering.py [--n 10000] [--dossiers 300] [--vectors]
Prints the timings and writes them to bench/out/clustering.md (copied into bench/RESULTS.md by hand).
With --vectors every call is timed twice: the engine on words alone, and with a meaning vector per signal (as wide
as signalen.meaning makes them; random, seeded: a random direction per theme plus noise, so neighbours exist).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from overleg.dossiers import cluster_core, clustering, terms_nl  # noqa: E402
from overleg.dossiers.clustering import (  # noqa: E402
    DossierProfile,
    SignalText,
    match_existing,
    suggest,
    suggest_new_groups,
)
from overleg.dossiers.evaluation import adjusted_rand_index  # noqa: E402

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "overleg" / "data" / "clustering_signals.jsonl"
PLACES = "Mechelen Lier Heist-op-den-Berg Duffel Bonheiden Willebroek Puurs Boom Niel Zemst".split()
WIJKEN = ["centrum", "station", "stadspark", "sporthal", "kerkplein", "sociale woonwijk", "jeugdhuis"]
TYPES = """aanbod-ontoegankelijk te-weinig-ontmoetingsplekken publieke-ruimte mobiliteit mentaal-welzijn
online-veiligheid onderwijs werk thuis veiligheid""".split()
WORD = re.compile(r"[^\W\d_]+")


def theme_material() -> dict[str, dict]:
    """Per theme of the labelled set: its title words, body words (with their frequencies) and types."""
    themes: dict[str, dict] = {}
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        theme = themes.setdefault(row["thema"], {"titles": [], "words": [], "types": [], "domains": []})
        theme["titles"].append(WORD.findall(row["titel"].lower()))
        theme["words"] += [w for w in WORD.findall(row["omschrijving"].lower()) if len(w) > 2]
        theme["types"].append(row["signaaltype"])
        theme["domains"].append(row["levensdomein"])
    return themes


def make_signals(n: int, rng: random.Random) -> list[tuple[str, SignalText]]:
    """n signals: words drawn from one theme of the labelled set (by frequency), random places and dates."""
    start = datetime.date(2025, 6, 1)
    themes = theme_material()
    general = [w for t in themes.values() for w in t["words"]]
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    rare = ["".join(rng.choices(syllables, k=3)) for _ in range(3000)]
    out = []
    for i in range(n):
        name = rng.choice(sorted(themes))
        theme = themes[name]
        title = rng.choice(theme["titles"])
        title = rng.sample(title, k=max(1, min(len(title), rng.randint(2, 5))))
        body = rng.choices(theme["words"], k=rng.randint(8, 16)) + rng.choices(general, k=rng.randint(3, 8))
        body += rng.sample(rare, k=rng.randint(0, 3))
        rng.shuffle(body)
        place = rng.choice(PLACES) + ("" if rng.random() < 0.5 else ", " + rng.choice(WIJKEN))
        typ = rng.choice(theme["types"]) if rng.random() < 0.8 else rng.choice(TYPES)
        day = start + datetime.timedelta(days=rng.randrange(365))
        text = " ".join(body) + "."
        domain = rng.choice(theme["domains"])
        out.append((name, SignalText(i + 1, " ".join(title).capitalize(), text, place, typ, domain, day)))
    return out


def make_dossiers(labelled: list[tuple[str, SignalText]], count: int, rng: random.Random) -> list:
    """Dossiers of up to 3 signals of one theme each (the first signal's title becomes the dossier title)."""
    by_theme: dict[str, list[SignalText]] = {}
    for theme, s in rng.sample(labelled, k=len(labelled)):
        by_theme.setdefault(theme, []).append(s)
    dossiers = []
    for k in range(count):
        covered = sorted(by_theme)[:8]  # dossiers exist for 8 of the 12 themes; the other 4 are new needs
        pool = by_theme[covered[k % len(covered)]]
        members = tuple(pool.pop() for _ in range(min(3, len(pool))))
        if members:
            first = members[0]
            dossiers.append(DossierProfile(100000 + k, first.titel, first.omschrijving[:120], members))
    return dossiers


def quality() -> list[str]:
    """ARI of suggest_new_groups against the themes of the labelled set, and what each feature adds."""
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    fields = ("id", "titel", "omschrijving", "plek", "signaaltype", "levensdomein")
    signals = [SignalText(*(r[f] for f in fields), datetime.date.fromisoformat(r["datum"])) for r in rows]

    def ari() -> float:
        label = {s.id: f"alleen-{s.id}" for s in signals}
        for k, group in enumerate(suggest_new_groups(signals)):
            label.update(dict.fromkeys(group.signalen, k))
        return adjusted_rand_index([r["thema"] for r in rows], [label[r["id"]] for r in rows])

    variants = [
        ("chosen settings", {}),
        ("no place boost", {"PLACE_BOOST": 0.0}),
        ("place boost 1.0", {"PLACE_BOOST": 1.0}),
        ("no type/domain bonus", {"TYPE_BONUS": 0.0, "DOMAIN_BONUS": 0.0}),
        ("no date bonus", {"DATE_BONUS": 0.0}),
        ("no second order", {"SECOND_ORDER": 0.0}),
        ("title weight 1", {"TITLE_WEIGHT": 1}),
        ("no slang/synonym table", {"SYNONYMS": {}}),
        ("no compound splitting", {"_TAIL_STEMS": []}),
    ]
    lines = ["| variant | ARI at threshold 0.06 / 0.08 / **0.10** / 0.12 / 0.14 |", "| --- | --- |"]
    for name, change in variants:
        # The word tables live in terms_nl, the title weight in cluster_core, the words-only weights in clustering.
        home = {key: next(m for m in (terms_nl, cluster_core, clustering) if hasattr(m, key))
                for key in [*change, "GROUP_THRESHOLD"]}
        saved = {key: getattr(home[key], key) for key in home}
        for key, value in change.items():
            setattr(home[key], key, value)
        terms_nl._WORD_CACHE.clear()
        cluster_core._analyze_cached.cache_clear()  # the analysed texts too, or a changed word table does nothing
        scores = []
        for threshold in (0.06, 0.08, 0.10, 0.12, 0.14):
            clustering.GROUP_THRESHOLD = threshold
            scores.append(f"**{ari():.3f}**" if threshold == 0.10 else f"{ari():.3f}")
        for key, value in saved.items():
            setattr(home[key], key, value)
        terms_nl._WORD_CACHE.clear()
        cluster_core._analyze_cached.cache_clear()  # the analysed texts too, or a changed word table does nothing
        lines.append(f"| {name} | {' / '.join(scores)} |")
    notes = [
        "",
        "Caveats: the set was written before any tuning, but the weights and the threshold were then "
        "chosen on this same set (from a plateau, not the peak), so the ARI is optimistic for unseen data. "
        "The place boost lowers the ARI here because the labelled themes cut across neighbourhoods; it stays "
        "because a chair wants place-bound bundles (\"Ontmoetingsplekken – Nekkerspoel\"). The type bonus "
        "carries a lot: without it the text alone reaches about 0.3. The slang table in stopwords_nl.py was "
        "written after the set and covers slang the set uses (brossen, flikken, chillen, meiden, nudes).",
    ]
    return lines + notes + ["", *match_quality(rows, signals)]


def match_quality(rows: list[dict], signals: list[SignalText]) -> list[str]:
    """match_existing: per theme a dossier of its first 6 signals, the other 72 signals are matched."""
    theme = {r["id"]: r["thema"] for r in rows}
    by_theme: dict[str, list[SignalText]] = {}
    for s in signals:
        by_theme.setdefault(theme[s.id], []).append(s)
    dossiers, rest = [], []
    for k, (name, members) in enumerate(sorted(by_theme.items())):
        dossiers.append(DossierProfile(900 + k, name.replace("-", " "), "", tuple(members[:6])))
        rest += members[6:]
    found = {i: theme[d.signalen[0].id] for m in match_existing(rest, dossiers) for d in dossiers
             if d.id == m.dossier for i in m.signalen}
    right = sum(theme[i] == t for i, t in found.items())
    return [f"`match_existing` on the same set (a dossier of the first 6 signals per theme, titled with the "
            f"theme; the other {len(rest)} signals matched, MATCH_THRESHOLD {clustering.MATCH_THRESHOLD}): "
            f"{len(found)} matched, {right} of them to their own theme's dossier."]


def timed(fn, *args, repeat: int = 1, **kwargs):
    """Result, and per run (wall seconds, CPU seconds of this process)."""
    runs = []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        runs.append((time.perf_counter() - w, time.process_time() - c))
    return result, runs


def with_vectors(labelled: list[tuple[str, SignalText]], seed: int) -> list[tuple[str, SignalText]]:
    import numpy as np

    from signalen.meaning import DIMENSIONS

    rng = np.random.default_rng(seed)
    centre = {name: rng.standard_normal(DIMENSIONS) for name in sorted({name for name, _ in labelled})}
    out = []
    for name, s in labelled:
        v = centre[name] + rng.standard_normal(DIMENSIONS) * 1.2
        out.append((name, dataclasses.replace(s, vector=(v / np.linalg.norm(v)).astype(np.float32))))
    return out


def fmt(runs: list[tuple[float, float]]) -> str:
    first, best = runs[0], min(runs)
    return f"{first[0]:.2f} / {first[1]:.2f} | {best[0]:.2f} / {min(r[1] for r in runs):.2f}"


def timings(label: str, free: list[SignalText], dossiers: list, repeat: int) -> list[str]:
    groups, t_groups = timed(suggest_new_groups, free, repeat=repeat)
    matches, t_match = timed(match_existing, free, dossiers, repeat=repeat)
    (m2, g2), t_suggest = timed(suggest, free, dossiers, repeat=repeat)
    small = free[:2000]
    small_groups, t_small = timed(suggest_new_groups, small, repeat=repeat)
    sizes = sorted((len(g.signalen) for g in groups), reverse=True)
    return [
        f"| {label} | `suggest_new_groups` ({len(free)} signals) | {fmt(t_groups)} | {len(groups)} groups, "
        f"largest {sizes[:5]} |",
        f"| {label} | `match_existing` ({len(free)} signals, {len(dossiers)} dossiers) | {fmt(t_match)} | "
        f"{len(matches)} dossiers get {sum(len(m.signalen) for m in matches)} signals |",
        f"| {label} | `suggest` (both) | {fmt(t_suggest)} | {len(m2)} matches, {len(g2)} new groups |",
        f"| {label} | `suggest_new_groups` ({len(small)} signals, the app's MAX_SIGNALS) | {fmt(t_small)} | "
        f"{len(small_groups)} groups |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).parent / "out" / "clustering.md"))
    parser.add_argument("--vectors", action="store_true", help="also time the engine with meaning vectors")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    labelled = make_signals(args.n + 5 * args.dossiers, rng)
    variants = [("words only", labelled)]
    if args.vectors:
        from signalen.meaning import DIMENSIONS

        variants.append((f"meaning + words (random {DIMENSIONS}-d vectors)", with_vectors(labelled, args.seed)))
    load_before = os.getloadavg()
    table = ["| engine | call | first run | best run | result |", "| --- | --- | --- | --- | --- |"]
    for label, data in variants:
        r2 = random.Random(args.seed + 1)
        free = [s for _, s in data[: args.n]]
        dossiers = make_dossiers(data[args.n :], args.dossiers, r2)
        table += timings(label, free, dossiers, args.repeat)
    load_after = os.getloadavg()
    vec_flag = " --vectors" if args.vectors else ""
    lines = [
        "# overleg.clustering benchmark",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: nproc={os.cpu_count()}, {platform.machine()} ({platform.processor() or 'cpu'}), "
        f"Python {platform.python_version()}, pure Python, one process",
        f"- load average (1 min) before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        "(the machine is shared; wall time suffers most under load, CPU time less)",
        f"- command: `.venv/bin/python bench/clustering.py --n {args.n} --dossiers {args.dossiers} "
        f"--repeat {args.repeat} --seed {args.seed}{vec_flag}`",
        f"- data: {len(free)} synthetic signals: words drawn by frequency from one of the 12 themes of "
        "tests/overleg/data/clustering_signals.jsonl plus words of other themes and 3 000 random rare words, "
        "10 gemeenten with an optional neighbourhood, 20% of the types picked at random, dates over a year; "
        f"{args.dossiers} dossiers of 3 signals of one theme, covering 8 of the 12 themes",
        "",
        "Seconds as wall / CPU. The first run includes the cold Snowball stem cache (pure-Python stemming "
        "of the whole vocabulary); best of the runs is the warm case.",
        "",
        *table,
        "",
        "Budget: 3 s for 10 000 signals on this 2-core machine. Above 2 000 signals each signal keeps fewer "
        "neighbours (K 15 -> 8 at 10 000), which is what keeps 10 000 within budget. The machine was shared "
        "with other test runs (see the load average): wall time then includes waiting for a core, so the "
        "CPU time of the process is the fairer number (single-threaded and CPU-bound: with a free core, "
        "wall ≈ CPU).",
        "",
        "## Quality on the labelled set",
        "",
        "`tests/overleg/data/clustering_signals.jsonl`: 144 signals, 12 themes; signals in no group count as "
        "singletons. Same numbers as `.venv/bin/python -m pytest tests/overleg/test_clustering.py -q -s`.",
        "",
        *quality(),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
