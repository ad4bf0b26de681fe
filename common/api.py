"""What every JSON controller shares: reading a body as a JSON object, with the Dutch 400s."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from common.errors import NOT_AN_OBJECT, NOT_JSON, FieldErrors
from common.ids import MAX_ID


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


# ------------------------------------------------------------------------- what the OpenAPI document requires
# A request struct keeps its required fields optional (``X | None = None``), so that a body without them gets the
# service's Dutch 422 with a message per field instead of msgspec's English one. The OpenAPI document still says
# what a valid body is: ``schema_requires`` names those fields (required, not null, a string with a non-blank
# character, a list with at least ``min_items``), and ``tighten_schema`` writes that into the generated document.
_REQUIRED: dict[str, tuple[tuple[str, ...], dict[str, dict[str, Any]], bool]] = {}
_NOT_BLANK = r"\S"
#: The items of a list of ids in a request body: positive integers.
ID_ITEMS = Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=MAX_ID)


def schema_requires(*fields: str, closed: bool = False, **constraints: dict[str, Any]) -> Any:
    """Class decorator: the OpenAPI document declares ``fields`` required and not null; ``constraints`` adds schema
    keywords per field (``signalen={"min_items": 1}``); ``closed`` forbids other properties."""

    def mark(cls: type) -> type:
        _REQUIRED[cls.__name__] = (fields, constraints, closed)
        return cls

    return mark


def _not_null(schema: Schema) -> Schema:
    arms = [arm for arm in schema.one_of or () if isinstance(arm, Schema) and arm.type != OpenAPIType.NULL]
    if len(arms) != 1 or not schema.one_of:
        return schema
    arm = arms[0]
    arm.description = arm.description or schema.description
    return arm


def tighten_schema(components: dict[str, Any]) -> None:
    """Apply every ``schema_requires`` to the generated component schemas (in place)."""
    for name, (fields, constraints, closed) in _REQUIRED.items():
        schema = components.get(name)
        if not isinstance(schema, Schema) or schema.properties is None:
            raise LookupError(f"no component schema {name!r} to tighten")
        properties: dict[str, Any] = schema.properties
        for field in fields:
            properties[field] = prop = _not_null(properties[field])
            if isinstance(prop, Schema) and prop.type == OpenAPIType.STRING and not (prop.enum or prop.format):
                prop.pattern = prop.pattern or _NOT_BLANK
        for field, keywords in constraints.items():
            prop = properties[field]
            target = _not_null(prop) if isinstance(prop, Schema) else prop
            for keyword, value in keywords.items():
                setattr(target, keyword, value)
        schema.required = sorted({*(schema.required or ()), *fields})
        if closed:
            schema.additional_properties = False


# ------------------------------------------------------------------ bodies a handler reads itself (read_json)
# A few handlers read the raw JSON, so that any value of a field (a string where a number belongs, an unknown
# key) still gets the service's Dutch message. The OpenAPI document describes their body all the same.
#: A positive row id.
ID = ID_ITEMS
#: A row version (`versie`).
VERSION = Schema(type=OpenAPIType.INTEGER, minimum=0, maximum=MAX_ID)
#: A date (jjjj-mm-dd).
DATE = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE)
#: true: the personal data the privacy guard found are needed.
CONFIRM = Schema(type=OpenAPIType.BOOLEAN, description="true: de gevonden persoonsgegevens zijn nodig; zonder "
                                                       "bevestiging weigert de API zo'n tekst (422 met "
                                                       "`persoonsgegevens`).")


def text(max_length: int, *, required: bool = True, description: str | None = None) -> Schema:
    """A free text of at most ``max_length`` characters; ``required``: with a non-blank character."""
    return Schema(type=OpenAPIType.STRING, max_length=max_length, pattern=_NOT_BLANK if required else None,
                  description=description)


def choice(values: Iterable[str], description: str | None = None) -> Schema:
    return Schema(type=OpenAPIType.STRING, enum=list(values), description=description)


def nullable(schema: Schema) -> Schema:
    return Schema(one_of=[schema, Schema(type=OpenAPIType.NULL)], description=schema.description)


def body(description: str, required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> type[Operation]:
    """The ``operation_class`` of a route whose handler reads its JSON body with ``read_json``: the document says
    which object it takes (``required`` and ``optional`` properties; no others)."""
    schema = Schema(type=OpenAPIType.OBJECT, description=description, properties={**required, **(optional or {})},
                    required=sorted(required), additional_properties=False)

    @dataclass
    class WithBody(Operation):
        def __post_init__(self) -> None:
            self.request_body = RequestBody(content={"application/json": OpenAPIMediaType(schema=schema)},
                                            required=True)

    return WithBody
