"""Stored sentence meaning of signals: read it, and embed what has none yet (once, then kept in Signaal.betekenis).

Callers pass rows they already selected under their own tenancy condition (with `id`, `titel`, `omschrijving` and
`betekenis`); nothing here chooses rows by gemeente. Embedding runs in a worker thread so the event loop stays free.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import anyio
import numpy as np
from litestar.background_tasks import BackgroundTask

from signalen import meaning
from signalen.tables import Signaal

logger = logging.getLogger(__name__)

# Columns a caller adds to its select to use vectors_for().
COLUMNS = (Signaal.id, Signaal.titel, Signaal.omschrijving, Signaal.betekenis)


async def vectors_for(rows: Sequence[dict]) -> dict[int, np.ndarray]:
    """{signal id: unit vector} for these rows; rows without a stored vector are embedded now and stored."""
    vectors: dict[int, np.ndarray] = {}
    missing: list[dict] = []
    for row in rows:
        vector = meaning.from_bytes(row.get("betekenis"))
        if vector is None:
            missing.append(row)
        else:
            vectors[row["id"]] = vector
    if missing:
        texts = [meaning.signal_text(row.get("titel"), row.get("omschrijving")) for row in missing]
        fresh = await anyio.to_thread.run_sync(meaning.embed, texts)
        for row, vector in zip(missing, fresh, strict=True):
            if vector.any():
                vectors[row["id"]] = vector
                await _store(row["id"], vector)
    return vectors


async def embed_signal(signaal_id: int) -> None:
    """Embed one signal's current text and store it (after a create or a text edit; also fine to call twice)."""
    rows = await Signaal.select(Signaal.titel, Signaal.omschrijving).where(Signaal.id == signaal_id)
    if not rows:
        return
    text = meaning.signal_text(rows[0]["titel"], rows[0]["omschrijving"])
    vector = await anyio.to_thread.run_sync(meaning.embed_one, text)
    await _store(signaal_id, vector if vector.any() else None)


async def _embed_quietly(signaal_id: int) -> None:
    try:
        await embed_signal(signaal_id)
    except Exception:  # the signal is stored; without a vector it is embedded when next needed (vectors_for)
        logger.exception("betekenis van signaal %s niet berekend; volgt later", signaal_id)


def after_response(signaal_id: int) -> BackgroundTask:
    """Embed a just created or edited signal right after its response is sent, in the same process: the create
    stays fast, and a crash in between only leaves the signal without a vector until vectors_for() needs it."""
    return BackgroundTask(_embed_quietly, signaal_id)


async def embed_missing(batch: int = 256) -> int:
    """Embed every signal without a usable vector — none yet, or one of an earlier version of signalen.meaning —
    (the `manage.py embed-signalen` command); returns how many were embedded."""
    done, last = 0, 0
    while True:
        rows = await (Signaal.select(*COLUMNS).where(Signaal.id > last).order_by(Signaal.id).limit(batch))
        if not rows:
            return done
        last = rows[-1]["id"]
        stale = [row for row in rows if meaning.from_bytes(row["betekenis"]) is None]
        done += len(await vectors_for(stale)) if stale else 0


async def _store(signaal_id: int, vector: np.ndarray | None) -> None:
    blob = meaning.to_bytes(vector) if vector is not None else None
    await Signaal.update({Signaal.betekenis: blob}).where(Signaal.id == signaal_id)
