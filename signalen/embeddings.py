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
# A request embeds at most this many signals that have no usable vector (~35 ms each); the rest go without meaning
# this once and are filled in by the background job below (after an upgrade of signalen.meaning that is all of them).
EMBED_ON_READ = 40
CATCH_UP_SCAN, CATCH_UP_EMBED = 5000, 100  # per run of the background job (every minute at most)


async def vectors_for(rows: Sequence[dict], *, embed_at_most: int | None = EMBED_ON_READ) -> dict[int, np.ndarray]:
    """{signal id: unit vector} for these rows; rows without a usable stored vector are embedded now and stored,
    the newest first and at most `embed_at_most` of them (None: all)."""
    vectors: dict[int, np.ndarray] = {}
    missing: list[dict] = []
    for row in rows:
        vector = meaning.from_bytes(row.get("betekenis"))
        if vector is None:
            missing.append(row)
        else:
            vectors[row["id"]] = vector
    if embed_at_most is not None:
        missing = sorted(missing, key=lambda row: row["id"], reverse=True)[:embed_at_most]
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
        done += await _embed_stale(rows)


_catch_up_from = 0  # where the background job goes on (per process; it restarts from the top after a restart)


async def bijwerken() -> int:
    """Background job (app.MAIL_JOBS): the next CATCH_UP_SCAN signals by id, of which at most CATCH_UP_EMBED without
    a usable vector are embedded; wraps around at the end. Returns how many were embedded."""
    global _catch_up_from
    rows = await (Signaal.select(Signaal.id, Signaal.betekenis).where(Signaal.id > _catch_up_from)
                  .order_by(Signaal.id).limit(CATCH_UP_SCAN))
    stale = [row["id"] for row in rows if meaning.from_bytes(row["betekenis"]) is None][:CATCH_UP_EMBED]
    if len(stale) == CATCH_UP_EMBED:
        _catch_up_from = stale[-1]
    else:
        _catch_up_from = rows[-1]["id"] if len(rows) == CATCH_UP_SCAN else 0
    if not stale:
        return 0
    return await _embed_stale(await Signaal.select(*COLUMNS).where(Signaal.id.is_in(stale)))


async def _embed_stale(rows: Sequence[dict]) -> int:
    """Embed those of these rows without a usable vector, however many; returns how many were embedded."""
    stale = [row for row in rows if meaning.from_bytes(row["betekenis"]) is None]
    return len(await vectors_for(stale, embed_at_most=None)) if stale else 0


async def _store(signaal_id: int, vector: np.ndarray | None) -> None:
    blob = meaning.to_bytes(vector) if vector is not None else None
    await Signaal.update({Signaal.betekenis: blob}).where(Signaal.id == signaal_id)
