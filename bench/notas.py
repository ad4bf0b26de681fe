"""PDF seconds per signaalnota: notas of about 2, 10 and 50 pages (charts, quotes, a table of signals), cold (a new
process: imports, fonts, pygal) and warm, beside WeasyPrint alone on the same final HTML (the floor), with peak memory.

    .venv/bin/python bench/notas.py [--sizes 2,10,50] [--repeat 5]

"Ours" is overleg.nota_pdf.render(data): privacy guard over every text, charts, Jinja, the table-of-contents
decision and common.pdf.render_pdf (PDF/UA-1, restricted fetcher). The floor is weasyprint.HTML(final html)
.write_pdf() with the same PDF/UA options and fetcher. The data is synthetic (no database): the database part of a
nota (overleg.notas.pdf_input: five queries) is not in these figures. Since issue 13 item 16 "ours" renders in
common.pdf's worker process (cache off here): its CPU and peak-RSS columns count only the calling process.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SIGNAALWERK_SECRET", "bench-" + "x" * 40)
os.environ["SIGNAALWERK_PDF_CACHE_MB"] = "0"  # every render renders: the cache would make the repeats free

from bench.common import PLACES, THEMES, machine  # noqa: E402

# (signals in the annex, paragraphs of analysis, months) per target page count
SIZES = {2: (3, 0, 2), 10: (150, 14, 12), 50: (1500, 52, 24)}


def data(pages: int) -> dict:
    """A nota of about `pages` pages, shaped as overleg.notas.pdf_input() returns it."""
    from overleg.notas import evidence as ev

    signals, paragraphs, months = SIZES[pages]
    start = dt.date(2025, 1, 6)
    rows = []
    for i in range(signals):
        title, _, _, _ = THEMES[i % len(THEMES)]
        place = PLACES[i % len(PLACES)]
        rows.append({"id": i + 1, "datum": start + dt.timedelta(days=(i * 29) % (months * 30)),
                     "titel": title.format(p=place), "plek": place, "bron": "straat", "bron_label": "Op straat",
                     "aantal_jongeren": 3 + i % 9, "citaten": [f"Overal worden we weggestuurd ({i})."],
                     "status": "geagendeerd", "dossier": 1 + i % 3, "werker": f"Werker {i % 4} Jeugd"})
    counts: dict[str, int] = {}
    for row in rows:
        key = row["datum"].strftime("%Y-%m")
        counts[key] = counts.get(key, 0) + 1
    places: dict[str, int] = {}
    for row in rows:
        places[row["plek"]] = places.get(row["plek"], 0) + 1
    evidence = {
        "aantal_signalen": signals, "aantal_werkers": 4, "aantal_plekken": len(places),
        "aantal_jongeren": sum(r["aantal_jongeren"] for r in rows), "eerste_datum": min(r["datum"] for r in rows),
        "laatste_datum": max(r["datum"] for r in rows),
        "per_maand": [{"label": ev.month_label(k), "aantal": v} for k, v in sorted(counts.items())],
        "plekken": [{"sleutel": p, "label": p, "aantal": n}
                    for p, n in sorted(places.items(), key=lambda x: -x[1])][:12],
        "bronnen": [{"sleutel": "straat", "label": "Op straat", "aantal": signals}],
        "leeftijden": [{"sleutel": "12-15", "label": "12 tot 15 jaar", "aantal": signals}],
        "signaaltypes": [{"sleutel": "x", "label": "Te weinig ontmoetingsplekken", "aantal": signals}],
    }
    paragraph = ("Jongeren uit de wijk vertellen al maanden dat ze na school nergens samen kunnen zitten zonder iets "
                 "te moeten kopen. Het jeugdhuis is alleen in het weekend open en op het plein worden ze "
                 "weggestuurd. Partners bevestigen dit beeld vanuit hun eigen werking. ") * 3
    dossiers = [{"id": i, "titel": f"Dossier {i}: ontmoetingsplekken", "omschrijving": paragraph[:300 if pages < 10
                 else None]} for i in (1, 2, 3)[:1 if pages < 10 else 3]]
    secties = {"aanleiding": ev.aanleiding_text(dossiers, evidence), "onderbouwing": ev.onderbouwing_text(evidence),
               "analyse": "\n\n".join([paragraph] * paragraphs), "acties": "- Het CAW opende een inloopmoment.\n"
               "- De jeugddienst bekijkt de openingsuren.", "advies": "Het overleg vraagt:\n\n1. een plek;\n2. uren.",
               "opvolging": ev.OPVOLGING}
    nota = {"referentie": "SN-2026-004-MECHELEN", "onderwerp": "Ontmoetingsplekken voor tieners",
            "adressaat": "college", "adressaat_tekst": "", "trekker": "Jeugddienst",
            "antwoord_gevraagd_tegen": dt.date(2026, 3, 1), "secties": secties,
            "citaten": [f"Overal worden we weggestuurd ({i})." for i in range(2 if pages < 10 else 6)],
            "bevestigde_persoonsgegevens": [],
            "werkernamen_in_nota": False, "overleg_naam": "Jeugdwelzijnsoverleg Mechelen", "gemeente_naam": "Mechelen",
            "status": "verstuurd"}
    return {"nota": nota, "evidence": evidence, "rows": rows, "dossiers": dossiers, "huisstijl": None,
            "datum": dt.date(2026, 1, 12), "concept": False, "vorige": ""}


def floor(html: str) -> tuple[bytes, int]:
    """WeasyPrint alone on the final HTML: same PDF/UA options and restricted fetcher, nothing else (PDF, pages)."""
    from common import pdf as common_pdf

    weasyprint, fetcher_class = common_pdf._load_weasyprint()
    document = weasyprint.HTML(string=html, base_url=common_pdf.BASE_URL,
                               url_fetcher=fetcher_class(common_pdf.STATIC_DIR)).render(pdf_variant="pdf/ua-1",
                                                                                        pdf_tags=True)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True), len(document.pages)


def final_html(d: dict) -> tuple[str, bool]:
    """The HTML `render` ends with (after its table-of-contents decision)."""
    from overleg.notas import pdf as nota_pdf

    html = asyncio.run(nota_pdf.render_document(d))[1]
    return html, 'class="inhoud"' in html


def peak_rss_mib() -> float:
    """VmHWM of this process (ru_maxrss of a child would include the parent's RSS at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, pages: int) -> None:
    """One cold render in this fresh process; prints JSON (seconds, pages, peak RSS)."""
    d = data(pages)
    start = time.perf_counter()
    if mode == "ours":
        from overleg.notas import pdf as nota_pdf

        pages = asyncio.run(nota_pdf.render_nota(d))[0].pages
    else:
        html = Path(os.environ["BENCH_HTML"]).read_text()
        pages = floor(html)[1]
    seconds = time.perf_counter() - start
    rss = peak_rss_mib()
    print(json.dumps({"seconds": seconds, "pages": pages, "rss_mib": rss}))


def cold(mode: str, pages: int, html_path: Path) -> dict:
    env = {**os.environ, "BENCH_HTML": str(html_path), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(pages)], capture_output=True, text=True,
                         env=env, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def warm(pages: int, repeat: int, html: str) -> dict:
    from overleg.notas import pdf as nota_pdf

    d = data(pages)
    asyncio.run(nota_pdf.render(d))  # warm-up: imports, fonts, pygal
    floor(html)
    ours, base, ours_cpu, base_cpu = [], [], [], []
    for _ in range(repeat):  # interleaved, so load on the shared machine hits both alike
        start, cpu = time.perf_counter(), time.process_time()
        pages = asyncio.run(nota_pdf.render_nota(d))[0].pages
        ours.append(time.perf_counter() - start)
        ours_cpu.append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        floor(html)
        base.append(time.perf_counter() - start)
        base_cpu.append(time.process_time() - cpu)
    tracemalloc.start()
    asyncio.run(nota_pdf.render(d))
    python_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"ours": statistics.median(ours), "floor": statistics.median(base), "ours_min": min(ours),
            "floor_min": min(base), "ours_cpu": statistics.median(ours_cpu), "floor_cpu": statistics.median(base_cpu),
            "pages": pages, "python_peak_mib": python_peak}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2,10,50")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    rows = []
    for pages in (int(s) for s in args.sizes.split(",")):
        html, toc = final_html(data(pages))
        html_path = out / f"nota-{pages}.html"
        html_path.write_text(html)
        c_ours, c_floor = cold("ours", pages, html_path), cold("floor", pages, html_path)
        w = warm(pages, args.repeat, html)
        rows.append({"target": pages, "toc": toc, "cold_ours": c_ours, "cold_floor": c_floor, "warm": w})
        print(json.dumps(rows[-1]), flush=True)
    (out / "notas.json").write_text(json.dumps(rows, indent=2))
    print(f"\nMachine: {machine()}\nLoad (1 min) before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f}\n"
          f"Command: .venv/bin/python bench/notas.py {' '.join(sys.argv[1:])}\n")
    print("| nota | pages | ToC | cold ours s | cold floor s | warm ours s (median) | warm floor s (median) | "
          "ratio | warm CPU s ours / floor | CPU ratio | peak RSS ours / floor MiB | Python heap peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        w = r["warm"]
        print(f"| ~{r['target']} p | {w['pages']} | {'yes' if r['toc'] else 'no'} | {r['cold_ours']['seconds']:.2f} | "
              f"{r['cold_floor']['seconds']:.2f} | {w['ours']:.2f} | {w['floor']:.2f} | "
              f"{w['ours'] / w['floor']:.2f}× | {w['ours_cpu']:.2f} / {w['floor_cpu']:.2f} | "
              f"{w['ours_cpu'] / w['floor_cpu']:.2f}× | "
              f"{r['cold_ours']['rss_mib']:.0f} / {r['cold_floor']['rss_mib']:.0f} | {w['python_peak_mib']:.0f} |")


if __name__ == "__main__":
    main()
