"""Bovenlokaal: themes that recur in two or more gemeenten of the coördinator's organisation.

Two lenses: the same signaaltype (counted in SQL), and similar signals — the overleg's bundling engine (sentence
meaning combined with words, overleg.dossiers.clustering) run over the dossiers and the most recent unbundled signals
of all those gemeenten. Only counts and periods per gemeente leave this module: never another gemeente's signal text.
A theme with members in gemeenten where the coördinator is no member is named after its most representative signal or
dossier in their own gemeenten (where they read the register), else after its taxonomy term (the signaltype): no
word derived from those other texts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from piccolo.query.functions.aggregate import Count, Max, Min

from admin.sessions import CurrentUser
from admin.tables import Rol
from admin.tenancy import aggregate_gemeente_ids, gemeente_ids_with, in_gemeenten, register_gemeente_ids
from common.dates import short_date
from overleg.dossiers import clustering
from overleg.tables import Dossier
from signalen import embeddings
from signalen.tables import Signaal, Signaaltype, Status

RECENT_UNBUNDLED = 400  # keeps the similarity lens fast at 100k signals; dossiers carry the older evidence
MEMBER_VECTORS = 2000  # a dossier's meaning: the mean of its members of the period, the most recent this many in all


@dataclass
class Thema:
    sleutel: str
    titel: str
    reden: str
    per_gemeente: dict[int, dict] = field(default_factory=dict)  # gemeente id → {signalen, dossiers, van, tot}
    dossiers: dict[int, list[int]] = field(default_factory=dict)  # gemeente id → dossier ids (never shown)

    @property
    def gemeenten(self) -> int:
        return len(self.per_gemeente)

    @property
    def signalen(self) -> int:
        return sum(g["signalen"] for g in self.per_gemeente.values())


def coordinator_gemeente_ids(user: CurrentUser) -> set[int]:
    """The organisation's gemeenten, for a user who is coördinator somewhere; else nothing."""
    return aggregate_gemeente_ids(user) if gemeente_ids_with(user, {Rol.coordinator}) else set()


async def by_type(gemeente_ids: list[int], since: dt.date) -> list[Thema]:
    rows = await (Signaal.select(Signaal.signaaltype, Signaal.gemeente, Count(alias="n"),
                                 Min(Signaal.datum, alias="van"), Max(Signaal.datum, alias="tot"))
                  .where(in_gemeenten(Signaal.gemeente, gemeente_ids) & (Signaal.datum >= since)
                         & Signaal.signaaltype.is_not_null() & (Signaal.status != Status.niet_weerhouden.value))
                  .group_by(Signaal.signaaltype, Signaal.gemeente))
    names = {r["id"]: r["naam"] for r in await Signaaltype.select(Signaaltype.id, Signaaltype.naam)}
    themes: dict[int, Thema] = {}
    for row in rows:
        theme = themes.setdefault(row["signaaltype"], Thema(
            f"type-{row['signaaltype']}", names.get(row["signaaltype"], "?"), "Zelfde soort signaal"))
        theme.per_gemeente[row["gemeente"]] = {"signalen": row["n"], "dossiers": 0, "van": _date(row["van"]),
                                               "tot": _date(row["tot"])}
    return [t for t in themes.values() if t.gemeenten >= 2]


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


_WORD = re.compile(r"\w+")


def _words(*texts: str) -> set[str]:
    return {w.lower() for text in texts for w in _WORD.findall(text or "")}


_SAFE_PARTS = ("zelfde type", "zelfde periode", "periode:")
_WORDS_PREFIX = "gedeelde kernwoorden: "


def own_reason(reason: str, own_words: set[str], representative: str = "") -> str:
    """The engine's reason ("Zelfde nood: …; gedeelde kernwoorden: a, b; 3 keer <plek>; zelfde type: …; periode: …")
    for a reader who may not read every member: the need named after `representative` (a title they may read), the
    shared words that occur in their own texts, type and period; every place and every other word left out."""
    parts = []
    for part in (p.strip() for p in reason.split(";")):
        lower = part.lower()
        if lower.startswith("zelfde nood") and representative:
            parts.append(f"Zelfde nood als ‘{representative}’")
        elif lower.startswith(_WORDS_PREFIX):
            words = [w for w in part[len(_WORDS_PREFIX):].split(", ") if w and _words(w) <= own_words]
            if words:
                parts.append("gedeelde kernwoorden: " + ", ".join(words))
        elif lower.startswith(_SAFE_PARTS):
            parts.append(part)
    text = "; ".join(parts) or "Gelijkaardige signalen"
    return text[:1].upper() + text[1:]


def _taxonomy_name(kinds: Counter, names: dict[int, str]) -> str:
    for kind, _ in kinds.most_common():
        if kind in names:
            return f"{names[kind]} (gelijkaardige signalen)"
    return "Gelijkaardige signalen"


def _mean_vector(vectors: list[np.ndarray]) -> np.ndarray | None:
    """A dossier's meaning: the unit mean of its recent members' vectors (None without any)."""
    if not vectors:
        return None
    mean = np.mean(np.vstack(vectors), axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else None


def _representative(keys: list[int], by_key: dict[int, clustering.SignalText]) -> clustering.SignalText | None:
    """Of these members, the one whose meaning is nearest to all of them (the first one without vectors)."""
    if not keys:
        return None
    with_vector = [k for k in keys if by_key[k].vector is not None]
    if len(with_vector) < 2:
        return by_key[keys[0]]
    m = np.vstack([by_key[k].vector for k in with_vector])
    return by_key[with_vector[int(np.argmax((m @ m.T).sum(axis=1)))]]


async def by_similarity(gemeente_ids: list[int], since: dt.date, own: set[int] | None = None) -> list[Thema]:
    """Themes from similar signals: the overleg's combined engine (sentence meaning and words) run over the dossiers
    and the most recent unbundled signals. `own`: the gemeenten whose texts the reader may read (None: all); a theme
    with members elsewhere is named after the most representative signal or dossier of those gemeenten, else after
    its taxonomy term, and its reason keeps only what is safe (own words, type, period)."""
    own = set(gemeente_ids) if own is None else own
    dossiers = await (Dossier.select(Dossier.id, Dossier.gemeente, Dossier.titel, Dossier.omschrijving)
                      .where(in_gemeenten(Dossier.gemeente, gemeente_ids) & Dossier.samengevoegd_in.is_null()))
    dossier_ids = [d["id"] for d in dossiers] or [0]
    evidence = await (Signaal.select(Signaal.dossier, Count(alias="n"), Min(Signaal.datum, alias="van"),
                                     Max(Signaal.datum, alias="tot"))
                      .where(Signaal.dossier.is_in(dossier_ids)).group_by(Signaal.dossier))
    kinds_per_dossier = await (Signaal.select(Signaal.dossier, Signaal.signaaltype, Count(alias="n"))
                               .where(Signaal.dossier.is_in(dossier_ids))
                               .group_by(Signaal.dossier, Signaal.signaaltype))
    members = await (Signaal.select(Signaal.dossier, *embeddings.COLUMNS)
                     .where(Signaal.dossier.is_in(dossier_ids) & (Signaal.datum >= since))
                     .order_by(Signaal.datum, ascending=False).limit(MEMBER_VECTORS))
    loose = await (Signaal.select(*embeddings.COLUMNS, Signaal.gemeente, Signaal.plek, Signaal.datum,
                                  Signaal.signaaltype)
                   .where(in_gemeenten(Signaal.gemeente, gemeente_ids) & Signaal.dossier.is_null()
                          & (Signaal.status == Status.nieuw.value) & (Signaal.datum >= since))
                   .order_by(Signaal.datum, ascending=False).limit(RECENT_UNBUNDLED))
    vectors = await embeddings.vectors_for([*members, *loose])
    per_dossier_vectors: dict[int, list[np.ndarray]] = {}
    for row in members:
        if row["id"] in vectors:
            per_dossier_vectors.setdefault(row["dossier"], []).append(vectors[row["id"]])
    per_dossier = {row["dossier"]: row for row in evidence}
    types = {r["id"]: r for r in await Signaaltype.select(Signaaltype.id, Signaaltype.slug, Signaaltype.naam)}
    texts, owner = [], {}
    kinds: dict[int, Counter] = {}
    for row in kinds_per_dossier:
        kinds.setdefault(row["dossier"] * 2 + 1, Counter())[row["signaaltype"]] += row["n"]
    for d in dossiers:  # odd keys: dossiers, even keys: signals (the engine needs one id space)
        key = d["id"] * 2 + 1
        main_kind = next((k for k, _ in kinds.get(key, Counter()).most_common(1)), None)
        texts.append(clustering.SignalText(id=key, titel=d["titel"], omschrijving=d["omschrijving"] or "",
                                           signaaltype=_slug(types, main_kind),
                                           vector=_mean_vector(per_dossier_vectors.get(d["id"], []))))
        row = per_dossier.get(d["id"], {})
        owner[key] = (d["gemeente"], row.get("n", 0), 1, _date(row.get("van")), _date(row.get("tot")))
    for s in loose:
        key = s["id"] * 2
        texts.append(clustering.SignalText(id=key, titel=s["titel"], omschrijving=s["omschrijving"] or "",
                                           datum=_date(s["datum"]), signaaltype=_slug(types, s["signaaltype"]),
                                           vector=vectors.get(s["id"])))
        owner[key] = (s["gemeente"], 1, 0, _date(s["datum"]), _date(s["datum"]))
        kinds[key] = Counter({s["signaaltype"]: 1})
    by_key = {t.id: t for t in texts}
    names = {tid: row["naam"] for tid, row in types.items()}
    themes = []
    for index, group in enumerate(clustering.suggest_new_groups(texts)):
        theme = Thema(f"tekst-{index}", group.titel_voorstel, group.reden)
        for key in group.signalen:
            gemeente, signals, is_dossier, start, end = owner[key]
            entry = theme.per_gemeente.setdefault(gemeente, {"signalen": 0, "dossiers": 0, "van": start, "tot": end})
            entry["signalen"] += signals
            entry["dossiers"] += is_dossier
            if is_dossier:
                theme.dossiers.setdefault(gemeente, []).append(key // 2)
            entry["van"] = min(filter(None, [entry["van"], start]), default=None)
            entry["tot"] = max(filter(None, [entry["tot"], end]), default=None)
        if theme.gemeenten < 2:
            continue
        if not set(theme.per_gemeente) <= own:  # texts of gemeenten the reader may not read: name it safely
            readable = [k for k in group.signalen if owner[k][0] in own]
            own_words = _words(*(f"{by_key[k].titel} {by_key[k].omschrijving}" for k in readable))
            representative = _representative(readable, by_key)
            group_kinds = sum((kinds.get(k, Counter()) for k in group.signalen), Counter())
            theme.titel = (_title(representative) if representative else "") or _taxonomy_name(group_kinds, names)
            theme.reden = own_reason(group.reden, own_words, _title(representative) if representative else "")
        themes.append(theme)
    return themes


def _slug(types: dict[int, dict], type_id: int | None) -> str:
    return types[type_id]["slug"] if type_id in types else ""


def _title(s: clustering.SignalText) -> str:
    return " ".join(str(s.titel or "").split())[:80]


async def themes(user: CurrentUser, since: dt.date) -> list[Thema]:
    ids = sorted(coordinator_gemeente_ids(user))
    if len(ids) < 2:
        return []
    own = register_gemeente_ids(user) & set(ids)
    found = await by_similarity(ids, since, own) + await by_type(ids, since)
    return sorted(found, key=lambda t: (-t.gemeenten, -t.signalen, t.titel))


async def find_theme(user: CurrentUser, since: dt.date, sleutel: str) -> Thema | None:
    """The theme with this key, recomputed now (keys are only stable for the same data and period)."""
    return next((t for t in await themes(user, since) if t.sleutel == sleutel), None)


def _periode(cijfers: dict) -> str:
    if not cijfers.get("van"):
        return "—"
    return f"{short_date(cijfers['van'])} – {short_date(cijfers['tot'])}"


def aggregate_table(theme: Thema, namen: dict[int, str]) -> str:
    """The theme's numbers per gemeente as a Markdown table: counts and periods only, never signal text."""
    rows = sorted(theme.per_gemeente.items(), key=lambda item: namen.get(item[0], ""))
    lines = ["| Gemeente | Signalen | Dossiers | Periode |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {namen.get(gid, '?')} | {c['signalen']} | {c['dossiers']} | {_periode(c)} |" for gid, c in rows]
    return "\n".join(lines)


def nota_voorstel(user: CurrentUser, theme: Thema) -> dict:
    """Where a bovenlokale nota on this theme lives and what it starts from: a gemeente where the user is
    coördinator (and so a member), the theme's dossiers there only, and the aggregates of every gemeente."""
    own = gemeente_ids_with(user, {Rol.coordinator})
    namen = {gid: ref.naam for gid, ref in user.gemeenten.items()}
    candidates = sorted(own, key=lambda gid: (not theme.dossiers.get(gid), gid not in theme.per_gemeente,
                                              namen.get(gid, "")))
    gemeente_id = candidates[0] if candidates else None
    n = theme.gemeenten
    aanleiding = (f"Het thema ‘{theme.titel}’ komt terug in {n} gemeenten ({theme.signalen} signalen). "
                  "Van gemeenten waar we geen lid van het overleg zijn, geven we alleen cijfers.")
    return {"gemeente": gemeente_id, "dossiers": list(theme.dossiers.get(gemeente_id, [])) if gemeente_id else [],
            "aanleiding": aanleiding, "onderbouwing": aggregate_table(theme, namen)}
