"""Tests for overleg.clustering: quality on the labelled set, ARI, dossier matching, rejections, bad input."""

import datetime
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from overleg.dossiers.clustering import (
    DossierProfile,
    ExistingMatch,
    NewGroup,
    SignalText,
    match_existing,
    suggest,
    suggest_new_groups,
    terms,
)
from overleg.dossiers.evaluation import adjusted_rand_index  # noqa: E402

DATA = Path(__file__).parent / "data" / "clustering_signals.jsonl"


def load() -> tuple[list[SignalText], dict[int, str]]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    signals = [
        SignalText(r["id"], r["titel"], r["omschrijving"], r["plek"], r["signaaltype"], r["levensdomein"],
                   datetime.date.fromisoformat(r["datum"]))
        for r in rows
    ]
    return signals, {r["id"]: r["thema"] for r in rows}


def labels_of(signals: list[SignalText], groups: list[NewGroup]) -> list[str]:
    label = {s.id: f"alleen-{s.id}" for s in signals}  # signals in no group are singletons
    for k, group in enumerate(groups):
        for i in group.signalen:
            label[i] = f"groep-{k}"
    return [label[s.id] for s in signals]


def test_labelled_set_is_realistic():
    signals, themes = load()
    assert len(signals) >= 130 and len(set(themes.values())) >= 11
    assert len({s.id for s in signals}) == len(signals)
    types_per_theme = {t: {s.signaaltype for s in signals if themes[s.id] == t} for t in set(themes.values())}
    assert sum(len(v) > 1 for v in types_per_theme.values()) >= 6  # types do not map one-to-one to themes


def test_ari_against_themes():
    signals, themes = load()
    groups = suggest_new_groups(signals)
    ari = adjusted_rand_index([themes[s.id] for s in signals], labels_of(signals, groups))
    grouped = sum(len(g.signalen) for g in groups)
    print(f"\nARI on {len(signals)} labelled signals ({len(set(themes.values()))} themes): {ari:.3f}; "
          f"{len(groups)} groups holding {grouped} signals, {len(signals) - grouped} left alone")
    for g in groups[:5]:
        print(f"  {g.score:.3f} {g.titel_voorstel!r}: {dict(Counter(themes[i] for i in g.signalen))}")
    assert ari >= 0.5


def test_groups_are_well_formed_and_reasons_honest():
    signals, _ = load()
    by_id = {s.id: s for s in signals}
    groups = suggest_new_groups(signals)
    assert groups and [g.score for g in groups] == sorted((g.score for g in groups), reverse=True)
    seen: set[int] = set()
    for g in groups:
        assert isinstance(g, NewGroup) and len(g.signalen) >= 2 and not seen & set(g.signalen)
        assert 0 < g.score <= 1 and g.signalen == tuple(sorted(g.signalen))
        seen |= set(g.signalen)
        assert g.titel_voorstel and g.reden.startswith("Gedeelde kernwoorden: ")
        words = g.reden.split(";")[0].removeprefix("Gedeelde kernwoorden: ").split(", ")
        member_terms = [set(terms(by_id[i].titel + " " + by_id[i].omschrijving)) for i in g.signalen]
        for word in words:  # every named word really occurs in at least two of the group's signals
            assert sum(bool(set(terms(word)) & t) for t in member_terms) >= 2, (word, g)
        if "zelfde plek: " in g.reden:
            place = g.reden.split("zelfde plek: ")[1].split(";")[0]
            assert all(by_id[i].plek == place for i in g.signalen)


def test_order_of_input_does_not_matter():
    signals, _ = load()
    shuffled = signals[:]
    random.Random(3).shuffle(shuffled)
    assert suggest_new_groups(signals) == suggest_new_groups(shuffled)


def test_a_small_gemeente_gets_its_two_groups():
    # With few signals every shared word counts: the idf cut-off is only for big inputs.
    d = datetime.date(2026, 4, 1)
    texts = [
        ("Laatste bus te vroeg", "Na de training is er geen bus meer naar Battel.", "Battel", "mobiliteit"),
        ("Geen bus na 21 uur", "De laatste bus vertrekt te vroeg, ze stappen naar huis.", "Battel",
         "mobiliteit"),
        ("Bus 's avonds", "Jongeren missen de laatste bus na het jeugdhuis.", "Battel", "mobiliteit"),
        ("Geen hangplek", "Tieners zoeken een overdekte hangplek in de wijk.", "Nekkerspoel",
         "publieke-ruimte"),
        ("Weggestuurd van het plein", "Op het plein is geen hangplek meer, de bank is weg.", "Nekkerspoel",
         "te-weinig-ontmoetingsplekken"),
        ("Hangplek gevraagd", "Ze vragen een hangplek met een bank en een dak.", "Nekkerspoel",
         "te-weinig-ontmoetingsplekken"),
    ]
    signals = [SignalText(i, t, o, p, ty, "vrije-tijd", d) for i, (t, o, p, ty) in enumerate(texts, 1)]
    groups = {g.signalen for g in suggest_new_groups(signals)}
    assert groups == {(1, 2, 3), (4, 5, 6)}, groups


def test_adjusted_rand_index_known_values():
    assert adjusted_rand_index([0, 0, 1, 1, 2], [0, 0, 1, 1, 2]) == pytest.approx(1.0)
    assert adjusted_rand_index(["a", "a", "b"], [5, 5, 7]) == pytest.approx(1.0)
    # By hand: n=4, pairs=6; contingency {0: [2], 1: [1, 1]} -> index 1, rows 2, columns 1,
    # expected 2*1/6 = 1/3, max (2+1)/2 = 3/2 -> (1 - 1/3) / (3/2 - 1/3) = 4/7.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    # index 0, rows 2, columns 2, expected 2/3, max 2 -> (0 - 2/3) / (2 - 2/3) = -1/2
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    true, pred = [0, 0, 0, 1, 1, 1, 2, 2], [1, 1, 0, 0, 2, 2, 2, 0]
    renamed = [{0: "x", 1: "y", 2: "z"}[p] for p in pred]
    assert adjusted_rand_index(true, renamed) == pytest.approx(adjusted_rand_index(true, pred))
    assert adjusted_rand_index(pred, true) == pytest.approx(adjusted_rand_index(true, pred))
    assert adjusted_rand_index([1, 2, 3], [1, 1, 1]) == pytest.approx(0.0)
    assert adjusted_rand_index([], []) == 1.0
    with pytest.raises(ValueError):
        adjusted_rand_index([1, 2], [1])


def _bus_and_youth_house_dossiers() -> list[DossierProfile]:
    d = datetime.date
    bus = (
        SignalText(1, "Laatste bus naar Heffen vertrekt om 21u",
                   "Jongeren geraken na de training niet meer thuis.", "Heffen", "mobiliteit", "vrije-tijd",
                   d(2026, 3, 2)),
        SignalText(2, "Geen bus meer na 20u", "In Walem rijdt 's avonds geen bus meer naar de stad.", "Walem",
                   "mobiliteit", "vrije-tijd", d(2026, 3, 9)),
    )
    house = (
        SignalText(3, "Jeugdhuis voelt niet als ons huis", "De gasten voelen zich bekeken aan de toog.",
                   "Jeugdhuis De Kelder", "aanbod-ontoegankelijk", "vrije-tijd", d(2026, 3, 4)),
        SignalText(4, "Niet welkom in het jeugdhuis",
                   "Vrijwilligers kennen enkel elkaar, wij blijven buiten.", "Nekkerspoel",
                   "aanbod-ontoegankelijk", "vrije-tijd", d(2026, 3, 20)),
    )
    return [
        DossierProfile(10, "Jeugdhuis", "Jongeren voelen zich niet welkom in het jeugdhuis.", house),
        DossierProfile(20, "Laatste bus te vroeg", "De laatste bus naar de deelgemeenten is te vroeg.", bus),
    ]


NEW_BUS = SignalText(100, "Na de cinema geen bus meer", "De laatste bus naar Heffen is al weg om 21u10, "
                     "dus de gasten stappen te voet naar huis.", "Heffen", "mobiliteit", "vrije-tijd",
                     datetime.date(2026, 3, 15))


def test_match_existing_puts_the_last_bus_signal_in_the_bus_dossier():
    matches = match_existing([NEW_BUS], _bus_and_youth_house_dossiers())
    assert len(matches) == 1 and isinstance(matches[0], ExistingMatch)
    match = matches[0]
    assert match.dossier == 20 and match.signalen == (100,) and match.score > 0
    assert match.reden.startswith("Gedeelde kernwoorden met het dossier: ")
    assert "bus" in match.reden.split(";")[0] and "laatste" in match.reden.split(";")[0]
    print(f"\nmatch: {match}")


def test_match_existing_on_labelled_set_is_mostly_right():
    signals, themes = load()
    by_theme: dict[str, list[SignalText]] = {}
    for s in signals:
        by_theme.setdefault(themes[s.id], []).append(s)
    dossiers, rest = [], []
    for k, (theme, members) in enumerate(sorted(by_theme.items())):
        dossiers.append(DossierProfile(900 + k, theme.replace("-", " "), "", tuple(members[:6])))
        rest += members[6:]
    theme_of = {d.id: themes[d.signalen[0].id] for d in dossiers}
    found = {i: theme_of[m.dossier] for m in match_existing(rest, dossiers) for i in m.signalen}
    right = sum(themes[i] == t for i, t in found.items())
    print(f"\nmatch_existing: {len(found)}/{len(rest)} held-out signals matched, {right} to the right theme")
    assert len(found) >= len(rest) / 2 and right >= 0.8 * len(found)


def test_rejected_pairs_are_never_proposed_again():
    signals, _ = load()
    first = suggest_new_groups(signals)
    rejected = {(g.signalen[1], g.signalen[0]) for g in first[:8]}  # reversed order on purpose
    rejected |= {(g.signalen[0], g.signalen[-1]) for g in first[:8]}
    again = suggest_new_groups(signals, rejected_pairs=rejected)
    for g in again:
        for a, b in rejected:
            assert not (a in g.signalen and b in g.signalen)
    _, via_suggest = suggest(signals, [], rejected_pairs=list(rejected))
    assert via_suggest == again


def test_rejected_matches_are_never_proposed_again():
    dossiers = _bus_and_youth_house_dossiers()
    assert match_existing([NEW_BUS], dossiers, rejected={(100, 20)}) == [] or all(
        m.dossier != 20 for m in match_existing([NEW_BUS], dossiers, rejected={(100, 20)}))
    matches, groups = suggest([NEW_BUS], dossiers, rejected_matches=[(100, 20)])
    assert all(m.dossier != 20 for m in matches)


def test_suggest_sends_fitting_signals_to_dossiers_and_groups_the_rest():
    signals, _ = load()
    dossiers = _bus_and_youth_house_dossiers()
    matches, groups = suggest([NEW_BUS, *signals], dossiers)
    matched = {i for m in matches for i in m.signalen}
    assert 100 in matched
    assert not matched & {i for g in groups for i in g.signalen}
    assert not {1, 2, 3, 4} & (matched | {i for g in groups for i in g.signalen})


def test_terms_split_compounds_and_stem():
    assert set(terms("ontmoetingsplekken")) & set(terms("ontmoetingsplek"))
    assert "plek" in terms("ontmoetingsplekken")
    assert set(terms("ontmoeting")) & set(terms("ontmoetingsplekken"))
    assert set(terms("De laatste bussen")) & set(terms("laatste bus")) >= set(terms("bus"))
    assert terms("de en het van een") == []
    assert all(t == t.lower() for t in terms("JEUGDHUIS Vrijbroekpark"))


BAD_TEXTS = [
    "",
    "   ",
    "😀🔥💯 🙈",
    "שלום עולם مرحبا \u202eevil\u202c",
    "ontmoe\u200btings\u200dplek\ufeff",
    "bus " * 1250,  # 5000 characters
    "x" * 5000,
    "'; DROP TABLE signalen; -- SELECT * FROM users WHERE 1=1 OR ''='",
    "<script>alert(1)</script> \x00 \n\t",
]


def test_bad_input_never_raises():
    assert suggest_new_groups([]) == [] and match_existing([], []) == [] and suggest([], []) == ([], [])
    one = [SignalText(1, "Enkel signaal")]
    assert suggest_new_groups(one) == []
    signals = [SignalText(i, text, text, text, text, text, None) for i, text in enumerate(BAD_TEXTS)]
    signals += [SignalText(100 + i, "Geen bus", text, plek=text) for i, text in enumerate(BAD_TEXTS)]
    signals.append(SignalText(200, None, None, None, None, None, None))  # type: ignore[arg-type]
    signals.append(SignalText(201, "dubbel id"))
    signals.append(SignalText(201, "dubbel id"))
    signals.append(SignalText(202, "Geen bus", "bus", datum=datetime.datetime(2026, 3, 1, 22, 15)))
    signals.append(SignalText(203, "Geen bus", "bus", datum="2026-03-02"))  # type: ignore[arg-type]
    signals.append(SignalText(204, "Geen bus", "bus", datum=datetime.date(2026, 3, 3)))
    for text in BAD_TEXTS:
        terms(text)
    groups = suggest_new_groups(signals, rejected_pairs=[(1, 2), (3,), None, "xy"])  # type: ignore[list-item]
    assert all(len(g.signalen) >= 2 for g in groups)
    dossiers = [DossierProfile(1, "", "", ()),
                DossierProfile(2, BAD_TEXTS[7], BAD_TEXTS[5], tuple(signals[:2]))]
    match_existing(signals, dossiers, rejected=[(1, 1), ()])
    suggest(signals, dossiers)
    suggest(one, [])
