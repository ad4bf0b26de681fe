"""Choosing the candidates for similar signals, under tenancy, and asking signalen.similar to rank them.

Only the register roles of a gemeente read its raw signals, so only they get similar signals; the candidates are
always of the one gemeente of the target (tenancy.in_gemeenten with the id of a row or gemeente the user may read),
never the target itself, at most the CANDIDATES most recent (by date) with a stored meaning: ordered like the
index (gemeente, datum DESC, id DESC), SQLite stops at the limit instead of sorting the whole gemeente. A
candidate whose text the privacy guard now flags without a person having confirmed it is left out, whatever its
score.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import anyio
import numpy as np
from piccolo.custom_types import Combinable

from admin.sessions import CurrentUser
from admin.tenancy import REGISTER_ROLES, gemeente_by_slug, in_gemeenten
from common.errors import FieldErrors
from signalen import embeddings, meaning, privacy, services, similar
from signalen.tables import Signaal

CANDIDATES = 1000
DRAFT_MAX = 5000  # characters of a draft that are embedded


async def candidates(gemeente_id: int, *, exclude: Iterable[int] = (), extra: Combinable | None = None,
                     limit: int = CANDIDATES) -> tuple[list[dict], dict[int, np.ndarray]]:
    """The newest signals of this gemeente that have a meaning (rows for similar_signals) and their vectors."""
    where = in_gemeenten(Signaal.gemeente, gemeente_id) & Signaal.betekenis.is_not_null()
    skip = sorted(set(exclude))
    if skip:
        where &= Signaal.id.not_in(skip)
    if extra is not None:
        where &= extra
    rows = await (
        Signaal.select(Signaal.id, Signaal.plek, Signaal.datum, Signaal.signaaltype, Signaal.levensdomein,
                       Signaal.signaaltype.slug.as_alias("signaaltype_slug"),
                       Signaal.levensdomein.slug.as_alias("levensdomein_slug"),
                       Signaal.signaaltype.naam.as_alias("signaaltype_naam"),
                       Signaal.levensdomein.naam.as_alias("levensdomein_naam"), Signaal.betekenis)
        .where(where).order_by(Signaal.datum, Signaal.id, ascending=False).limit(limit)  # index (gemeente, datum, id)
    )
    positions, matrix = meaning.from_many([row.pop("betekenis") for row in rows])
    return rows, {rows[position]["id"]: matrix[index] for index, position in enumerate(positions)}


async def _shown(ids: Sequence[int]) -> dict[int, dict]:
    """What a list shows of these signals, without those with findings of the privacy guard nobody confirmed."""
    if not ids:
        return {}
    rows = await Signaal.select(
        Signaal.id, Signaal.titel, Signaal.omschrijving, Signaal.plek, Signaal.citaten, Signaal.datum,
        Signaal.status, Signaal.persoonsgegevens,
    ).where(Signaal.id.is_in(list(ids)))
    shown = {}
    for row in rows:
        citaten, confirmed = (json.loads(v) if isinstance(v, str) else v or []
                              for v in (row["citaten"], row["persoonsgegevens"]))
        fields = {"titel": row["titel"], "omschrijving": row["omschrijving"], "plek": row["plek"],
                  "citaten": [c for c in citaten if isinstance(c, str)]}
        if not privacy.unconfirmed(privacy.scan_fields(fields), confirmed):
            shown[row["id"]] = row
    return shown


async def rank(target: similar.Profile, rows: Sequence[dict], vectors: Mapping[int, np.ndarray],
               limit: int) -> list[dict]:
    """The best `limit` as {"signaal", "score", "reden", "titel", "datum", "plek"}, safe to show."""
    ranked = similar.similar_signals(target, rows, vectors, limit=limit * 3)
    shown = await _shown([item.signaal["id"] for item in ranked])
    items = []
    for item in ranked:
        row = shown.get(item.signaal["id"])
        if row is None:
            continue
        items.append({"signaal": row["id"], "score": item.score, "reden": item.reden, "titel": row["titel"],
                      "datum": row["datum"], "plek": row["plek"] or "", "status": row["status"]})
        if len(items) == limit:
            break
    return items


def check_limit(raw: Any, default: int = 3) -> int:
    """`?limit=`: 1..20, else a Dutch 400."""
    if raw is None or raw == "":
        return default
    value = int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 3 else 0
    if not 1 <= value <= similar.MAX_LIMIT:
        raise FieldErrors({"limit": f"Geef een aantal van 1 tot {similar.MAX_LIMIT}."},
                          detail="Ongeldig aantal.", status_code=400)
    return value


async def for_signal(user: CurrentUser, signaal_id: int, limit: int = 3) -> list[dict]:
    """Signals of the same gemeente like this one; 404 when the user may not read it (services.get_signaal)."""
    row = await services.get_signaal(user, signaal_id)
    stored = await Signaal.select(*embeddings.COLUMNS).where(Signaal.id == row["id"])
    vector = (await embeddings.vectors_for(stored)).get(row["id"])
    if vector is None:
        return []
    target = similar.profile([{"plek": row["plek"], "signaaltype": row["signaaltype_id"],
                               "levensdomein": row["levensdomein_id"]}], [vector])
    rows, vectors = await candidates(row["gemeente_id"], exclude=[row["id"]])
    return await rank(target, rows, vectors, limit)


async def for_draft(user: CurrentUser, data: Mapping[str, Any], limit: int = 3) -> dict[str, Any]:
    """A signal being typed at intake: {"items": similar stored signals, "voorstel": {signaaltype, levensdomein}}
    (slugs, or None when the nearest signals do not agree clearly). Nothing is stored."""
    slug = data.get("gemeente")
    if not isinstance(slug, str) or not slug.strip():
        raise FieldErrors({"gemeente": "Kies de gemeente."})
    gemeente = gemeente_by_slug(user, slug.strip(), REGISTER_ROLES)
    titel, omschrijving = (str(data.get(k) or "")[:DRAFT_MAX] for k in ("titel", "omschrijving"))
    empty = {"items": [], "voorstel": {"signaaltype": None, "levensdomein": None}}
    text = meaning.signal_text(titel, omschrijving)
    if not text.strip():
        return empty
    vector = await anyio.to_thread.run_sync(meaning.embed_one, text)
    if not vector.any():
        return empty
    rows, vectors = await candidates(gemeente.id)
    target = similar.profile([{"plek": data.get("plek") if isinstance(data.get("plek"), str) else ""}], [vector])
    return {
        "items": await rank(target, rows, vectors, limit),
        "voorstel": {"signaaltype": similar.vote(vector, rows, vectors, "signaaltype_slug"),
                     "levensdomein": similar.vote(vector, rows, vectors, "levensdomein_slug")},
    }
