"""The service worker at the root scope: GET /sw.js (its source is static/js/sw.js).

Before the source goes its configuration: the version — a hash of every file it keeps and of its own source and the
offline intake's templates, so any change installs a new cache and the old ones are deleted on `activate` — and
the URLs it keeps, exactly as the pages ask for them (`static_url`, with the content hash). Public: it holds no
data, and the browser must be able to check for an update also after a logout.
"""

from __future__ import annotations

import functools
import hashlib
import json

from litestar import Request, Response, get

from settings import BASE_DIR
from web.assets import STATIC_DIR, hashes, static_url

SOURCE = STATIC_DIR / "js" / "sw.js"
KEPT_DIRS = ("css/", "js/", "icons/")
KEPT_SUFFIXES = (".css", ".js", ".png", ".svg", ".webmanifest")  # not a vendored library's LICENCE
KEPT_FILES = ("favicon.svg", "manifest.webmanifest")
# The icons as the manifest names them (without the hash): the installed app asks for these.
MANIFEST_ICONS = ("icons/icon-192.png", "icons/icon-512.png", "icons/maskable-192.png", "icons/maskable-512.png")
SHELL_TEMPLATES = ("templates/signalen/offline.html", "templates/signalen/_form.html",
                   "templates/signalen/_wachtrij.html", "templates/base.html")
INTAKE_PAGES = ("/signalen/nieuw", "/offline/nieuw")
SHELL = "/offline/nieuw"


def kept_assets() -> list[str]:
    """The static files the service worker keeps: our CSS, JS (vendored too), icons, favicon and manifest."""
    names = [name for name in hashes() if (name.startswith(KEPT_DIRS) or name in KEPT_FILES)
             and name.endswith(KEPT_SUFFIXES) and name != "js/sw.js"]
    return [static_url(name) for name in sorted(names)] + ["/static/" + name for name in MANIFEST_ICONS]


@functools.cache
def script() -> str:
    digest = hashlib.sha256()
    for name, value in sorted(hashes().items()):
        digest.update(f"{name}:{value}\n".encode())
    for template in SHELL_TEMPLATES:
        digest.update((BASE_DIR / template).read_bytes())
    config = {"version": digest.hexdigest()[:12], "assets": kept_assets(), "intake": list(INTAKE_PAGES),
              "shell": SHELL}
    return f"self.SIGNAALWERK_SW = {json.dumps(config)};\n" + SOURCE.read_text(encoding="utf-8")


@get("/sw.js", name="service_worker", include_in_schema=False, sync_to_thread=False)
def service_worker(request: Request) -> Response[str]:
    return Response(script(), media_type="text/javascript; charset=utf-8", headers={
        "Service-Worker-Allowed": "/",
        "Cache-Control": "no-cache",
    })
