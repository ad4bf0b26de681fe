"""Pages for signals: intake on a phone, the register, detail, edit and status. Every form works without JS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from admin.guards import requires_login
from admin.sessions import CurrentUser
from admin.tenancy import REGISTER_ROLES, register_gemeente_ids, visible_gemeenten
from common.dates import today
from common.errors import Conflict, FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import as_version, new_client_id, not_found, path_id
from signalen import embeddings, privacy, services, vergelijkbaar
from signalen import filters as register_filters
from signalen.tables import Bron, Leeftijd, Status

Tijdlijn = Callable[[CurrentUser, Mapping[str, Any]], Awaitable[list[dict]]]
"""(user, signal) → the steps of what became of the signal (dossier, agenda, nota, answer, feedback), only those the
user may read. The overleg computes them and sits above signalen, so app.py provides overleg.tijdlijn.steps as the
dependency `signaal_tijdlijn` instead of signalen importing overleg."""

FIELD_LABELS = {"titel": "Titel", "omschrijving": "Wat hoorde of zag je?", "plek": "Plek", "citaten": "Citaten"}


def creatable_gemeenten(user: CurrentUser) -> list:
    return [g for g in visible_gemeenten(user) if services.can_create_in(user, g.id)]


async def form_data(request: Request) -> dict[str, Any]:
    form = await request.form()
    data = {name: form.get(name, "") for name in (
        "gemeente", "titel", "omschrijving", "datum", "plek", "bron", "levensdomein", "signaaltype",
        "aantal_jongeren", "leeftijd", "citaten", "versie", "actie", "vervang", "client_id")}
    data["bevestig"] = form.get("bevestig_persoonsgegevens") in ("1", "on", "ja")
    data["citaten"] = [line for line in str(data["citaten"]).splitlines() if line.strip()]
    return data


def highlighted(values: dict, findings: list[privacy.Finding]) -> list[dict]:
    """Per finding: where it is, what kind, and the text around it split so the template can <mark> it."""
    out = []
    for index, finding in enumerate(findings):
        name, _, position = finding.field.partition(".")
        source = values.get(name, "")
        if isinstance(source, list):
            source = source[int(position)] if position.isdigit() and int(position) < len(source) else ""
        before = source[max(0, finding.start - 40):finding.start]
        after = source[finding.end:finding.end + 40]
        out.append({"index": index, "veld": FIELD_LABELS.get(name, name), "soort": privacy.KINDS[finding.kind],
                    "voor": before, "tekst": finding.text, "na": after,
                    "vervanging": privacy.REPLACEMENTS[finding.kind]})
    return out


def apply_replacements(data: dict, which: str) -> dict:
    """One-click replacement: a finding (by index) or all of them replaced by their placeholder."""
    fields = {name: data.get(name) for name in services.FREE_TEXT}
    findings = privacy.scan_fields(fields)
    chosen = findings if which == "alles" else [f for i, f in enumerate(findings) if str(i) == which]
    return {**data, **privacy.redact_fields(fields, chosen)}


class SignaalPagesController(Controller):
    path = "/signalen"
    guards = [requires_login]
    include_in_schema = False

    async def _form_context(self, user: CurrentUser, data: dict, **extra) -> dict:
        gemeenten = creatable_gemeenten(user)
        return {
            "data": data,
            "gemeenten": gemeenten,
            "taxonomie": await services.taxonomy_lists(),
            "bronnen": Bron.labels(),
            "leeftijden": Leeftijd.labels(),
            "plekken": await services.plekken([g.id for g in gemeenten]),
            "vandaag": today().isoformat(),
            "fields": {},
            "bevindingen": [],
            "lijkt_op": "signaal" not in extra,  # the "Lijkt op" hints are for a new signal, not for an edit
            **extra,
        }

    @get("/nieuw", name="signaal_nieuw")
    async def new(self, request: Request) -> Template:
        user = request.user
        gemeenten = creatable_gemeenten(user)
        if not gemeenten:
            raise not_found()
        data: dict[str, Any]  # the form is refilled with whatever was sent
        # The form's own client_id: sending it twice (a double tap, a resend after a lost answer) stores one signal.
        data = {"gemeente": gemeenten[0].slug if len(gemeenten) == 1 else "", "datum": today().isoformat(),
                "citaten": [], "client_id": new_client_id()}
        return Template("signalen/nieuw.html", context=await self._form_context(user, data))

    @post("/nieuw", name="signaal_nieuw_post", status_code=303)
    async def create(self, request: Request) -> Response:
        user = request.user
        if not creatable_gemeenten(user):
            raise not_found()
        data = await form_data(request)
        if data["vervang"]:
            data = apply_replacements(data, str(data["vervang"]))
            context = await self._form_context(user, data, vervangen=True)
            return Template("signalen/nieuw.html", context=context)
        try:
            signaal, _ = await services.register_signaal(user, data, confirm=data["bevestig"],
                                                         client_id=data["client_id"])
        except services.PersonalDataFound as exc:
            context = await self._form_context(user, data, bevindingen=highlighted(data, exc.findings))
            return form_error_response("signalen/nieuw.html", context, exc)
        except FieldErrors as exc:
            return form_error_response("signalen/nieuw.html", await self._form_context(user, data), exc)
        except Conflict as exc:  # another person's client_id: a fresh one, and the text stays
            context = await self._form_context(user, {**data, "client_id": new_client_id()},
                                               fields={"client_id": str(exc.detail)})
            return Template("signalen/nieuw.html", context=context, status_code=409)
        saved = request.app.route_reverse("signaal_opgeslagen", signaal_id=str(signaal["id"]))
        return Redirect(saved, status_code=303, background=embeddings.after_response(signaal["id"]))

    @get("/{signaal_id:str}/opgeslagen", name="signaal_opgeslagen")
    async def saved(self, request: Request, signaal_id: FromPath[str]) -> Template:
        signaal = await services.get_signaal(request.user, path_id(signaal_id))
        similar = await vergelijkbaar.for_signal(request.user, signaal["id"])
        return Template("signalen/opgeslagen.html", context={"signaal": signaal, "vergelijkbaar": similar})

    @get("/", name="signalen")
    async def register(self, request: Request) -> Template:
        user = request.user
        if not register_gemeente_ids(user):
            raise not_found()
        filters, errors = register_filters.parse(request.query_params)
        items, total = await services.list_signalen(user, filters)
        pages = max(1, -(-total // filters.per_pagina))
        return Template("signalen/register.html", context={
            "items": items, "totaal": total, "filters": filters, "fields": errors, "paginas": pages,
            "gemeenten": [g for g in visible_gemeenten(user) if g.id in register_gemeente_ids(user)],
            "taxonomie": await services.taxonomy_lists(include_inactive=True), "bronnen": Bron.labels(),
            "statussen": Status.labels(), "sorteringen": register_filters.SORTS,
        })

    @get("/{signaal_id:str}", name="signaal_detail")
    async def detail(self, request: Request, signaal_id: FromPath[str], *,
                     signaal_tijdlijn: NamedDependency[Tijdlijn]) -> Template:
        user = request.user
        signaal = await services.get_signaal(user, path_id(signaal_id))
        return Template("signalen/detail.html", context={
            "signaal": signaal, "historiek": await services.history(signaal["id"]),
            "tijdlijn": await signaal_tijdlijn(user, signaal),
            "mag_bewerken": services.can_edit(user, signaal),
            "volgende": services.allowed_statuses(user, signaal),
            "bronnen": Bron.labels(), "leeftijden": Leeftijd.labels(), "label": Status.label_for,
        })

    @get("/{signaal_id:str}/bewerken", name="signaal_bewerken")
    async def edit(self, request: Request, signaal_id: FromPath[str]) -> Template:
        user = request.user
        signaal = await services.get_signaal(user, path_id(signaal_id))
        if not services.can_edit(user, signaal):
            raise HTTPException(status_code=403, detail="Alleen de auteur of de voorzitter kan dit signaal bewerken.")
        data = {**signaal, "datum": signaal["datum"].isoformat(), "aantal_jongeren": signaal["aantal_jongeren"] or ""}
        return Template("signalen/bewerken.html",
                        context=await self._form_context(user, data, signaal=signaal))

    @post("/{signaal_id:str}/bewerken", name="signaal_bewerken_post", status_code=303)
    async def update(self, request: Request, signaal_id: FromPath[str]) -> Response:
        user = request.user
        signaal = await services.get_signaal(user, path_id(signaal_id))
        data = await form_data(request)
        data["gemeente"] = signaal["gemeente"]
        versie = as_version(data["versie"])
        if data["vervang"]:
            data = apply_replacements(data, str(data["vervang"]))
            return Template("signalen/bewerken.html",
                            context=await self._form_context(user, data, signaal=signaal, vervangen=True))
        changes = {k: data[k] for k in services.EDITABLE}
        try:
            await services.update_signaal(user, signaal["id"], changes, versie, confirm=data["bevestig"])
        except Conflict as exc:
            assert exc.current is not None  # update_signaal's conflicts carry the stored signal
            context = await self._form_context(user, {**data, "versie": exc.current["versie"]}, signaal=exc.current,
                                               conflict=True)
            return form_error_response("signalen/bewerken.html", context, exc)
        except services.PersonalDataFound as exc:
            context = await self._form_context(user, data, signaal=signaal,
                                               bevindingen=highlighted(data, exc.findings))
            return form_error_response("signalen/bewerken.html", context, exc)
        except FieldErrors as exc:
            context = await self._form_context(user, data, signaal=signaal)
            return form_error_response("signalen/bewerken.html", context, exc)
        detail = request.app.route_reverse("signaal_detail", signaal_id=str(signaal["id"]))
        done = Redirect(detail, status_code=303, background=embeddings.after_response(signaal["id"]))
        return flash(done, "Wijzigingen opgeslagen.")

    @post("/{signaal_id:str}/status", name="signaal_status_post", status_code=303)
    async def status(self, request: Request, signaal_id: FromPath[str]) -> Response:
        form = await request.form()
        target = str(form.get("status", ""))
        detail = request.app.route_reverse("signaal_detail", signaal_id=str(path_id(signaal_id)))
        try:
            await services.change_status(request.user, path_id(signaal_id), target, str(form.get("toelichting", "")))
        except Conflict as exc:
            return flash(Redirect(detail, status_code=303), str(exc.detail), "fout")
        except FieldErrors:
            return flash(Redirect(detail, status_code=303), "Kies een status.", "fout")
        return flash(Redirect(detail, status_code=303),
                     f"Status gewijzigd naar '{Status.label_for(target)}'.")


__all__ = ["SignaalPagesController", "REGISTER_ROLES"]
