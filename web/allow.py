"""The ``Allow`` header of an OPTIONS answer lists every method of the path (RFC 9110 §10.2.1).

Litestar 2.25 builds the automatic OPTIONS handler with the first handler registered for a path and keeps it when
the other methods join the route, so ``OPTIONS /api/v1/signalen/1`` answered ``Allow: GET, OPTIONS`` without PATCH.
This before_send hook writes the methods the app really routes for the matched path.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope


async def complete_allow_header(message: Message, scope: Scope) -> None:
    """before_send hook: on the answer to OPTIONS, ``Allow`` holds the methods of the route the request matched."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    handler, app = scope.get("route_handler"), scope.get("litestar_app")
    if handler is None or app is None:
        return
    methods: set[str] = set()
    for path in handler.paths:
        methods.update(app.route_handler_method_map.get(path, {}))
    headers = MutableScopeHeaders.from_message(message)
    if methods and "allow" in headers:
        headers["allow"] = ", ".join(sorted(methods))
