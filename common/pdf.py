"""The only way Signaalwerk makes PDFs.

``render_template_pdf(template_name, context, meta)`` fills a template under ``templates/`` with the one PDF
Jinja environment (:func:`environment`: the app's loader, autoescaping, ``StrictUndefined`` and the shared
filters of ``common.templating``) and returns a :class:`RenderedPdf`: the bytes and the page count, taken from
WeasyPrint's laid-out ``document.pages``. Notas, agenda, minutes and the yearly report all go through it;
``render_pdf(html, meta)`` is the same render for HTML that is already a string.

WeasyPrint renders HTML that *we* produced (templates; user text only through
``common.markdown.render_markdown`` or autoescaping). It runs with a URL fetcher that:

* serves the app's own static assets: ``/static/...`` (absolute path or relative to the
  document) is mapped onto a file under :data:`STATIC_DIR`; ``..``, encoded ``..``,
  empty segments, backslashes and symlinks that leave :data:`STATIC_DIR` are refused;
* decodes ``data:`` URIs in memory;
* refuses everything else (``file:``, ``http:``, ``https:``, ``ftp:``, unknown schemes).
  Nothing is ever fetched over the network, so there are no redirects to follow either.

A refused resource is simply missing from the PDF; a warning is logged on the
``signaalwerk.pdf`` logger. ``render_pdf`` does not raise for it.

The output is tagged PDF/UA-1 with title, author, language, subject and keywords, and
embedded (subset) fonts.

Both are ``async`` and the one path every PDF takes (:func:`_produce`):

1. **size cap** — the HTML's :func:`estimated_pages` (its text and block elements, before any layout) may not exceed
   :data:`MAX_PAGES`; else :class:`PdfTooLarge` (422, a Dutch message asking to shorten the document);
2. **cache** — the SHA-256 of what is rendered (HTML, metadata, CSS, static assets, WeasyPrint version;
   ``common.pdf_cache``) finds an earlier render of the same content: each version of a concept is rendered once;
3. **pool** — otherwise WeasyPrint runs in a worker process of the bounded pool (``common.pdf_pool``): the event
   loop never waits on it, and a full pool answers 503 with ``Retry-After`` (``PdfBusy``). The worker writes the
   result to the cache.

The Jinja render and the hashing run in a worker thread. WeasyPrint is imported in the pool's processes only.
"""

from __future__ import annotations

import functools
import logging
import math
import mimetypes
import re
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import jinja2

from common import pdf_cache, pdf_pool
from common.errors import FieldErrors
from common.templating import configure
from settings import BASE_DIR, get_settings

__all__ = [
    "ASSET_PREFIX",
    "ASSET_SCHEME",
    "BASE_URL",
    "PRINT_CSS",
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "PdfMeta",
    "PdfTooLarge",
    "RefusedURLError",
    "RenderedPdf",
    "environment",
    "estimated_pages",
    "render_html",
    "render_pdf",
    "render_template_pdf",
    "resolve_asset",
]

logger = logging.getLogger("signaalwerk.pdf")

#: Repository root / "static". Tests may monkeypatch this; it is read at each render.
STATIC_DIR: Path = Path(__file__).resolve().parent.parent / "static"
#: Where the PDF templates live: the app's own template directory (app.py gives Litestar the same one).
TEMPLATES_DIR: Path = BASE_DIR / "templates"
#: Our own asset URLs look like "/static/css/print.css".
ASSET_PREFIX = "/static/"
#: Base stylesheet for PDFs; link it from the PDF templates.
PRINT_CSS = ASSET_PREFIX + "pdf/print.css"
#: Private URL scheme used as the document base, so that "/static/x" and "x" resolve to
#: "signaalwerk-asset:/static/x" and reach our fetcher instead of the file system.
ASSET_SCHEME = "signaalwerk-asset"
BASE_URL = f"{ASSET_SCHEME}:/"
# urllib.parse.urljoin only resolves relative references for schemes it knows to be
# hierarchical; without this "/static/x" stays relative and WeasyPrint cannot load it.
if ASSET_SCHEME not in urllib.parse.uses_relative:
    urllib.parse.uses_relative.append(ASSET_SCHEME)
#: Largest static asset we hand to WeasyPrint.
MAX_ASSET_BYTES = 20 * 1024 * 1024
MAX_LOGGED_URL = 200

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")

_CONTENT_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".icc": "application/vnd.iccprofile",
}


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    lang: str = "nl-BE"
    subject: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF: its bytes and its number of pages (``len(document.pages)`` of the render that wrote them)."""

    pdf: bytes
    pages: int


class RefusedURLError(ValueError):
    """Raised inside the fetcher for a URL we do not serve; WeasyPrint catches it."""


def _safe_for_log(url: object) -> str:
    """An ASCII-only, quoted, truncated rendering of an untrusted URL for a log line."""
    text = str(url)
    suffix = "…" if len(text) > MAX_LOGGED_URL else ""
    return ascii(text[:MAX_LOGGED_URL] + suffix)


def _refuse(url: str, reason: str) -> RefusedURLError:
    logger.warning("PDF resource refused (%s): %s", reason, _safe_for_log(url))
    return RefusedURLError(f"refused ({reason})")


def resolve_asset(url: str, static_dir: Path | None = None) -> Path | None:
    """Map an asset URL to a regular file inside ``static_dir``, or ``None``.

    Accepts ``signaalwerk-asset:/static/...`` (what WeasyPrint makes of ``/static/...``
    with our base URL) and bare ``/static/...`` paths. Query and fragment are ignored.
    """
    root_dir = STATIC_DIR if static_dir is None else static_dir
    try:
        parts = urllib.parse.urlsplit(url)
        path = urllib.parse.unquote(parts.path, errors="strict")
    except ValueError:  # includes UnicodeDecodeError
        return None
    if parts.scheme not in ("", ASSET_SCHEME) or parts.netloc:
        return None
    if not path.startswith(ASSET_PREFIX) or "\x00" in path or "\\" in path:
        return None
    segments = path[len(ASSET_PREFIX) :].split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    try:
        root = root_dir.resolve(strict=True)
        candidate = root.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _CONTENT_TYPES:
        return _CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


_weasyprint: ModuleType | None = None
_fetcher_class: type | None = None
_import_lock = threading.Lock()


def _load_weasyprint() -> tuple[ModuleType, type]:
    """Import WeasyPrint once per process and build the restricted fetcher class."""
    global _weasyprint, _fetcher_class
    if _weasyprint is not None and _fetcher_class is not None:
        return _weasyprint, _fetcher_class
    with _import_lock:
        if _weasyprint is None or _fetcher_class is None:
            import weasyprint
            from weasyprint.urls import URLFetcher, URLFetcherResponse

            class RestrictedURLFetcher(URLFetcher):
                """Serves our static assets and data: URIs; refuses every other URL."""

                def __init__(self, static_dir: Path, *, lenient: bool = False) -> None:
                    # The parent's opener is never used for I/O: fetch() below handles
                    # every URL itself. allowed_protocols/allow_redirects are belt and braces.
                    super().__init__(
                        timeout=5,
                        allowed_protocols=(),
                        allow_redirects=False,
                        fail_on_errors=False,
                    )
                    self._static_dir = static_dir
                    self._lenient = lenient

                def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
                    try:
                        return self._fetch(url)
                    except RefusedURLError:
                        if not self._lenient:
                            raise
                        # Answer with an empty body: the resource is just missing.
                        return URLFetcherResponse(url, b"", {"Content-Type": "application/octet-stream"})

                def _fetch(self, url: str) -> URLFetcherResponse:
                    match = _SCHEME_RE.match(url) if isinstance(url, str) else None
                    scheme = match[1].lower() if match else ""
                    if scheme == "data":
                        try:
                            request = urllib.request.Request(url)  # noqa: S310 (scheme is data:)
                            response = urllib.request.DataHandler().data_open(request)
                        except Exception as error:
                            raise _refuse(url, "malformed data URI") from error
                        return URLFetcherResponse(url, response.read(), dict(response.headers.items()))
                    if scheme == ASSET_SCHEME:
                        path = resolve_asset(url, self._static_dir)
                        if path is None:
                            raise _refuse(url, "not a file under the static directory")
                        try:
                            with path.open("rb") as handle:
                                body = handle.read(MAX_ASSET_BYTES + 1)
                        except OSError as error:
                            raise _refuse(url, "unreadable static asset") from error
                        if len(body) > MAX_ASSET_BYTES:
                            raise _refuse(url, "static asset too large")
                        return URLFetcherResponse(url, body, {"Content-Type": _content_type(path)})
                    raise _refuse(url, f"scheme {scheme!r} not allowed" if scheme else "not an absolute URL")

                def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
                    full_url = url.full_url if isinstance(url, urllib.request.Request) else url
                    return self.fetch(full_url)

                def __call__(self, url: str) -> URLFetcherResponse:
                    return self.fetch(url)

            _fetcher_class = RestrictedURLFetcher
            _weasyprint = weasyprint
    return _weasyprint, _fetcher_class


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of the PDFs: the app's template directory and shared filters (autoescaped), and
    ``StrictUndefined``, so that a value missing from the context fails the render instead of leaving a blank."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return configure(env)


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """The HTML a PDF template gives for ``context`` (what :func:`render_template_pdf` hands to WeasyPrint)."""
    return environment().get_template(template_name).render(**context)


#: The longest document we render, in estimated pages (a long nota is 10–20; the refused one was ~300).
MAX_PAGES = 120
CHARS_PER_LINE = 90
LINES_PER_PAGE = 45
_UNSEEN = re.compile(r"<(style|script|title)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<(?:p|li|tr|h[1-6]|br|blockquote|pre|dt|dd|hr|caption|figcaption)\b", re.IGNORECASE)
_FIGURE = re.compile(r"<(?:svg|img)\b", re.IGNORECASE)
FIGURE_LINES = 12


def estimated_pages(html: str) -> int:
    """A generous page count from the HTML alone: lines of text (``CHARS_PER_LINE``) plus one line per block
    element (a list of one-word items is as long as its items) and ``FIGURE_LINES`` per image or chart."""
    body = _UNSEEN.sub(" ", html)
    figures = len(_FIGURE.findall(body))
    body = re.sub(r"<svg\b.*?</svg\s*>", " ", body, flags=re.IGNORECASE | re.DOTALL)
    blocks = len(_BLOCK.findall(body))
    chars = len(" ".join(_TAG.sub(" ", body).split()))
    return math.ceil((chars / CHARS_PER_LINE + blocks + figures * FIGURE_LINES) / LINES_PER_PAGE)


class PdfTooLarge(FieldErrors):
    """422: the document would be longer than MAX_PAGES; the Dutch message says what to do."""

    def __init__(self, pages: int) -> None:
        super().__init__({}, detail=(
            f"Dit document is te lang om als PDF te maken: ongeveer {pages} pagina's, en het maximum is {MAX_PAGES}. "
            "Maak de tekst korter (bij een signaalnota: de secties en citaten, of minder dossiers) en probeer "
            "het opnieuw."))
        self.pages = pages


async def render_template_pdf(
    template_name: str, context: dict[str, Any], meta: PdfMeta, *, extra_css: str | None = None
) -> RenderedPdf:
    """Fill a PDF template (e.g. ``"pdf/nota.html"``) and render it to a tagged PDF/UA-1 document."""
    html = await anyio.to_thread.run_sync(functools.partial(render_html, template_name, context))
    return await _produce(html, meta, extra_css)


async def render_pdf(html: str, meta: PdfMeta, *, extra_css: str | None = None) -> bytes:
    """Render HTML already in hand to a tagged PDF/UA-1 document and return its bytes (the app's own documents
    come from templates: :func:`render_template_pdf`)."""
    return (await _produce(html, meta, extra_css)).pdf


def _assets(static_dir: Path) -> str:
    """What the static assets are now (path, size, mtime): part of the cache key, so new CSS means a new render."""
    try:
        files = sorted(p for p in static_dir.rglob("*") if p.is_file())
        return "\n".join(f"{p.relative_to(static_dir)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
    except OSError:
        return ""


def _prepare(html: str, meta: PdfMeta, extra_css: str | None, static_dir: Path, cache_dir: Path,
             ) -> tuple[str, RenderedPdf | None]:
    """Size cap, cache key and cache lookup (blocking: runs in a worker thread)."""
    pages = estimated_pages(html)
    if pages > MAX_PAGES:
        raise PdfTooLarge(pages)
    from importlib.metadata import version

    cache_key = pdf_cache.key(html, repr(meta), extra_css or "", str(static_dir), _assets(static_dir),
                              version("weasyprint"))
    cached = pdf_cache.get(cache_key, cache_dir) if get_settings().pdf_cache_mb else None
    return cache_key, RenderedPdf(pdf=cached[0], pages=cached[1]) if cached else None


async def _produce(html: str, meta: PdfMeta, extra_css: str | None) -> RenderedPdf:
    """The one path of every PDF: size cap, cache, bounded pool of worker processes (see the module docstring)."""
    static_dir, cache_dir = STATIC_DIR, pdf_cache.CACHE_DIR
    cache_key, cached = await anyio.to_thread.run_sync(_prepare, html, meta, extra_css, static_dir, cache_dir)
    if cached is not None:
        return cached
    cache_bytes = get_settings().pdf_cache_mb * 1024 * 1024
    rendered, warnings = await pdf_pool.pool().run(
        cache_key, render_job, html, meta, extra_css, static_dir, cache_key, cache_dir, cache_bytes)
    for warning in warnings:  # what the worker logged (refused resources), in the server's own log
        logger.warning("%s", warning)
    return rendered


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_job(html: str, meta: PdfMeta, extra_css: str | None, static_dir: Path, cache_key: str,
               cache_dir: Path, cache_bytes: int) -> tuple[RenderedPdf, list[str]]:
    """What a worker process of the pool does: render, keep the result in the cache, and hand back the PDF with
    the warnings it logged (the server logs them: the worker's own log goes nowhere)."""
    collect = _Collect()
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        rendered = _render_document(html, meta, extra_css=extra_css, static_dir=static_dir)
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
    pdf_cache.put(cache_key, rendered.pdf, rendered.pages, cache_dir, cache_bytes)
    return rendered, collect.messages


def _render_document(html: str, meta: PdfMeta, *, extra_css: str | None = None,
                     static_dir: Path | None = None) -> RenderedPdf:
    """Render our own HTML to a tagged PDF/UA-1 document: its bytes and its page count (synchronous)."""
    _load_weasyprint()
    from weasyprint.urls import URLFetchingError

    static_dir = STATIC_DIR if static_dir is None else static_dir
    try:
        return _render(html, meta, extra_css, static_dir, lenient=False)
    except URLFetchingError as error:
        # WeasyPrint 70 catches fetch errors everywhere except for a few paths (e.g. the
        # src of an @color-profile rule). Render again with refused URLs answered by an
        # empty body, so a refused resource is missing instead of fatal.
        logger.warning("PDF render hit an uncaught refused resource (%s); rendering again", type(error).__name__)
        return _render(html, meta, extra_css, static_dir, lenient=True)


def _table_header_scopes(_document: Any, pdf: Any) -> None:
    """Give every TH of the structure tree its ``/Scope`` (PDF/UA): WeasyPrint 70 writes none.

    WeasyPrint reads ``<th scope="row">`` only to link a row's data cells to it (``/Headers``), so a TH is a row
    header exactly when a data cell of its own row names it; every other TH heads its column.
    """
    elements: list[Any] = [obj for obj in pdf.objects if isinstance(obj, dict)]
    by_reference = {obj.reference: obj for obj in elements}
    for row in by_reference.values():
        if row.get("S") != "/TR":
            continue
        cells = [by_reference[kid] for kid in row.get("K", ()) if kid in by_reference]
        named = {id(key) for cell in cells if cell.get("S") == "/TD" for key in cell.get("A", {}).get("Headers", ())}
        for cell in cells:
            if cell.get("S") == "/TH" and "A" in cell:
                cell["A"]["Scope"] = "/Row" if id(cell.get("ID")) in named else "/Column"


def _render(html: str, meta: PdfMeta, extra_css: str | None, static_dir: Path, *, lenient: bool) -> RenderedPdf:
    weasyprint, fetcher_class = _load_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fetcher = fetcher_class(static_dir, lenient=lenient)
    document_html = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    root = document_html.etree_element
    if not (root.get("lang") or "").strip():
        root.set("lang", meta.lang)
    # Our PDFs never embed files: drop rel="attachment" from <a> and <link>.
    for element in root.iter():
        if element.tag in ("a", "link") and "attachment" in (element.get("rel") or "").lower().split():
            del element.attrib["rel"]

    font_config = FontConfiguration()
    stylesheets = []
    if extra_css:
        stylesheets.append(
            weasyprint.CSS(string=extra_css, base_url=BASE_URL, url_fetcher=fetcher, font_config=font_config)
        )
    options: dict[str, Any] = {
        "pdf_variant": "pdf/ua-1",
        "pdf_tags": True,
        "stylesheets": stylesheets,
    }
    document = document_html.render(font_config=font_config, **options)

    metadata = document.metadata
    if meta.title:
        metadata.title = meta.title
    if meta.author:
        metadata.authors = [meta.author]
    if meta.subject:
        metadata.description = meta.subject
    if meta.keywords:
        metadata.keywords = [keyword for keyword in meta.keywords if keyword]
    metadata.attachments = []  # belt and braces, see rel="attachment" above

    pdf = document.write_pdf(finisher=_table_header_scopes, **options)
    assert isinstance(pdf, bytes)
    return RenderedPdf(pdf=pdf, pages=len(document.pages))
