"""What each role sees first at /: a worker their signals, a chair the meeting and what waits, a partner their
agendas and actions, a coördinator every gemeente side by side. Each part comes from its domain's services."""

from __future__ import annotations

from inzicht.queries import per_gemeente as coordinator
from overleg.overleggen.overzicht import chair, partner
from signalen.overzicht import previous_visit, worker

__all__ = ["chair", "coordinator", "partner", "previous_visit", "worker"]
