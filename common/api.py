"""What every JSON controller shares: reading a body as a JSON object, with the Dutch 400s."""

from __future__ import annotations

from litestar import Request

from common.errors import NOT_AN_OBJECT, NOT_JSON, FieldErrors


async def read_json(request: Request) -> dict:
    try:
        body = await request.json()
    except Exception as exc:  # noqa: BLE001 - any undecodable body is the client's error
        raise FieldErrors({}, detail=NOT_JSON, status_code=400) from exc
    if not isinstance(body, dict):
        raise FieldErrors({}, detail=NOT_AN_OBJECT, status_code=400)
    return body
