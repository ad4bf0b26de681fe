"""Demo overleg: the jeugdwelzijnsoverleg of Mechelen (partners, members, two dossiers, two held meetings with
attendance, notes, decisions, actions and minutes) and a smaller one in Hoeilaart.

Built on the demo accounts (admin/demo.py) and the demo signals (signalen/demo.py); run after both.
"""

from __future__ import annotations

import datetime as dt

from piccolo.apps.user.tables import BaseUser

from admin.tables import Gemeente
from admin.tenancy import in_gemeenten
from common import dates
from common.dates import long_date, today
from overleg.tables import (
    Actie,
    ActieHistoriek,
    ActieStatus,
    Agendapunt,
    Deelnemer,
    Dossier,
    DossierActie,
    DossierHistoriek,
    DossierStatus,
    Lens,
    LidRol,
    Overleg,
    Overleglid,
    Partner,
    Vergadering,
    VergaderingStatus,
    Verslag,
    VerslagStatus,
)
from overleg.vergaderingen.verslag import generate_text
from signalen.services import set_status
from signalen.tables import Signaal, Status

MECHELEN = "Jeugdwelzijnsoverleg Mechelen"
PARTNERS_MECHELEN = [
    ("CAW Boom Mechelen Lier", "caw", "Lokaal netwerk kinderarmoede, Huis van het Kind Mechelen"),
    ("CLB Mechelen", "clb", "Netwerk leerrecht"),
    ("OCMW Mechelen", "ocmw", "Lokaal netwerk kinderarmoede"),
    ("Jeugddienst Mechelen", "jeugddienst", "Jeugdraad"),
    ("Huis van het Kind", "huis_van_het_kind", "Lokaal netwerk kinderarmoede"),
]
PARTNERS_HOEILAART = [
    ("OCMW Hoeilaart", "ocmw", ""),
    ("Jeugddienst Hoeilaart", "jeugddienst", "Jeugdraad Hoeilaart"),
    ("CLB Druivenstreek", "clb", ""),
    ("Chiro Hoeilaart", "jeugdwerk", "Jeugdraad Hoeilaart"),
]
DOSSIERS = [
    ("Ontmoetingsplekken voor tieners in Nekkerspoel",
     "Tieners, vooral meisjes, vinden in en rond Nekkerspoel geen plek om af te spreken zonder iets te moeten kopen.",
     ["Ontmoetingsplek gezocht voor meisjes uit de wijk", "Te weinig ontmoetingsplekken na 20u"], "in_actie"),
    ("Jongeren vinden de weg naar hulp niet",
     "Jongeren met zorgen thuis of online weten niet waar ze terechtkunnen; CAW en CLB zijn voor hen onbekend of "
     "'van school'.",
     ["Niemand om mee te praten over stress thuis", "Online afpersing met foto's"], "geagendeerd"),
]


async def _overleg(gemeente_id: int, naam: str, omschrijving: str, partners: list[tuple]) -> tuple[int, dict]:
    overleg = Overleg(gemeente=gemeente_id, naam=naam, omschrijving=omschrijving,
                      functies='["forum", "actie", "signaal_advies"]', werkernamen_in_nota=False)
    await overleg.save()
    ids = {}
    for partner_naam, soort, netwerken in partners:
        row = Partner(overleg=overleg.id, naam=partner_naam, soort=soort, netwerken=netwerken)
        await row.save()
        ids[partner_naam] = row.id
    return overleg.id, ids


async def _dossier(gemeente_id: int, chair: int, titel: str, omschrijving: str, titels: list[str], target: str,
                   created: dt.datetime, meeting: dt.date) -> int:
    dossier = Dossier(gemeente=gemeente_id, titel=titel, omschrijving=omschrijving, aangemaakt_door=chair,
                      aangemaakt_op=created, status=DossierStatus.in_behandeling.value if target == Status.in_actie
                      else DossierStatus.geagendeerd.value)
    await dossier.save()
    signalen = [row["id"] for row in await Signaal.select(Signaal.id).where(
        in_gemeenten(Signaal.gemeente, gemeente_id) & Signaal.titel.is_in(titels))]
    await Signaal.update({Signaal.dossier: dossier.id}).where(Signaal.id.is_in(signalen or [0]))
    steps = [(Status.gebundeld.value, f"Gebundeld in het dossier ‘{titel}’."),
             (Status.geagendeerd.value, f"Op de agenda van de vergadering van {long_date(meeting)}.")]
    if target == Status.in_actie:
        steps.append((Status.in_actie.value, f"Actie afgesproken op de vergadering van {long_date(meeting)}."))
    for status, why in steps:
        await set_status(signalen, status, chair, why)
    await DossierHistoriek(dossier=dossier.id, tijdstip=created, gebruiker=chair, actie=DossierActie.aangemaakt.value,
                           toelichting=titel).save()
    await DossierHistoriek(dossier=dossier.id, tijdstip=created, gebruiker=chair, actie=dossier.status,
                           toelichting=steps[-1][1]).save()
    return dossier.id


async def _meeting(overleg_id: int, datum: dt.date, plaats: str, attendance: list[tuple], points: list[dict]) -> dict:
    meeting = Vergadering(overleg=overleg_id, datum=datum, begin=dt.time(19, 30), plaats=plaats,
                          status=VergaderingStatus.gehouden.value,
                          gepubliceerd_op=dt.datetime.combine(datum - dt.timedelta(days=10), dt.time(9), dt.UTC))
    await meeting.save()
    for partner, user, aanwezigheid in attendance:
        await Deelnemer(vergadering=meeting.id, partner=partner, user=user, aanwezigheid=aanwezigheid).save()
    ids = []
    for volgorde, point in enumerate(points, start=1):
        row = Agendapunt(vergadering=meeting.id, volgorde=volgorde, **point)
        await row.save()
        ids.append(row.id)
    return {"id": meeting.id, "punten": ids}


async def load_overleg() -> bool:
    """Load once: True when added, False when the demo overleg was there already (or the foundation is not)."""
    if await Overleg.exists().where(Overleg.naam == MECHELEN):
        return False
    gemeenten = {row["slug"]: row["id"] for row in await Gemeente.select(Gemeente.id, Gemeente.slug)}
    users = {row["username"]: row["id"] for row in await BaseUser.select(BaseUser.id, BaseUser.username)}
    if "mechelen" not in gemeenten or "voorzitter" not in users:
        return False
    chair, partner_user = users["voorzitter"], users.get("partner")
    overleg_id, p = await _overleg(
        gemeenten["mechelen"], MECHELEN,
        "Het jeugdwelzijnsoverleg brengt de organisaties samen die in Mechelen met kinderen en jongeren werken. "
        "We **informeren en versterken** elkaar, zetten samen **acties** op en brengen wat jongeren missen als "
        "**signaal** bij het college.", PARTNERS_MECHELEN)
    await Overleglid(overleg=overleg_id, user=chair, partner=None, rol=LidRol.voorzitter.value).save()
    if partner_user:
        await Overleglid(overleg=overleg_id, user=partner_user, partner=p["CAW Boom Mechelen Lier"],
                         rol=LidRol.partner.value).save()
    if "hoeilaart" in gemeenten:
        await _overleg(gemeenten["hoeilaart"], "Jeugdwelzijnsoverleg Hoeilaart",
                       "Overleg van de lokale partners rond kinderen en jongeren in Hoeilaart.", PARTNERS_HOEILAART)

    now, vandaag = dates.now(), today()
    eerste, tweede = vandaag - dt.timedelta(days=49), vandaag - dt.timedelta(days=21)
    dossiers = [await _dossier(gemeenten["mechelen"], chair, titel, omschrijving, titels, target,
                               now - dt.timedelta(days=30), tweede)
                for titel, omschrijving, titels, target in DOSSIERS]
    caw, clb, ocmw, jd, hvk = (p[naam] for naam, _, _ in PARTNERS_MECHELEN)

    a = await _meeting(overleg_id, eerste, "Stadhuis Mechelen, Schepenzaal", [
        (caw, partner_user, "aanwezig"), (clb, None, "aanwezig"), (ocmw, None, "verontschuldigd"),
        (jd, None, "aanwezig"), (hvk, None, "aanwezig"), (None, chair, "aanwezig")], [
        {"titel": "Mededelingen", "soort": "mededelingen", "functies": '["forum"]', "duur_minuten": 10,
         "notities": "- De jeugddienst start in het voorjaar met een nieuwe jeugdraad.\n"
                     "- Het Huis van het Kind verhuist naar de Nekkerspoelwijk."},
        {"titel": "Wat horen we over ontmoetingsplekken?", "soort": "vrij", "functies": '["forum"]',
         "duur_minuten": 30,
         "notities": "De jeugdopbouwwerkers brengen signalen uit Nekkerspoel en het centrum. CAW en CLB herkennen "
                     "het: jongeren zoeken een plek *zonder consumptieverplichting*.",
         "besluit": "De voorzitter bundelt de signalen in een dossier voor de volgende vergadering."},
        {"titel": "Rondvraag", "soort": "rondvraag", "functies": "[]", "duur_minuten": 10,
         "notities": "Geen punten."},
    ])
    b = await _meeting(overleg_id, tweede, "Huis van het Kind, Nekkerspoel", [
        (caw, partner_user, "aanwezig"), (clb, None, "aanwezig"), (ocmw, None, "aanwezig"),
        (jd, None, "aanwezig"), (hvk, None, "afwezig"), (None, chair, "aanwezig")], [
        {"titel": "Goedkeuring verslag vorige vergadering", "soort": "vrij", "functies": "[]", "duur_minuten": 5,
         "besluit": f"Het verslag van {long_date(eerste)} wordt goedgekeurd."},
        {"titel": DOSSIERS[0][0], "soort": "dossier", "dossier": dossiers[0], "functies": '["forum", "actie"]',
         "duur_minuten": 30,
         "notities": "Vier signalen in vijf maanden, samen over een dertigtal jongeren. Meisjes voelen zich niet "
                     "thuis in het jeugdhuis. De jeugddienst ziet mogelijkheden in het buurthuis op woensdag- en "
                     "vrijdagavond.",
         "besluit": "We zoeken samen een tijdelijke ontmoetingsplek en gaan actief naar de jongeren toe."},
        {"titel": DOSSIERS[1][0], "soort": "dossier", "dossier": dossiers[1],
         "functies": '["forum", "signaal_advies"]', "duur_minuten": 25,
         "notities": "CAW en CLB zijn voor jongeren onbekend of 'van school'. Het JAC is alleen in de binnenstad "
                     "bereikbaar.",
         "besluit": "De voorzitter bereidt een signaalnota voor het college voor over laagdrempelige hulp."},
        {"titel": "Rondvraag", "soort": "rondvraag", "functies": "[]", "duur_minuten": 10},
    ])
    await Actie(overleg=overleg_id, agendapunt=b["punten"][1], dossier=dossiers[0], partner=caw,
                wat="Twee avonden per maand outreachend aanwezig zijn aan het station van Nekkerspoel.",
                deadline=vandaag - dt.timedelta(days=5), status=ActieStatus.open.value, lens=Lens.bijschakelen.value,
                aangemaakt_op=now - dt.timedelta(days=21)).save()
    buurthuis = Actie(overleg=overleg_id, agendapunt=b["punten"][1], dossier=dossiers[0], partner=jd,
                      wat="Verkennen of het buurthuis op woensdag- en vrijdagavond open kan als ontmoetingsplek.",
                      deadline=vandaag + dt.timedelta(days=30), status=ActieStatus.bezig.value,
                      lens=Lens.preventie.value, aangemaakt_op=now - dt.timedelta(days=21))
    await buurthuis.save()
    await ActieHistoriek(actie=buurthuis.id, tijdstip=now - dt.timedelta(days=14), gebruiker=chair,
                         van=ActieStatus.open.value, naar=ActieStatus.bezig.value,
                         notitie="Eerste gesprek met het buurthuis gehad: woensdagavond lijkt haalbaar.").save()

    goedgekeurd_op = dt.datetime.combine(tweede, dt.time(21), dt.UTC)
    await Verslag(vergadering=a["id"], inhoud=await generate_text(a["id"]),
                  status=VerslagStatus.goedgekeurd.value,
                  goedgekeurd_op=goedgekeurd_op, goedgekeurd_in=b["id"], versie=2).save()
    await Verslag(vergadering=b["id"], inhoud=await generate_text(b["id"]),
                  status=VerslagStatus.concept.value, versie=1).save()
    await _sent_nota(chair, dossiers[1], vandaag)
    return True


async def _sent_nota(chair: int, dossier: int, vandaag: dt.date) -> None:
    """A signaalnota to the college, sent, with its answer: the end of the chain, to look at."""
    from admin.sessions import resolve_user
    from overleg.notas import lifecycle as nota_lifecycle
    from overleg.notas import services as notas

    user = await resolve_user(chair)
    nota = await notas.create_nota(user, {
        "dossiers": [dossier], "adressaat": "college",
        "onderwerp": "Laagdrempelige hulp voor jongeren buiten de school",
        "secties": {"advies": "Het overleg vraagt het college om een **wekelijkse inloop** van het JAC in "
                              "Nekkerspoel te ondersteunen, in samenwerking met het CAW en de jeugddienst."},
    })
    await nota_lifecycle.send(user, nota["id"])
    await nota_lifecycle.record_answer(user, nota["id"], {
        "datum": vandaag.isoformat(), "beslissing": "deels",
        "samenvatting": "Het college steunt een proefperiode van zes maanden in het buurthuis; een vaste "
                        "inloop wordt na evaluatie bekeken.",
    })
