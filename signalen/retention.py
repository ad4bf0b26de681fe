"""Bewaartermijn (retention): closed signals are anonymised once their gemeente's retention period has passed.

`python manage.py bewaartermijn` calls `apply_retention()`, meant for a daily timer. It is idempotent: an
anonymised signal is never touched again. Only free text goes; what statistics need stays (gemeente, datum,
status, bron, levensdomein, signaaltype, aantal_jongeren, leeftijd, dossier, auteur and the history's
transitions), so counts per theme, period and gemeente stay right.

Every copy goes with the signal. The signal's own copies are here: its history's reasons and the search index
(FTS5 on SQLite is optimised so the old terms leave its segments; PostgreSQL's `zoekvector` is a generated column).
Copies in the overleg (dossier history, comments, nota quotes and sections, minutes, stored PDFs) live in a layer
above this one, which `signalen` may not import: the caller passes `copies`, an async function that gets the old
texts of each batch and anonymises the copies *in the same write transaction* (so a crash never leaves a signal
anonymised while a copy of its text survives, with nothing left to find it by). `manage.py bewaartermijn` passes
`overleg.retention.anonymise_copies` — the composition root wires it, like app.py wires a higher layer into a
lower one. Afterwards `common.sqlite_pool.forget_freed` empties the SQLite WAL (or VACUUMs on PostgreSQL); every
SQLite connection has `secure_delete` on, so the replaced text is overwritten in the file too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

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
    tabellen: dict[str, int] = field(default_factory=dict)  # rows changed per table


# The old texts of one batch of anonymised signals:
# [{"id", "gemeente", "dossier", "titel", "omschrijving", "plek", "citaten": [...]}].
# Returns the rows it changed per table. Runs inside the batch's write transaction.
CopyHook = Callable[[list[dict]], Awaitable[dict[str, int]]]


def _count(into: dict[str, int], table: str, n: int) -> None:
    if n:
        into[table] = into.get(table, 0) + n


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


def _quotes(value) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            return []
    return [q for q in value or [] if isinstance(q, str)]


async def anonymise(signaal_ids: list[int], note: str, *, copies: CopyHook | None = None,
                    tables: dict[str, int] | None = None) -> int:
    """Replace the free text of these signals (and of their history's reasons); keep everything countable.
    `copies` anonymises the copies of the old texts elsewhere (see the module's docstring); `tables` collects
    the number of changed rows per table."""
    from common.db import write_transaction
    from signalen.tables import Signaal, SignaalHistoriek

    now = dates.now()
    done = 0
    tables = {} if tables is None else tables
    for start in range(0, len(signaal_ids), BATCH):
        chunk = signaal_ids[start:start + BATCH]
        async with write_transaction():
            old = {row["id"]: row for row in await Signaal.select(
                Signaal.id, Signaal.gemeente, Signaal.dossier, Signaal.titel, Signaal.omschrijving, Signaal.plek,
                Signaal.citaten,
            ).where(Signaal.id.is_in(chunk))}
            updated = await Signaal.update({
                Signaal.titel: ANONYMOUS_TITLE,
                Signaal.omschrijving: "",
                Signaal.plek: "",
                Signaal.citaten: "[]",
                Signaal.persoonsgegevens: "[]",
                Signaal.zoektekst: "",
                Signaal.betekenis: None,  # derived from the text: it goes with it
                Signaal.versie: Signaal.versie + 1,  # an edit based on the old text is refused (409)
                Signaal.gewijzigd_op: now,
            }).where(Signaal.id.is_in(chunk) & Signaal.status.is_in(list(CLOSED))).returning(Signaal.id)
            chunk = sorted(row["id"] for row in updated)  # a signal reopened meanwhile keeps its text
            if not chunk:
                continue
            # Reasons given at status changes are free text too; the transitions themselves stay.
            cleared = await SignaalHistoriek.update({SignaalHistoriek.toelichting: ""}).where(
                SignaalHistoriek.signaal.is_in(chunk) & (SignaalHistoriek.soort != HistoriekSoort.bewerking.value)
                & (SignaalHistoriek.toelichting != "")
            ).returning(SignaalHistoriek.id)
            _count(tables, Signaal._meta.tablename, len(chunk))
            _count(tables, SignaalHistoriek._meta.tablename, len(cleared))
            if copies is not None:
                texts = [{**old[sid], "citaten": _quotes(old[sid]["citaten"])} for sid in chunk if sid in old]
                for table, n in (await copies(texts)).items():
                    _count(tables, table, n)
            await SignaalHistoriek.insert(*[
                SignaalHistoriek(signaal=sid, tijdstip=now, gebruiker=None, soort=HistoriekSoort.bewerking.value,
                                 van="", naar="", toelichting=note)
                for sid in chunk
            ])
        done += len(chunk)
    return done


async def _forget_search_terms() -> None:
    """SQLite: FTS5 keeps deleted terms in its segments until they merge; 'optimize' merges them all now."""
    from piccolo.engine.finder import engine_finder

    engine = engine_finder()
    if engine is not None and engine.engine_type == "sqlite":
        await engine.run_ddl("INSERT INTO signaal_fts(signaal_fts) VALUES ('optimize')")


async def apply_retention(now: dt.datetime | None = None, *, dry_run: bool = False,
                          copies: CopyHook | None = None) -> list[GemeenteResult]:
    """Anonymise, per gemeente, the closed signals whose retention period has passed. Safe to run every day.
    `copies`: see the module's docstring (manage.py passes the overleg's)."""
    from piccolo.engine.finder import engine_finder

    from common import pdf_cache
    from common.sqlite_pool import forget_freed
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
            result.geanonimiseerd = await anonymise(sorted(due), NOTE.format(jaren=jaren), copies=copies,
                                                    tables=result.tabellen)
        else:
            result.geanonimiseerd = len(due)
        logger.info("bewaartermijn %s (%s jaar): %d geanonimiseerd, %d eerder al, %d nog bewaard%s",
                    result.slug, jaren, result.geanonimiseerd, result.al_geanonimiseerd, result.nog_bewaard,
                    " (proefdraai)" if dry_run else "")
    if any(r.tabellen for r in results):
        await _forget_search_terms()
        changed = sorted({table for r in results for table in r.tabellen})
        logger.info("bewaartermijn: %s", await forget_freed(engine_finder(), changed))
        pdf_cache.clear()  # a cached concept PDF may still hold the old texts
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
    tables: dict[str, int] = {}
    for r in results:
        for table, n in r.tabellen.items():
            _count(tables, table, n)
    if tables:
        lines.append("gewijzigde rijen per tabel: " + ", ".join(f"{t} {n}" for t, n in sorted(tables.items())))
    return "\n".join(lines)
