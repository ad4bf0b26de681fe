"""Tests for overleg.clustering: quality on the labelled set, ARI, dossier matching, rejections, bad input."""

import dataclasses
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
from overleg.dossiers.evaluation import adjusted_rand_index, hand_bundled  # noqa: E402

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


# --- Meaning combined with words (issue 14): the real model, the tuning set and the old set ---------------------

TUNING = Path(__file__).parent / "data" / "bundling_tuning.jsonl"


def _with_meaning(signals: list[SignalText]) -> list[SignalText]:
    from signalen import meaning

    vectors = meaning.embed([meaning.signal_text(s.titel, s.omschrijving) for s in signals])
    return [dataclasses.replace(s, vector=v) for s, v in zip(signals, vectors, strict=True)]


def _load(path: Path) -> tuple[list[SignalText], dict[int, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    signals = [SignalText(r["id"], r["titel"], r["omschrijving"], r["plek"], r["signaaltype"], r["levensdomein"],
                          datetime.date.fromisoformat(r["datum"])) for r in rows]
    return signals, {r["id"]: r["thema"] for r in rows}


@pytest.fixture(scope="module")
def embedded() -> dict[str, tuple[list[SignalText], dict[int, str]]]:
    out = {}
    for name, path in (("tuning", TUNING), ("old", DATA)):
        signals, themes = _load(path)
        out[name] = (_with_meaning(signals), themes)
    return out


def _s(i: int, titel: str, omschrijving: str = "", plek: str = "", **kw) -> SignalText:
    return SignalText(i, titel, omschrijving, plek, datum=datetime.date(2026, 3, 1), **kw)


SEATS = [_s(1, "Nergens om te zitten", "De gasten zitten op de grond aan het plein.", "Oud Oefenplein"),
         _s(2, "Staan de hele avond recht", "Er is geen zitplaats meer op het plein, ze leunen tegen de muur.",
            "Oud Oefenplein"),
         _s(3, "Geen zitbanken meer", "De stad heeft alle zitbanken aan het plein verwijderd.", "Oud Oefenplein")]
UNRELATED = [_s(4, "Wachtlijst bij de psycholoog", "Een meisje wacht al maanden op hulp voor haar angsten."),
             _s(5, "Gokken op de gsm", "Jongens verliezen hun zakgeld aan sportweddenschappen."),
             _s(6, "Zwembad gesloten voor renovatie", "Het dichtste zwembad ligt twintig kilometer verder."),
             _s(7, "Geen studentenjob gevonden", "Na twintig sollicitaties nog altijd geen antwoord."),
             _s(8, "Naaktfoto rondgestuurd op Snapchat", "Een foto van een meisje werd in de klasgroep gedeeld.")]


def test_paraphrases_with_few_shared_words_are_grouped_when_meaning_agrees():
    signals = _with_meaning(SEATS + UNRELATED)
    groups = suggest_new_groups(signals)
    seat_ids = {1, 2, 3}
    # 1 and 2 share one informative word ("plein"); their meaning puts them together.
    one, two = (set(terms(s.titel + " " + s.omschrijving)) for s in SEATS[:2])
    assert len(one & two) <= 1
    assert any({1, 2} <= set(g.signalen) for g in groups), groups
    together = [g for g in groups if len(seat_ids & set(g.signalen)) >= 2]
    assert all(set(g.signalen) <= seat_ids for g in together)  # nothing unrelated joins them
    assert not any(len(set(g.signalen) - seat_ids) >= 2 for g in groups)  # the unrelated ones stay alone


def test_reasons_are_dutch_and_name_what_is_shared():
    groups = suggest_new_groups(_with_meaning(SEATS + UNRELATED))
    group = next(g for g in groups if {1, 2} & set(g.signalen))
    titles = {s.titel for s in SEATS}
    first, *rest = group.reden.split("; ")
    assert first.startswith("Zelfde nood: ") and first.removeprefix("Zelfde nood: ") in titles
    assert f"{len(group.signalen)} keer Oud Oefenplein" in rest, group.reden


def test_a_title_does_not_name_the_place_twice():
    """Regression: signals that all name their place were titled "Banken, nekkerspoel – Nekkerspoel"."""
    where = "Nekkerspoel"
    signals = _with_meaning([
        _s(11, "Geen plek om samen te zitten in Nekkerspoel", "De banken in Nekkerspoel zijn weg.", where),
        _s(12, "Banken weggehaald aan het pleintje in Nekkerspoel", "Sinds de banken weg zijn zitten ze in "
           "Nekkerspoel op de grond.", where), *UNRELATED])
    group = next(g for g in suggest_new_groups(signals) if {11, 12} <= set(g.signalen))
    assert group.titel_voorstel.endswith(f" – {where}")
    assert group.titel_voorstel.lower().count(where.lower()) == 1, group.titel_voorstel


def test_a_rejected_pair_is_not_grouped_again_with_meaning():
    signals = _with_meaning(SEATS + UNRELATED)
    pair = next(g for g in suggest_new_groups(signals) if {1, 2} & set(g.signalen)).signalen[:2]
    again = suggest_new_groups(signals, rejected_pairs=[pair])
    assert not any(set(pair) <= set(g.signalen) for g in again)


def _seat_dossier(signals: list[SignalText], uitgehaald: tuple[SignalText, ...] = ()) -> DossierProfile:
    return DossierProfile(50, "Geen zitplek op het plein", "", (signals[0], signals[1]), uitgehaald)


def test_a_new_signal_joins_the_dossier_of_its_nearest_bundled_signals_unless_rejected_or_taken_out():
    extra = [_s(9, "Geen plek om te zitten", "De groep staat de hele avond recht, er is geen bank.",
                "Oud Oefenplein")]
    signals = _with_meaning(SEATS + UNRELATED + extra)
    by_id = {s.id: s for s in signals}
    free = [s for s in signals if s.id not in (1, 2)]
    other = DossierProfile(60, "Gokken", "", (by_id[5],))
    found = match_existing(free, [_seat_dossier(signals), other])
    seat = next(m for m in found if m.dossier == 50)
    assert {3, 9} <= set(seat.signalen) and not {4, 6, 7, 8} & set(seat.signalen)
    assert seat.reden.startswith("Zelfde nood als „") and "in het dossier" in seat.reden
    refused = match_existing(free, [_seat_dossier(signals), other], rejected=[(9, 50)])
    assert all(9 not in m.signalen for m in refused if m.dossier == 50)
    # Signal 3 was taken out of the dossier by a person: not proposed there again.
    taken = match_existing([s for s in free if s.id != 3] + [by_id[3]],
                           [_seat_dossier(signals, uitgehaald=(by_id[3],)), other])
    assert all(3 not in m.signalen for m in taken if m.dossier == 50)


def test_a_signal_like_one_taken_out_counts_against_that_dossier():
    near_copy = _s(10, "Geen zitbanken meer", "De stad heeft alle zitbanken aan het plein verwijderd, zeggen ze.",
                   "Oud Oefenplein")
    signals = _with_meaning(SEATS + UNRELATED + [near_copy])
    by_id = {s.id: s for s in signals}
    free = [by_id[10], *[s for s in signals if s.id in (4, 5, 6)]]
    plain = match_existing(free, [_seat_dossier(signals)])
    assert any(10 in m.signalen for m in plain)
    against = match_existing(free, [_seat_dossier(signals, uitgehaald=(by_id[3],))])
    assert all(10 not in m.signalen for m in against)


def test_without_vectors_or_with_bad_ones_the_words_engine_answers():
    plain = suggest_new_groups(SEATS + UNRELATED)
    broken = [dataclasses.replace(s, vector=v) for s, v in
              zip(SEATS + UNRELATED, ["x", [float("nan")] * 4, [], None, None, None, None, None], strict=True)]
    assert suggest_new_groups(broken) == plain  # fewer than half carry one: words alone
    odd = [dataclasses.replace(s, vector=[1.0, 0.0] if s.id % 2 else [0.0, 0.0, 1.0]) for s in SEATS + UNRELATED]
    for g in suggest_new_groups(odd):  # mixed lengths and zero rows do not raise
        assert isinstance(g, NewGroup)


def _pairs(themes: list[str], groups: list[NewGroup], ids: list[int]) -> tuple[float, float]:
    from overleg.dossiers.evaluation import pair_scores

    label = {i: f"alleen-{i}" for i in ids}
    for k, g in enumerate(groups):
        label.update(dict.fromkeys(g.signalen, k))
    precision, recall, _ = pair_scores(themes, [label[i] for i in ids])
    return precision, recall


def _match_scores(signals: list[SignalText], themes: dict[int, str]) -> tuple[float, float]:
    """A seeded third of each need bundled by hand (as bench/bundling_quality.py), the rest matched."""
    dossiers, rest, need = hand_bundled(signals, themes, seed=14)
    made = [(i, m.dossier) for m in match_existing(rest, dossiers) for i in m.signalen]
    right = sum(need[d] == themes[i] for i, d in made)
    return right / max(1, len(made)), right / len(rest)


# Floors: what the engine reached on 2026-12-03 (bench/RESULTS.md) minus a small margin.
FLOORS = {"tuning": (0.63, 0.13, 0.70, 0.36), "old": (0.78, 0.20, 0.76, 0.55)}


@pytest.mark.parametrize("name", ["tuning", "old"])
def test_precision_floors_on_the_labelled_sets(embedded, name):
    signals, themes = embedded[name]
    ids = [s.id for s in signals]
    precision, recall = _pairs([themes[i] for i in ids], suggest_new_groups(signals), ids)
    m_precision, m_recall = _match_scores(signals, themes)
    print(f"\n{name}: new groups {precision:.3f} / {recall:.3f}; matches {m_precision:.3f} / {m_recall:.3f}")
    floor_p, floor_r, floor_mp, floor_mr = FLOORS[name]
    assert precision >= floor_p and recall >= floor_r
    assert m_precision >= floor_mp and m_recall >= floor_mr
