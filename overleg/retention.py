"""Retention in the overleg: the copies of an anonymised signal's text go with it.

`signalen.retention` anonymises the signal itself and, in the same write transaction, calls
`anonymise_copies(old_texts)` — wired by `manage.py bewaartermijn`, since `signalen` may not import `overleg`.
Two rules, both limited to the gemeenten of the signals:

1. **Copies of the text.** Wherever the overleg copied a signal's title, a quote, a paragraph of its description or
   an address-like place (one with a number) — dossier history ("12: <titel>"), dossier title and description,
   comments, agenda items, actions, feedback, minutes, nota subjects, sections, quotes and comments, answers — the
   copy becomes "[geanonimiseerd]" (a quote that holds one is dropped). Texts shorter than `MIN_LENGTH` are left
   alone: a short place or word is no copy of anyone's story.
2. **Objects past retention.** A dossier whose signals are all anonymised is past retention too: its own free text
   goes (title, description, history reasons, comments, agenda notes and decisions, action texts, feedback). A nota
   whose dossiers are all past retention keeps its number, dates, addressee, status, the SHA-256 of the PDF as sent
   and its statistics (they come from the signals' countable fields); its subject, sections, quotes, comments and the
   answer's summary go, `geanonimiseerd_op` is set, and a sent nota's stored PDF is rendered again from the
   anonymised data, marked "Geanonimiseerd op … na de bewaartermijn".

Returns the number of changed rows per table, for the command's report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import escape
from piccolo.columns import Column
from piccolo.engine.finder import engine_finder
from piccolo.table import Table

from admin.sessions import CurrentUser
from admin.tenancy import in_gemeenten
from berichten.tables import Bericht
from berichten.voorkeur_tables import Uitgesteld
from common import dates
from overleg.notas import pdf as nota_pdf
from overleg.notas import services as notas
from overleg.tables import (
    Actie,
    ActieHistoriek,
    Agendapunt,
    Antwoord,
    Commentaar,
    Dossier,
    DossierHistoriek,
    NotaCommentaar,
    NotaDossier,
    Signaalnota,
    Terugkoppeling,
    Verslag,
)
from signalen.retention import ANONYMOUS_TITLE
from signalen.tables import Signaal

MIN_LENGTH = 12
NEEDLES_PER_QUERY = 40
_NOBODY = CurrentUser(id=0, username="", naam="", email="", admin=False, session_id=0)  # manages no nota

# Plain text columns that can hold a copy, with each table's path to its gemeente.
TEXT_COLUMNS: list[tuple[type[Table], Column, list[Column]]] = [
    (Dossier, Dossier.gemeente, [Dossier.titel, Dossier.omschrijving]),
    (DossierHistoriek, DossierHistoriek.dossier.gemeente, [DossierHistoriek.toelichting]),
    (Commentaar, Commentaar.dossier.gemeente, [Commentaar.tekst]),
    (Agendapunt, Agendapunt.vergadering._.overleg._.gemeente,
     [Agendapunt.titel, Agendapunt.reden, Agendapunt.notities, Agendapunt.besluit]),
    (Actie, Actie.overleg.gemeente, [Actie.wat]),
    (ActieHistoriek, ActieHistoriek.actie._.overleg._.gemeente, [ActieHistoriek.notitie]),
    (Terugkoppeling, Terugkoppeling.dossier.gemeente, [Terugkoppeling.wat]),
    (Verslag, Verslag.vergadering._.overleg._.gemeente, [Verslag.inhoud]),
    (NotaCommentaar, NotaCommentaar.nota.gemeente, [NotaCommentaar.tekst]),
    (Antwoord, Antwoord.nota.gemeente, [Antwoord.samenvatting]),
    # Mails about a signal (the loop back to its worker) and mails held for a digest: the outbox keeps them.
    (Bericht, Bericht.gemeente, [Bericht.subject, Bericht.text, Bericht.html]),
    (Uitgesteld, Uitgesteld.gemeente, [Uitgesteld.subject, Uitgesteld.text]),
]


def needles(signal: dict) -> list[str]:
    """The pieces of a signal's old text whose copies must go."""
    found = [signal.get("titel") or "", *(signal.get("citaten") or [])]
    found += [part for part in re.split(r"\n\s*\n|\r?\n", signal.get("omschrijving") or "")]
    plek = signal.get("plek") or ""
    if any(ch.isdigit() for ch in plek):
        found.append(plek)
    return [text.strip() for text in found if len(text.strip()) >= MIN_LENGTH and text.strip() != ANONYMOUS_TITLE]


def _pattern(texts: Iterable[str]) -> re.Pattern | None:
    unique = sorted(set(texts), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in unique), re.IGNORECASE) if unique else None


def _like(text: str) -> str:
    # LIKE wildcards in the text only widen the pre-filter; the pattern decides.
    return "%" + text.replace("%", "_").replace("\\", "_") + "%"


Changed = dict[str, set]  # table name -> ids of the rows changed (a row changed by both rules counts once)


def _bump(changed: Changed, table: type[Table], ids: Iterable[Any]) -> None:
    changed.setdefault(table._meta.tablename, set()).update(ids)


async def _scrub_texts(gemeenten: list[int], texts: list[str], counts: Changed) -> None:
    texts = [*texts, *(str(escape(t)) for t in texts)]  # a copy in a mail's HTML is escaped as Jinja escapes it
    pattern = _pattern(texts)
    if pattern is None:
        return
    unique = sorted(set(texts))
    postgres = getattr(engine_finder(), "engine_type", "") == "postgres"  # SQLite's LIKE already ignores (ASCII) case
    for table, path, columns in TEXT_COLUMNS:
        pk = table._meta.primary_key
        changed: dict[Any, dict] = {}
        for start in range(0, len(unique), NEEDLES_PER_QUERY):
            group = unique[start:start + NEEDLES_PER_QUERY]
            terms = [(column.ilike if postgres else column.like)(_like(text)) for column in columns for text in group]
            condition: Any = terms[0]
            for term in terms[1:]:
                condition = condition | term
            rows = await table.select(pk, *columns).where(in_gemeenten(path, gemeenten) & condition)
            for row in rows:
                update = changed.get(row[pk._meta.name], {})
                for column in columns:
                    value = update.get(column, row[column._meta.name]) or ""
                    new = pattern.sub(ANONYMOUS_TITLE, value)
                    if new != value:
                        update[column] = new
                if update:
                    changed[row[pk._meta.name]] = update
        for key, update in changed.items():
            await table.update(update).where(pk == key)
        _bump(counts, table, changed)


async def _expired_dossiers(dossier_ids: set[int]) -> list[int]:
    """Of these dossiers, those whose every signal is anonymised (and that have one)."""
    if not dossier_ids:
        return []
    rows = await Signaal.select(Signaal.dossier, Signaal.titel).where(Signaal.dossier.is_in(sorted(dossier_ids)))
    alive = {row["dossier"] for row in rows if row["titel"] != ANONYMOUS_TITLE}
    return sorted({row["dossier"] for row in rows} - alive)


async def _empty_dossiers(ids: list[int], counts: Changed) -> None:
    if not ids:
        return
    plans: list[tuple[type[Table], Any, dict]] = [
        (Dossier, Dossier.id.is_in(ids) & ((Dossier.titel != ANONYMOUS_TITLE) | (Dossier.omschrijving != "")),
         {Dossier.titel: ANONYMOUS_TITLE, Dossier.omschrijving: ""}),
        (DossierHistoriek, DossierHistoriek.dossier.is_in(ids) & (DossierHistoriek.toelichting != ""),
         {DossierHistoriek.toelichting: ""}),
        (Commentaar, Commentaar.dossier.is_in(ids) & (Commentaar.tekst != ANONYMOUS_TITLE),
         {Commentaar.tekst: ANONYMOUS_TITLE}),
        (Agendapunt, Agendapunt.dossier.is_in(ids) & ((Agendapunt.titel != ANONYMOUS_TITLE) | (Agendapunt.reden != "")
                                                       | (Agendapunt.notities != "") | (Agendapunt.besluit != "")),
         {Agendapunt.titel: ANONYMOUS_TITLE, Agendapunt.reden: "", Agendapunt.notities: "", Agendapunt.besluit: ""}),
        (Actie, Actie.dossier.is_in(ids) & (Actie.wat != ANONYMOUS_TITLE), {Actie.wat: ANONYMOUS_TITLE}),
        (Terugkoppeling, Terugkoppeling.dossier.is_in(ids) & ((Terugkoppeling.wat != "") | (Terugkoppeling.door != "")),
         {Terugkoppeling.wat: "", Terugkoppeling.door: ""}),
    ]
    for table, condition, values in plans:
        done = await table.update(values).where(condition).returning(table._meta.primary_key)
        _bump(counts, table, [row[table._meta.primary_key._meta.name] for row in done])


def _json(value: Any, default: Any) -> Any:
    return notas._json(value, default)


async def _notas(gemeenten: list[int], pattern: re.Pattern | None, counts: Changed) -> None:
    """Copies in the notas of these gemeenten; notas of expired dossiers lose their text; sent PDFs re-rendered."""
    rows = await Signaalnota.select(
        Signaalnota.id, Signaalnota.onderwerp, Signaalnota.secties, Signaalnota.citaten, Signaalnota.status,
        Signaalnota.geanonimiseerd_op,
    ).where(in_gemeenten(Signaalnota.gemeente, gemeenten))
    if not rows:
        return
    links = await NotaDossier.select(NotaDossier.nota, NotaDossier.dossier).where(
        NotaDossier.nota.is_in([row["id"] for row in rows]))
    dossiers: dict[int, set[int]] = {}
    for link in links:
        dossiers.setdefault(link["nota"], set()).add(link["dossier"])
    expired = set(await _expired_dossiers({d for ids in dossiers.values() for d in ids}))
    now = dates.now()
    for row in rows:
        update: dict[Column | str, Any] = {}
        empty = (row["onderwerp"] == ANONYMOUS_TITLE and not _json(row["secties"], {})
                 and not _json(row["citaten"], []))
        if dossiers.get(row["id"]) and dossiers[row["id"]] <= expired and not empty:
            update = {Signaalnota.onderwerp: ANONYMOUS_TITLE, Signaalnota.secties: "{}", Signaalnota.citaten: "[]",
                      Signaalnota.bevestigde_persoonsgegevens: "[]", Signaalnota.trekker: "",
                      Signaalnota.geanonimiseerd_op: now}
            comments = await NotaCommentaar.update({NotaCommentaar.tekst: ANONYMOUS_TITLE}).where(
                (NotaCommentaar.nota == row["id"]) & (NotaCommentaar.tekst != ANONYMOUS_TITLE)
            ).returning(NotaCommentaar.id)
            _bump(counts, NotaCommentaar, [c["id"] for c in comments])
            answers = await Antwoord.update({Antwoord.samenvatting: "", Antwoord.persoonsgegevens: "[]"}).where(
                (Antwoord.nota == row["id"]) & (Antwoord.samenvatting != "")).returning(Antwoord.id)
            _bump(counts, Antwoord, [a["id"] for a in answers])
        elif pattern is not None:
            onderwerp = pattern.sub(ANONYMOUS_TITLE, row["onderwerp"] or "")
            secties = {k: pattern.sub(ANONYMOUS_TITLE, str(v)) for k, v in _json(row["secties"], {}).items()}
            citaten = [q for q in _json(row["citaten"], []) if not (isinstance(q, str) and pattern.search(q))]
            if onderwerp != row["onderwerp"]:
                update[Signaalnota.onderwerp] = onderwerp
            if secties != _json(row["secties"], {}):
                update[Signaalnota.secties] = json.dumps(secties, ensure_ascii=False)
            if citaten != _json(row["citaten"], []):
                update[Signaalnota.citaten] = json.dumps(citaten, ensure_ascii=False)
            if update:
                update[Signaalnota.geanonimiseerd_op] = now
        if not update:
            continue
        await Signaalnota.update(update).where(Signaalnota.id == row["id"])
        _bump(counts, Signaalnota, [row["id"]])
        if row["status"] not in notas.EDITABLE:
            await _render_again(row["id"])


async def _render_again(nota_id: int) -> None:
    """The stored PDF of a sent nota, rendered again from the anonymised data (its SHA-256 stays the original's)."""
    row = await Signaalnota.select(*notas._columns()).where(Signaalnota.id == nota_id).first()
    if row is None or row["status"] in notas.EDITABLE:
        return
    nota = notas._shape(row, _NOBODY)
    nota["dossiers"] = await NotaDossier.select(NotaDossier.dossier.id.as_alias("id")).where(
        NotaDossier.nota == nota_id).order_by(NotaDossier.id)
    if nota["vorige"]:
        previous = await Signaalnota.select(Signaalnota.referentie).where(Signaalnota.id == nota["vorige"]).first()
        nota["vorige_referentie"] = previous["referentie"] if previous else ""
    pdf = await nota_pdf.render(await notas.pdf_input(nota))  # in this transaction: a nightly job, not a request
    await Signaalnota.update({Signaalnota.pdf: pdf}).where(Signaalnota.id == nota_id)


async def anonymise_copies(signals: list[dict]) -> dict[str, int]:
    """The copies of these anonymised signals' old texts (see the module's docstring). Runs in the caller's
    write transaction; returns the changed rows per table."""
    counts: Changed = {}
    gemeenten = sorted({s["gemeente"] for s in signals if s.get("gemeente") is not None})
    if not gemeenten:
        return {}
    texts = [text for s in signals for text in needles(s)]
    await _scrub_texts(gemeenten, texts, counts)
    expired = await _expired_dossiers({s["dossier"] for s in signals if s.get("dossier") is not None})
    await _empty_dossiers(expired, counts)
    await _notas(gemeenten, _pattern(texts), counts)
    return {table: len(ids) for table, ids in counts.items() if ids}
