"""A signal's status follows its nota, always (issue 12 item 7).

When a nota is sent or answered, every signal of its dossiers that is still behind that stage walks the way of a
signal step by step to it (signalen.workflow.forward_path: e.g. gebundeld → geagendeerd → gesignaleerd for a dossier
that went to the council without an agenda), each step through signalen.services.set_status, so each is checked
against the workflow and recorded in the signal's history with the reason. Dropped (`niet_weerhouden`) and
finished signals stay where they are. Call it inside the nota's write transaction.
"""

from __future__ import annotations

from collections import defaultdict

from signalen.services import set_status
from signalen.tables import Signaal, Status
from signalen.workflow import forward_path


async def follow(dossier_ids: list[int], target: Status, user_id: int | None, why: str) -> list[int]:
    """Move the dossiers' signals that are behind `target` on to it; returns the ids of the signals that moved."""
    if not dossier_ids:
        return []
    rows = await Signaal.select(Signaal.id, Signaal.status).where(Signaal.dossier.is_in(dossier_ids))
    by_path: dict[tuple[Status, ...], list[int]] = defaultdict(list)
    for row in rows:
        path = tuple(forward_path(row["status"], target.value))
        if path:
            by_path[path].append(row["id"])
    for path, ids in by_path.items():
        for step in path:
            reason = why if step == target else f"{why}: het signaal volgt de nota (tussenstap '{step.label}')"
            await set_status(ids, step.value, user_id, reason)
    return sorted(i for ids in by_path.values() for i in ids)
