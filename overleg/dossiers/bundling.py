"""The moves behind overleg.dossiers: signals into, out of and between dossiers, with history on both sides.

These functions trust their caller (overleg.dossiers) to have checked who may do this and that the dossiers are
readable and open; they check the signals themselves and run inside the caller's write transaction. A signal is
bundled with a conditional UPDATE (`dossier IS NULL` or the dossier it was read in), so two chairs bundling the
same signal at once cannot both win: the second gets 409.
"""

from __future__ import annotations

from admin.tenancy import in_gemeenten
from common import dates
from common.errors import Conflict, FieldErrors
from overleg.tables import Dossier, DossierActie, DossierHistoriek, DossierStatus
from signalen.services import set_status
from signalen.tables import HistoriekSoort, Signaal, SignaalHistoriek, Status

CLOSED = (Status.afgesloten.value, Status.niet_weerhouden.value)


def _plural(n: int) -> str:
    return f"{n} signa{'al' if n == 1 else 'len'}"


async def log(dossier_id: int, user_id: int | None, actie: DossierActie, toelichting: str = "") -> None:
    await DossierHistoriek(dossier=dossier_id, tijdstip=dates.now(), gebruiker=user_id, actie=actie.value,
                           toelichting=toelichting[:4000]).save()


async def _note(user_id: int | None, rows: list[dict], text: str) -> None:
    """A history line on signals whose status does not change (set_status writes its own)."""
    if rows:
        now = dates.now()
        await SignaalHistoriek.insert(*[SignaalHistoriek(
            signaal=r["id"], tijdstip=now, gebruiker=user_id, soort=HistoriekSoort.dossier.value, van=r["status"],
            naar=r["status"], toelichting=text[:2000]) for r in rows])


async def bundle(user_id: int | None, dossier: dict, ids: list[int], *, move: bool) -> int:
    """Put signals of the dossier's gemeente into it; `nieuw` ones become `gebundeld`. Returns how many moved."""
    if not ids:
        return 0
    did, titel = dossier["id"], dossier["titel"]
    rows = await Signaal.select(Signaal.id, Signaal.titel, Signaal.status, Signaal.dossier).where(
        Signaal.id.is_in(ids) & in_gemeenten(Signaal.gemeente, dossier["gemeente_id"]))
    known = {r["id"] for r in rows}
    missing = [str(i) for i in ids if i not in known]
    if missing:
        raise FieldErrors({"signalen": f"Signaal {', '.join(missing)} bestaat niet of hoort niet bij "
                                       f"{dossier['gemeente_naam']}."},
                          detail="Alleen signalen van de gemeente van het dossier kunnen erin.")
    elsewhere = [str(r["id"]) for r in rows if r["dossier"] not in (None, did)]
    if elsewhere and not move:
        raise Conflict(f"Signaal {', '.join(elsewhere)} zit al in een ander dossier. Haal het daar eerst uit, "
                       "of kies uitdrukkelijk om het te verplaatsen.")
    closed = [str(r["id"]) for r in rows if r["status"] in CLOSED]
    if closed:
        raise Conflict(f"Signaal {', '.join(closed)} is afgesloten of niet weerhouden; heropen het eerst.")
    new = [r for r in rows if r["dossier"] != did]
    for source in {r["dossier"] for r in new}:
        group = [r["id"] for r in new if r["dossier"] == source]
        same = Signaal.dossier.is_null() if source is None else Signaal.dossier == source
        done = await Signaal.update({Signaal.dossier: did}).where(Signaal.id.is_in(group) & same).returning(
            Signaal.id)
        if len(done) != len(group):
            raise Conflict("Een van deze signalen werd intussen in een ander dossier gebundeld.")
        if source is not None:
            await log(source, user_id, DossierActie.signaal_verplaatst,
                      f"Signaal {', '.join(map(str, group))} verplaatst naar dossier {did} ({titel}).")
    if not new:
        return 0
    fresh = [r["id"] for r in new if r["status"] == Status.nieuw.value]
    await set_status(fresh, Status.gebundeld.value, user_id, f"Gebundeld in dossier {did} ({titel})"[:2000],
                     soort=HistoriekSoort.dossier)
    await _note(user_id, [r for r in new if r["status"] != Status.nieuw.value], f"Naar dossier {did} ({titel})")
    await log(did, user_id, DossierActie.signalen_toegevoegd, "; ".join(f"{r['id']}: {r['titel']}" for r in new))
    return len(new)


async def unbundle(user_id: int | None, dossier: dict, signaal_id: int, reason: str) -> bool:
    """Take one signal out: back to `nieuw` (set_status refuses with 409 once it went past gebundeld).
    False when the signal is not in this dossier."""
    row = await Signaal.select(Signaal.id, Signaal.titel, Signaal.status).where(
        (Signaal.id == signaal_id) & (Signaal.dossier == dossier["id"])).first()
    if row is None:
        return False
    text = f"Uit dossier {dossier['id']} ({dossier['titel']}) gehaald" + (f": {reason}" if reason else "")
    if row["status"] == Status.nieuw.value:
        await _note(user_id, [row], text)
    else:
        await set_status([row["id"]], Status.nieuw.value, user_id, text[:2000], soort=HistoriekSoort.dossier)
    await Signaal.update({Signaal.dossier: None}).where(Signaal.id == row["id"])
    await log(dossier["id"], user_id, DossierActie.signaal_verwijderd,
              f"{row['id']}: {row['titel']}" + (f" — {reason}" if reason else ""))
    return True


async def merge(user_id: int | None, source: dict, target: dict) -> int:
    """Every signal of `source` goes to `target`; the source becomes afgerond with samengevoegd_in."""
    moved = await Signaal.select(Signaal.id, Signaal.status).where(Signaal.dossier == source["id"])
    done = await Dossier.update({Dossier.samengevoegd_in: target["id"], Dossier.versie: Dossier.versie + 1,
                                 Dossier.status: DossierStatus.afgerond.value}).where(
        (Dossier.id == source["id"]) & Dossier.samengevoegd_in.is_null()).returning(Dossier.id)
    if not done:
        raise Conflict("Dit dossier werd intussen al samengevoegd.")
    await Signaal.update({Signaal.dossier: target["id"]}).where(Signaal.dossier == source["id"])
    text = f"Dossier {source['id']} ({source['titel']}) samengevoegd in dossier {target['id']} ({target['titel']})"
    await _note(user_id, moved, text)
    await log(source["id"], user_id, DossierActie.samengevoegd, text)
    await log(target["id"], user_id, DossierActie.samengevoegd, f"{text}; {_plural(len(moved))} overgenomen")
    return len(moved)
