"""Bewaartermijn (retention): closed signals are anonymised once their gemeente's retention period has passed.

`python manage.py bewaartermijn` calls `apply_retention()`, meant for a daily timer. It is idempotent: an
anonymised signal is never touched again. Only free text goes; what statistics need stays (gemeente, datum,
status, bron, levensdomein, signaaltype, aantal_jongeren, leeftijd, dossier, auteur and the history's
transitions), so counts per theme, period and gemeente stay right.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from admin.tables import Gemeente
from admin.tenancy import in_gemeenten
from common import dates
from signalen.tables import HistoriekSoort, Status

logger = logging.getLogger("signaalwerk.bewaartermijn")

ANONYMOUS_TITLE = "[geanonimiseerd]"
CLOSED = (Status.afgesloten.value, Status.niet_weerhouden.value)
DEFAULT_YEARS = 5
BATCH = 500
NOTE = "Geanonimiseerd na de bewaartermijn van {jaren} jaar"


@dataclass
class GemeenteResult:
    slug: str
    naam: str
    jaren: int
    geanonimiseerd: int = 0
    al_geanonimiseerd: int = 0
    nog_bewaard: int = 0  # closed, but the retention period has not passed yet


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same day and time `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _aware(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _is_anonymous(row: dict) -> bool:
    def empty_list(value) -> bool:
        if isinstance(value, str):
            try:
                value = json.loads(value or "[]")
            except ValueError:
                return False
        return not value

    return (row["titel"] == ANONYMOUS_TITLE and not row["omschrijving"] and not row["plek"]
            and not row["zoektekst"] and empty_list(row["citaten"]) and empty_list(row["persoonsgegevens"]))


async def _closed_on(signaal_ids: list[int]) -> dict[int, dt.datetime]:
    """When each signal last moved into a closed status (from its history)."""
    from signalen.tables import SignaalHistoriek

    closed: dict[int, dt.datetime] = {}
    for start in range(0, len(signaal_ids), BATCH):
        chunk = signaal_ids[start:start + BATCH]
        rows = await SignaalHistoriek.select(SignaalHistoriek.signaal, SignaalHistoriek.tijdstip).where(
            SignaalHistoriek.signaal.is_in(chunk) & SignaalHistoriek.naar.is_in(list(CLOSED))
        )
        for row in rows:
            moment = _aware(row["tijdstip"])
            if moment and (row["signaal"] not in closed or moment > closed[row["signaal"]]):
                closed[row["signaal"]] = moment
    return closed


async def anonymise(signaal_ids: list[int], note: str) -> int:
    """Replace the free text of these signals (and of their history's reasons); keep everything countable."""
    from common.db import write_transaction
    from signalen.tables import Signaal, SignaalHistoriek

    now = dates.now()
    done = 0
    for start in range(0, len(signaal_ids), BATCH):
        chunk = signaal_ids[start:start + BATCH]
        async with write_transaction():
            updated = await Signaal.update({
                Signaal.titel: ANONYMOUS_TITLE,
                Signaal.omschrijving: "",
                Signaal.plek: "",
                Signaal.citaten: "[]",
                Signaal.persoonsgegevens: "[]",
                Signaal.zoektekst: "",
                Signaal.versie: Signaal.versie + 1,  # an edit based on the old text is refused (409)
                Signaal.gewijzigd_op: now,
            }).where(Signaal.id.is_in(chunk) & Signaal.status.is_in(list(CLOSED))).returning(Signaal.id)
            chunk = sorted(row["id"] for row in updated)  # a signal reopened meanwhile keeps its text
            if not chunk:
                continue
            # Reasons given at status changes are free text too; the transitions themselves stay.
            await SignaalHistoriek.update({SignaalHistoriek.toelichting: ""}).where(
                SignaalHistoriek.signaal.is_in(chunk) & (SignaalHistoriek.soort != HistoriekSoort.bewerking.value)
            )
            await SignaalHistoriek.insert(*[
                SignaalHistoriek(signaal=sid, tijdstip=now, gebruiker=None, soort=HistoriekSoort.bewerking.value,
                                 van="", naar="", toelichting=note)
                for sid in chunk
            ])
        done += len(chunk)
    return done


async def apply_retention(now: dt.datetime | None = None, *, dry_run: bool = False) -> list[GemeenteResult]:
    """Anonymise, per gemeente, the closed signals whose retention period has passed. Safe to run every day."""
    from signalen.tables import Signaal

    now = _aware(now) or dates.now()
    results = []
    gemeenten = await Gemeente.select(Gemeente.id, Gemeente.slug, Gemeente.naam,
                                      Gemeente.bewaartermijn_jaren).order_by(Gemeente.naam)
    for gemeente in gemeenten:
        jaren = gemeente["bewaartermijn_jaren"]
        jaren = DEFAULT_YEARS if jaren is None else int(jaren)
        result = GemeenteResult(gemeente["slug"], gemeente["naam"], jaren)
        results.append(result)
        rows = await Signaal.select(
            Signaal.id, Signaal.titel, Signaal.omschrijving, Signaal.plek, Signaal.citaten,
            Signaal.persoonsgegevens, Signaal.zoektekst, Signaal.gewijzigd_op, Signaal.aangemaakt_op,
            Signaal.datum,
        ).where(in_gemeenten(Signaal.gemeente, gemeente["id"]) & Signaal.status.is_in(list(CLOSED)))
        pending = []
        for row in rows:
            if _is_anonymous(row):
                result.al_geanonimiseerd += 1
            else:
                pending.append(row)
        if jaren <= 0:  # 0: this gemeente keeps its closed signals; nothing is anonymised
            result.nog_bewaard = len(pending)
            continue
        cutoff = years_before(now, jaren)
        closed_on = await _closed_on([row["id"] for row in pending])
        due = []
        for row in pending:
            # Closed at the last move into a closed status; without history, the last change (or creation).
            moment = (closed_on.get(row["id"]) or _aware(row["gewijzigd_op"]) or _aware(row["aangemaakt_op"])
                      or _aware(row["datum"]))
            if moment is not None and moment <= cutoff:
                due.append(row["id"])
            else:
                result.nog_bewaard += 1
        if due and not dry_run:
            result.geanonimiseerd = await anonymise(sorted(due), NOTE.format(jaren=jaren))
        else:
            result.geanonimiseerd = len(due)
        logger.info("bewaartermijn %s (%s jaar): %d geanonimiseerd, %d eerder al, %d nog bewaard%s",
                    result.slug, jaren, result.geanonimiseerd, result.al_geanonimiseerd, result.nog_bewaard,
                    " (proefdraai)" if dry_run else "")
    return results


def report(results: list[GemeenteResult], dry_run: bool = False) -> str:
    """A plain-text summary, one line per gemeente (what the daily timer logs)."""
    verb = "zou anonimiseren" if dry_run else "geanonimiseerd"
    lines = []
    for r in results:
        termijn = "nooit" if r.jaren <= 0 else f"{r.jaren} jaar"
        lines.append(f"{r.slug}: bewaartermijn {termijn}; {verb}: {r.geanonimiseerd}; "
                     f"eerder al geanonimiseerd: {r.al_geanonimiseerd}; afgesloten en nog bewaard: {r.nog_bewaard}")
    total = sum(r.geanonimiseerd for r in results)
    lines.append(f"totaal {verb}: {total}")
    return "\n".join(lines)
