"""Tests for the privacy guard (signalen.privacy), incl. precision/recall on a labelled set of sentences."""

import json
from pathlib import Path

import pytest

from signalen.privacy import (
    KINDS,
    REPLACEMENTS,
    Finding,
    redact,
    redact_fields,
    scan_fields,
    scan_text,
)

DATA = Path(__file__).parent / "data" / "privacy_sentences.jsonl"
MIN_RECALL = {kind: 0.95 for kind in KINDS} | {"naam": 0.80}
MAX_CLEAN_WITH_FINDINGS = 0.05


def load_set() -> list[dict]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        for span in row["spans"]:
            if "start" not in span:
                span["start"] = row["text"].index(span["text"])
            span["end"] = span["start"] + len(span["text"])
            assert row["text"][span["start"] : span["end"]] == span["text"], span
    return rows


def overlaps(finding: Finding, span: dict) -> bool:
    return finding.kind == span["kind"] and finding.start < span["end"] and span["start"] < finding.end


def evaluate(rows: list[dict]) -> tuple[dict, float, list[str]]:
    stats = {kind: {"tp": 0, "fn": 0, "fp": 0} for kind in KINDS}
    clean_hits, clean_total, problems = 0, 0, []
    for row in rows:
        findings = scan_text(row["text"])
        for span in row["spans"]:
            hit = any(overlaps(f, span) for f in findings)
            stats[span["kind"]]["tp" if hit else "fn"] += 1
            if not hit:
                problems.append(f"MIST  {span['kind']:<20} {span['text']!r:<32} in {row['text']!r}")
        for f in findings:
            if not any(overlaps(f, span) for span in row["spans"]):
                stats[f.kind]["fp"] += 1
                problems.append(f"FOUT  {f.kind:<20} {f.text!r:<32} in {row['text']!r}")
        if not row["spans"]:
            clean_total += 1
            clean_hits += bool(findings)
    return stats, clean_hits / max(clean_total, 1), problems


def test_labelled_set_is_big_and_varied_enough():
    rows = load_set()
    with_data = [r for r in rows if r["spans"]]
    assert len(rows) >= 160 and len(with_data) >= 80 and len(rows) - len(with_data) >= 80
    for kind in KINDS:
        n = sum(any(s["kind"] == kind for s in r["spans"]) for r in rows)
        assert n >= (30 if kind == "naam" else 15), kind


def test_precision_and_recall_on_labelled_set(capsys):
    stats, clean_rate, problems = evaluate(load_set())
    with capsys.disabled():
        print(f"\n{'soort':<22}{'tp':>5}{'fn':>5}{'fp':>5}{'precisie':>10}{'recall':>9}")
        for kind, s in stats.items():
            precision = s["tp"] / max(s["tp"] + s["fp"], 1)
            recall = s["tp"] / max(s["tp"] + s["fn"], 1)
            print(f"{kind:<22}{s['tp']:>5}{s['fn']:>5}{s['fp']:>5}{precision:>10.2f}{recall:>9.2f}")
        print(f"propere zinnen met een melding: {clean_rate:.1%}")
        print("\n".join(problems))
    for kind, s in stats.items():
        recall = s["tp"] / max(s["tp"] + s["fn"], 1)
        assert recall >= MIN_RECALL[kind], f"recall {kind} = {recall:.2f}"
    assert clean_rate <= MAX_CLEAN_WITH_FINDINGS


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_text(text)]


def test_it_flags_a_belgian_mobile_number_with_plus32():
    assert kinds("Bel haar op +32 470 12 34 56 na school.") == [("telefoon", "+32 470 12 34 56")]
    assert ("telefoon", "0032 470 12 34 56") in kinds("gsm 0032 470 12 34 56")
    assert ("telefoon", "0470/12.34.56") in kinds("gsm 0470/12.34.56")


def test_it_does_not_flag_dates_times_and_prices_as_phone_numbers():
    assert kinds("Activiteit op 12/03/2026 en 12.03.2026 om 21u15, inkom € 5.") == []


def test_it_does_not_flag_caputsteenpark_or_caw():
    assert kinds("Gisteren in het Caputsteenpark: het CAW en Overkop waren er met De Lijn.") == []
    assert kinds("De Bruulstraat is onveilig, zeggen jongeren uit Hoeilaart en Mechelen.") == []


def test_it_validates_national_register_check_digits():
    assert kinds("RRN 09.03.12-332.32") == [("rijksregisternummer", "09.03.12-332.32")]
    assert kinds("RRN 09031233232") == [("rijksregisternummer", "09031233232")]
    assert all(kind != "rijksregisternummer" for kind, _ in kinds("RRN 09.03.12-332.33"))
    assert all(kind != "rijksregisternummer" for kind, _ in kinds("dossier 12345678901"))


def test_it_finds_names_with_surname_and_context():
    assert ("naam", "Jan Peeters") in kinds("Gisteren kwam Jan Peeters langs.")
    assert ("naam", "Yasmina El Amrani") in kinds("Yasmina El Amrani (15) zoekt een kot.")
    assert ("naam", "Tiago") in kinds("Een jongen genaamd Tiago slaapt buiten.")
    assert kinds("Aan café De Roos en frituur De Hoop was het rustig.") == []


def test_it_finds_addresses_only_with_a_house_number():
    assert ("adres", "Grote Markt 5 bus 3") in kinds("Ze woont op de Grote Markt 5 bus 3.")
    assert kinds("In de Kerkstraat stonden 5 jongeren.") == []


def test_it_tells_birth_dates_from_event_dates():
    assert ("geboortedatum", "12/03/2009") in kinds("Ze is geboren op 12/03/2009.")
    assert kinds("Op 12 maart 2026 was er een activiteit.") == []


def test_it_tells_handles_from_email_addresses():
    assert kinds("Mail lotte.vdb@gmail.com of insta @lotte_vdb") == [
        ("email", "lotte.vdb@gmail.com"),
        ("handle", "@lotte_vdb"),
    ]


def test_redact_replaces_every_finding():
    text = "Yasmina (15), Bruulstraat 12, 0470 12 34 56, yas@hotmail.com, @yas_09, geboren op 12/03/2009."
    findings = scan_text(text)
    assert {f.kind for f in findings} == {"naam", "adres", "telefoon", "email", "handle", "geboortedatum"}
    redacted = redact(text, findings)
    for f in findings:
        assert f.text not in redacted
        assert REPLACEMENTS[f.kind] in redacted
    assert redacted.startswith("[naam] (15), [adres], [telefoonnummer], [e-mailadres], [account]")


def test_scan_fields_reports_the_field_and_index_of_quotes():
    fields = {
        "titel": "Geen plek om te sporten",
        "omschrijving": "Kevin Janssens vraagt een sporthal.",
        "plek": None,
        "citaten": ["niemand luistert", "bel me: 0470 12 34 56"],
    }
    findings = scan_fields(fields)
    assert [(f.field, f.kind, f.text) for f in findings] == [
        ("omschrijving", "naam", "Kevin Janssens"),
        ("citaten.1", "telefoon", "0470 12 34 56"),
    ]
    as_dict = findings[1].as_dict()
    assert as_dict == {
        "soort": "telefoon",
        "label": "telefoonnummer",
        "veld": "citaten.1",
        "start": 8,
        "einde": 21,
        "tekst": "0470 12 34 56",
        "vervanging": "[telefoonnummer]",
    }
    redacted = redact_fields(fields, findings)
    assert redacted == {
        "titel": "Geen plek om te sporten",
        "omschrijving": "[naam] vraagt een sporthal.",
        "plek": None,
        "citaten": ["niemand luistert", "bel me: [telefoonnummer]"],
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀🔥 جميل جدا 👍 \u200b\u200f\u202e Yas\u200bmina \ufeff",
        "<script>alert('0470 12 34 56')</script>",
        "'; DROP TABLE signalen; -- @ @@ @. .@ 0032 ++32 °°° 31/02/2009",
        "x" * 20_000,
        ("Kevin 0470 12 34 56 @a_b Bruulstraat 12 12/03/2009 " * 400)[:20_000],
        "".join(chr(c) for c in range(32, 3000)),
    ],
)
def test_bad_input_never_raises(text):
    findings = scan_text(text, "omschrijving")
    assert all(text[f.start : f.end] == f.text for f in findings)
    assert redact(text, findings) is not None
    assert scan_fields({"a": text, "b": [text, None, 3], "c": None, "d": 7}) is not None  # type: ignore[dict-item]


def test_findings_are_sorted_and_do_not_overlap():
    text = "Ilias Benali, ° 30-08-2006, RRN 06.08.30-667.02, tel 0470 12 34 56, Kerkstraat 7 2800 Mechelen"
    findings = scan_text(text)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))


