"""What every JSON controller shares: reading a body as a JSON object, with the Dutch 400s."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar import Request
from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Schema

from common.errors import NOT_AN_OBJECT, NOT_JSON, FieldErrors


async def read_json(request: Request) -> dict:
    try:
        body = await request.json()
    except Exception as exc:  # noqa: BLE001 - any undecodable body is the client's error
        raise FieldErrors({}, detail=NOT_JSON, status_code=400) from exc
    if not isinstance(body, dict):
        raise FieldErrors({}, detail=NOT_AN_OBJECT, status_code=400)
    return body


# What the query filters accept, declared in the OpenAPI document (``QueryParameter(schema_extra=...)``): the
# parameter stays a string in the handler, so anything else still gets the handler's Dutch 400.
def query_choice(values: Iterable[str]) -> dict[str, Any]:
    """A filter that takes one of ``values``, or is empty (no filter)."""
    return {"type": OpenAPIType.STRING, "enum": ["", *values], "one_of": None}


#: An optional id filter: empty (no filter) or a positive id.
QUERY_ID = {"type": OpenAPIType.STRING, "pattern": r"^([1-9][0-9]{0,8})?$", "one_of": None}
#: An id filter that, when given, must be a positive id.
QUERY_ID_GIVEN = {"type": OpenAPIType.STRING, "pattern": r"^[1-9][0-9]{0,8}$", "one_of": None}
#: An optional date filter: empty or jjjj-mm-dd.
QUERY_DATE = {"any_of": [Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE),
                         Schema(type=OpenAPIType.STRING, max_length=0)], "one_of": None}
