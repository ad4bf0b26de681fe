"""The PDF of a nota as a response: the frozen file of a sent nota, or a concept rendered now."""

from __future__ import annotations

from litestar import Response

from overleg.notas import pdf as nota_pdf
from overleg.notas import services as notas


def pdf_response(body: bytes, nota: dict) -> Response:
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="signaalnota-{nota["referentie"]}.pdf"'})


async def live_pdf(nota: dict) -> bytes:
    """The stored PDF of a sent nota; a concept is rendered now (marked as concept)."""
    if not nota["bewerkbaar"]:
        stored = await notas.stored_pdf(nota["id"])
        if stored is not None:
            return stored
    return await nota_pdf.render(await notas.pdf_input(nota))
