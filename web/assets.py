"""Static files with a content hash in their URL, cached for a year.

`static_url("css/app.css")` (a Jinja global) gives `/static/css/app.css?v=<first 10 hex of its SHA-256>`. The hashes
are computed once, when the app starts: a deploy that changes a file changes its URL, so a browser may keep what it
fetched with a hash for a year (`immutable`). A request without the current hash (an old page, a typed URL) is
answered too, but must be revalidated (`no-cache`).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from urllib.parse import parse_qs

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from settings import BASE_DIR

STATIC_DIR = BASE_DIR / "static"
PREFIX = "/static/"
HASH_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


@functools.cache
def hashes(directory: Path = STATIC_DIR) -> dict[str, str]:
    """Every file under `directory` (as a POSIX path relative to it) → its short content hash; read once."""
    return {path.relative_to(directory).as_posix(): _digest(path)
            for path in sorted(directory.rglob("*")) if path.is_file()}


def static_url(name: str) -> str:
    """The URL of a static file with its content hash; a name that is not a file of ours fails loudly."""
    try:
        version = hashes()[name]
    except KeyError:
        raise ValueError(f"static_url: no static file {name!r}") from None
    return f"{PREFIX}{name}?v={version}"


async def cache_static(message: Message, scope: Scope) -> None:
    """before_send hook: a year's cache for a static file asked for with its current hash, revalidation otherwise."""
    if message["type"] != "http.response.start" or not scope.get("path", "").startswith(PREFIX):
        return
    headers = MutableScopeHeaders.from_message(message)
    name = scope["path"].removeprefix(PREFIX)
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
    current = hashes().get(name)
    fresh = message.get("status") == 200 and current is not None and asked == current
    headers["Cache-Control"] = IMMUTABLE if fresh else REVALIDATE
