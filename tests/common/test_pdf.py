"""common.pdf: PDF/UA output, and a URL fetcher that only serves our own static assets."""

from __future__ import annotations

import base64
import io
import logging
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jinja2
import pytest

import common.pdf as pdf_module
from common import pdf_cache
from common.pdf import PdfMeta, RenderedPdf, resolve_asset
from tests.support import pdf_objects, sync

REPO_ROOT = Path(__file__).resolve().parents[2]
POPPLER = ("pdftotext", "pdfinfo", "pdffonts", "pdfimages")
pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER), reason="poppler-utils not installed"
)

META = PdfMeta(title="Signaalrapport Rabot", author="Jeugdopbouwwerk Gent")


# --------------------------------------------------------------------------- helpers


def _run(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"out-{tool}.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 (fixed poppler tools)
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8", errors="replace")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    return _run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")


def pdf_info(pdf: bytes, tmp_path: Path, *args: str) -> str:
    return _run("pdfinfo", pdf, tmp_path, *args)


def pdf_image_count(pdf: bytes, tmp_path: Path) -> int:
    lines = _run("pdfimages", pdf, tmp_path, "-list").splitlines()
    return len([line for line in lines[2:] if line.strip()])  # two header lines




def png_bytes() -> bytes:
    from PIL import Image  # Pillow is a WeasyPrint dependency

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def page(body: str, head: str = "", lang: str | None = None) -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"<!doctype html><html{lang_attr}><head><meta charset=utf-8>{head}</head><body>{body}</body></html>"


def render_pdf(html: str, meta: PdfMeta, *, extra_css: str | None = None) -> bytes:
    """common.pdf.render_pdf (async: the one path, through the worker pool) from a plain test."""
    return sync(pdf_module.render_pdf(html, meta, extra_css=extra_css))


def render_template_pdf(template_name: str, context: dict, meta: PdfMeta) -> RenderedPdf:
    return sync(pdf_module.render_template_pdf(template_name, context, meta))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test renders for real (a cached render logs no refused URLs)."""
    directory = tmp_path / "pdf-cache"
    monkeypatch.setattr(pdf_cache, "CACHE_DIR", directory)
    return directory



@pytest.fixture
def static_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway STATIC_DIR with an asset, plus symlinks that point out of it."""
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "img").mkdir()
    (static / "css" / "print.css").write_text('p.merk::after { content: " ASSET-RULE-APPLIED"; }\n')
    (static / "img" / "dot.png").write_bytes(png_bytes())

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.css").write_text('p::after { content: " SYMLINK-LEAK"; }\n')
    (outside / "leak.png").write_bytes(png_bytes())
    (static / "evil.css").symlink_to(outside / "leak.css")
    (static / "evil.png").symlink_to(outside / "leak.png")
    (static / "evildir").symlink_to(outside, target_is_directory=True)
    (static / "passwd.css").symlink_to("/etc/passwd")
    # A symlink that stays inside STATIC_DIR is fine.
    (static / "css" / "alias.css").symlink_to(static / "css" / "print.css")

    monkeypatch.setattr(pdf_module, "STATIC_DIR", static)
    return static


class _RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.connections = 0
        self.requests: list[str] = []
        self.lock = threading.Lock()


class _RecordingHandler(BaseHTTPRequestHandler):
    server: _RecordingServer

    def setup(self) -> None:
        with self.server.lock:
            self.server.connections += 1  # any TCP connection, even one that never sends a request
        super().setup()

    def _answer(self) -> None:
        with self.server.lock:
            self.server.requests.append(f"{self.command} {self.path}")
        if self.path.endswith(".png"):
            body, kind = png_bytes(), "image/png"
        else:
            body, kind = b'p::after { content: " REMOTE-LOADED"; }', "text/css"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def http_server() -> Iterator[_RecordingServer]:
    server = _RecordingServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- output


def test_simple_html_renders_text(tmp_path: Path) -> None:
    pdf = render_pdf(page("<h1>Signalen uit de wijk</h1><p>Jongeren vragen een plek om te sporten.</p>"), META)
    assert pdf.startswith(b"%PDF-1.7")
    text = pdf_text(pdf, tmp_path)
    assert "Signalen uit de wijk" in text
    assert "Jongeren vragen een plek om te sporten." in text


def test_metadata_title_author_subject_keywords(tmp_path: Path) -> None:
    meta = PdfMeta(
        title="Signaalrapport Rabot", author="Jeugdopbouwwerk Gent", subject="Sport", keywords=("sport", "wijk")
    )
    pdf = render_pdf(page("<p>inhoud</p>", head="<title>Andere titel</title>"), meta)
    info = pdf_info(pdf, tmp_path)
    assert re.search(r"^Title:\s+Signaalrapport Rabot$", info, re.MULTILINE)
    assert re.search(r"^Author:\s+Jeugdopbouwwerk Gent$", info, re.MULTILINE)
    assert re.search(r"^Subject:\s+Sport$", info, re.MULTILINE)
    assert re.search(r"^Keywords:\s+sport, wijk$", info, re.MULTILINE)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)


def test_pdf_ua_structure_and_language(tmp_path: Path) -> None:
    pdf = render_pdf(page("<h1>Kop</h1><p>Tekst</p>"), META)
    objects = pdf_objects(pdf)
    assert b"/Lang (nl-BE)" in objects
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true", objects)
    assert b"/DisplayDocTitle true" in objects
    xmp = pdf_info(pdf, tmp_path, "-meta")
    assert "pdfuaid" in xmp
    assert 'pdfuaid:part="1"' in xmp
    assert "Signaalrapport Rabot" in xmp


def test_html_lang_wins_over_meta_lang() -> None:
    pdf = render_pdf(page("<p>Bonjour</p>", lang="fr-BE"), META)
    assert b"/Lang (fr-BE)" in pdf_objects(pdf)
    pdf = render_pdf(page("<p>Hello</p>"), PdfMeta(title="T", author="A", lang="en"))
    assert b"/Lang (en)" in pdf_objects(pdf)


def test_fonts_are_embedded(tmp_path: Path) -> None:
    pdf = render_pdf(page('<p style="font-family: DejaVu Sans">Lettertype é ë ç</p>'), META)
    rows = _run("pdffonts", pdf, tmp_path).splitlines()[2:]
    rows = [row for row in rows if row.strip()]
    assert rows, "no fonts listed"
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", row
    assert any("DejaVu" in row for row in rows)


def test_extra_css_is_applied(tmp_path: Path) -> None:
    pdf = render_pdf(page("<p>Basis</p>"), META, extra_css='p::after { content: " EXTRA-CSS-OK"; }')
    assert "EXTRA-CSS-OK" in pdf_text(pdf, tmp_path)


def test_weasyprint_is_imported_lazily() -> None:
    code = "import sys, common.pdf; assert 'weasyprint' not in sys.modules, 'imported eagerly'"
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True, timeout=60)  # noqa: S603


# --------------------------------------------------------------------------- own assets


def test_own_static_css_is_fetched(static_dir: Path, tmp_path: Path) -> None:
    html = page('<p class="merk">Gemarkeerd</p>', head='<link rel="stylesheet" href="/static/css/print.css">')
    text = pdf_text(render_pdf(html, META), tmp_path)
    assert "Gemarkeerd ASSET-RULE-APPLIED" in text


def test_own_static_css_via_relative_url_import_and_inner_symlink(static_dir: Path, tmp_path: Path) -> None:
    html = page(
        '<p class="merk">Relatief</p>',
        head='<link rel="stylesheet" href="static/css/alias.css">',
    )
    assert "ASSET-RULE-APPLIED" in pdf_text(render_pdf(html, META), tmp_path)
    html = page('<p class="merk">Import</p>', head='<style>@import url("/static/css/print.css");</style>')
    assert "ASSET-RULE-APPLIED" in pdf_text(render_pdf(html, META), tmp_path)


def test_own_static_image_is_fetched(static_dir: Path, tmp_path: Path) -> None:
    without = render_pdf(page("<p>Zonder</p>"), META)
    with_image = render_pdf(page('<p>Met</p><img src="/static/img/dot.png" alt="stip">'), META)
    assert pdf_image_count(without, tmp_path) == 0
    assert pdf_image_count(with_image, tmp_path) == 1


def test_data_uri_image_renders(tmp_path: Path) -> None:
    data_uri = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    without = render_pdf(page("<p>Zonder</p>"), META)
    with_image = render_pdf(page(f'<p>Met</p><img src="{data_uri}" alt="rood vierkant">'), META)
    assert pdf_image_count(with_image, tmp_path) == pdf_image_count(without, tmp_path) + 1


@pytest.mark.parametrize(
    "url",
    [
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/css/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static//etc/passwd",
        "/static/css\\..\\..\\x",
        "/static/evil.css",
        "/static/evildir/leak.css",
        "/static/passwd.css",
        "/static/css",
        "/static/",
        "/etc/passwd",
        "file:///etc/passwd",
        "signaalwerk-asset://host/static/css/print.css",
        "signaalwerk-asset:/static/%ff.css",
        "signaalwerk-asset:/static/nope.css",
    ],
)
def test_resolve_asset_refuses(static_dir: Path, url: str) -> None:
    assert resolve_asset(url) is None


def test_resolve_asset_accepts(static_dir: Path) -> None:
    target = (static_dir / "css" / "print.css").resolve()
    assert resolve_asset("/static/css/print.css") == target
    assert resolve_asset("signaalwerk-asset:/static/css/print.css?v=3#x") == target
    assert resolve_asset("signaalwerk-asset:/static/css/alias.css") == target
    assert resolve_asset("signaalwerk-asset:/static/img/dot.png", static_dir) == (static_dir / "img/dot.png").resolve()


# --------------------------------------------------------------------------- hostile HTML


def test_hostile_html_fetches_nothing(
    static_dir: Path, http_server: _RecordingServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = http_server.server_address[1]
    remote = f"http://127.0.0.1:{port}"
    head = f"""
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="{remote}/link.css">
      <link rel="stylesheet" href="//127.0.0.1:{port}/protocol-relative.css">
      <link rel="stylesheet" href="https://127.0.0.1:{port}/tls.css">
      <link rel="stylesheet" href="ftp://127.0.0.1:{port}/ftp.css">
      <link rel="stylesheet" href="/static/../../etc/passwd">
      <link rel="stylesheet" href="/static/%2e%2e/%2e%2e/etc/passwd">
      <link rel="stylesheet" href="/static/evil.css">
      <link rel="stylesheet" href="/static/evildir/leak.css">
      <link rel="stylesheet" href="/static/passwd.css">
      <link rel="attachment" href="{remote}/attachment.bin">
      <style>
        @import url({remote}/import.css);
        @import url("file:///etc/passwd");
        body {{ background: url(file:///etc/hostname); }}
        h1 {{ background-image: url({remote}/background.png); }}
        @font-face {{ font-family: Remote; src: url({remote}/font.woff2); }}
        @font-face {{ font-family: Local; src: url(file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf); }}
        p {{ font-family: Remote, Local, sans-serif; }}
      </style>
    """
    body = f"""
      <h1>Kop</h1>
      <p>Veilige tekst</p>
      <img src="file:///etc/passwd" alt="">
      <img src="{remote}/x.png" alt="">
      <img src="/static/../../etc/passwd" alt="">
      <img src="/static/evil.png" alt="">
      <img src="/static/evildir/leak.png" alt="">
      <object data="{remote}/object.png" type="image/png"></object>
      <embed src="{remote}/embed.png" type="image/png">
      <iframe src="{remote}/frame.html"></iframe>
      <svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">
        <image href="{remote}/svg.png" width="20" height="20"/>
        <image href="file:///etc/passwd" width="20" height="20"/>
      </svg>
      <a rel="attachment" href="{remote}/anchor-attachment.bin">bijlage</a>
      <a href="{remote}/link">gewone link</a>
    """
    with caplog.at_level(logging.WARNING, logger="signaalwerk.pdf"):
        pdf = render_pdf(page(body, head=head), META, extra_css=f"@import url({remote}/extra.css);")

    assert http_server.connections == 0, http_server.requests
    assert http_server.requests == []

    text = pdf_text(pdf, tmp_path)
    assert "Veilige tekst" in text
    assert "root:" not in text
    assert "REMOTE-LOADED" not in text
    assert "SYMLINK-LEAK" not in text
    assert pdf_image_count(pdf, tmp_path) == 0
    assert b"/EmbeddedFiles" not in pdf_objects(pdf)
    assert b"root:x:" not in pdf_objects(pdf)

    refused = [r.getMessage() for r in caplog.records if r.name == "signaalwerk.pdf"]
    assert any("'file:///etc/passwd'" in message for message in refused)
    assert any(f"{remote}/x.png" in message for message in refused)
    assert any("/static/evil.css" in message for message in refused)


def test_base_href_does_not_redirect_fetches(static_dir: Path, http_server: _RecordingServer, tmp_path: Path) -> None:
    port = http_server.server_address[1]
    html = page(
        '<p class="merk">Basis</p><img src="x.png" alt="">',
        head=f'<base href="http://127.0.0.1:{port}/"><link rel="stylesheet" href="style.css">',
    )
    pdf = render_pdf(html, META)
    assert http_server.connections == 0
    assert "REMOTE-LOADED" not in pdf_text(pdf, tmp_path)


def test_uncaught_fetch_path_does_not_raise(
    http_server: _RecordingServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """WeasyPrint 70 does not catch fetch errors for @color-profile; render_pdf still succeeds."""
    port = http_server.server_address[1]
    css = (
        f"@color-profile --remote {{ src: url(http://127.0.0.1:{port}/profile.icc); }}"
        "@color-profile --local { src: url(file:///etc/passwd); }"
    )
    with caplog.at_level(logging.WARNING, logger="signaalwerk.pdf"):
        pdf = render_pdf(page("<p>Profiel</p>", head=f"<style>{css}</style>"), META)
    assert "Profiel" in pdf_text(pdf, tmp_path)
    assert http_server.connections == 0
    assert any("rendering again" in r.getMessage() for r in caplog.records)


def test_refused_url_is_logged_safely(caplog: pytest.LogCaptureFixture) -> None:
    hostile = "gopher://x/\u202e\n\x1b[31mFAKE LOG LINE" + "A" * 500
    with caplog.at_level(logging.WARNING, logger="signaalwerk.pdf"):
        render_pdf(page(f'<img src="{hostile}" alt="">'), META)
    messages = [r.getMessage() for r in caplog.records if r.name == "signaalwerk.pdf"]
    assert messages
    for message in messages:
        assert message.isascii()
        assert "\n" not in message and "\x1b" not in message
        assert len(message) < 400


def test_real_print_css(tmp_path: Path) -> None:
    """The shipped base stylesheet is served from the real STATIC_DIR and applied."""
    assert (pdf_module.STATIC_DIR / "pdf" / "print.css").is_file()
    assert pdf_module.STATIC_DIR == REPO_ROOT / "static"
    html = page("<h1>Rapport</h1><p>Tekst</p>", head=f'<link rel="stylesheet" href="{pdf_module.PRINT_CSS}">')
    pdf = render_pdf(html, META)
    assert "Pagina 1 van 1" in pdf_text(pdf, tmp_path)
    fonts = _run("pdffonts", pdf, tmp_path)
    assert "DejaVuSans" in fonts.replace("-", "").replace(" ", "")


# --------------------------------------------------------------------------- templates: render_template_pdf


@pytest.fixture
def templates(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Extra templates (name → source) for the PDF environment, in front of the app's own."""
    extra: dict[str, str] = {}
    env = pdf_module.environment()
    monkeypatch.setattr(env, "loader", jinja2.ChoiceLoader([jinja2.DictLoader(extra), env.loader]))
    return extra


def test_the_page_count_is_what_pdfinfo_reads(templates: dict[str, str], tmp_path: Path) -> None:
    templates["test/pagina's.html"] = page(
        '{% for i in range(n) %}<section style="break-after: page">Pagina {{ i }}</section>{% endfor %}'
        "{% for i in range(regels) %}<p>Regel {{ i }} die doorloopt.</p>{% endfor %}",
        head=f'<link rel="stylesheet" href="{pdf_module.PRINT_CSS}">',
    )
    for n, regels in ((0, 1), (4, 0), (3, 300)):
        rendered = render_template_pdf("test/pagina's.html", {"n": n, "regels": regels}, META)
        assert isinstance(rendered, RenderedPdf) and rendered.pdf.startswith(b"%PDF-")
        pdfinfo_pages = int(re.search(r"Pages:\s+(\d+)", pdf_info(rendered.pdf, tmp_path))[1])
        assert rendered.pages == pdfinfo_pages
    assert rendered.pages > 4  # the last one: three forced breaks and 300 lines that flow over pages
    assert f"Pagina 1 van {rendered.pages}" in pdf_text(rendered.pdf, tmp_path)


def test_the_app_filters_and_autoescaping_work_in_the_pdf_environment(
    templates: dict[str, str], tmp_path: Path
) -> None:
    import datetime as dt

    templates["test/filters.html"] = page(
        "<div>{{ tekst | markdown }}</div><p>Om {{ moment | lokaal }}.</p><p>{{ ruw }}</p>"
    )
    context = {"tekst": "Een **vette** zin met <script>x</script>", "ruw": "<b>geen opmaak</b>",
               "moment": dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC)}
    html = pdf_module.render_html("test/filters.html", context)
    assert "<strong>vette</strong>" in html and "<script>" not in html  # markdown, sanitised
    assert "Om 01/07/2026 12:30." in html  # lokaal: Brussels summer time
    assert "&lt;b&gt;geen opmaak&lt;/b&gt;" in html  # autoescaped
    text = " ".join(pdf_text(render_template_pdf("test/filters.html", context, META).pdf, tmp_path).split())
    assert "Een vette zin" in text and "**" not in text
    assert "Om 01/07/2026 12:30." in text and "<b>geen opmaak</b>" in text


def test_a_missing_template_value_fails_the_render(templates: dict[str, str]) -> None:
    templates["test/strikt.html"] = page("<p>{{ ontbreekt }}</p>")
    with pytest.raises(jinja2.UndefinedError):
        render_template_pdf("test/strikt.html", {}, META)


def test_the_pdf_environment_is_the_apps_template_directory() -> None:
    from web import templating

    env = pdf_module.environment()
    assert pdf_module.TEMPLATES_DIR == REPO_ROOT / "templates"
    assert env.get_template("pdf/nota.html").filename == str(REPO_ROOT / "templates" / "pdf" / "nota.html")

    class Engine:  # what web.templating.setup gets from Litestar: something with an `engine`
        engine = jinja2.Environment(autoescape=False)  # noqa: S701 (setup must turn it on)

    templating.setup(Engine)  # type: ignore[arg-type]
    assert Engine.engine.autoescape is True
    for name in ("markdown", "lokaal"):
        assert Engine.engine.filters[name] is env.filters[name]


def test_a_rendered_template_still_fetches_no_file_or_http_url(
    templates: dict[str, str],
    http_server: _RecordingServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    remote = f"http://127.0.0.1:{http_server.server_address[1]}"
    templates["test/vijandig.html"] = page(
        '<p>Veilige tekst</p><img src="{{ afbeelding }}" alt=""><img src="{{ remote }}/x.png" alt="">'
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        '<image href="file:///etc/passwd" width="20" height="20"/></svg>',
        head='<link rel="stylesheet" href="{{ remote }}/style.css">'
        "<style>@import url(\"file:///etc/passwd\"); body { background: url({{ remote }}/bg.png); }</style>",
    )
    context = {"afbeelding": "file:///etc/passwd", "remote": remote}
    with caplog.at_level(logging.WARNING, logger="signaalwerk.pdf"):
        rendered = render_template_pdf("test/vijandig.html", context, META)
    assert http_server.connections == 0 and http_server.requests == []
    text = pdf_text(rendered.pdf, tmp_path)
    assert "Veilige tekst" in text and "root:" not in text and "REMOTE-LOADED" not in text
    assert pdf_image_count(rendered.pdf, tmp_path) == 0
    assert b"root:x:" not in pdf_objects(rendered.pdf)
    refused = [r.getMessage() for r in caplog.records if r.name == "signaalwerk.pdf"]
    assert any("'file:///etc/passwd'" in message for message in refused)
    assert any(f"{remote}/x.png" in message for message in refused)
    assert any(f"{remote}/style.css" in message for message in refused)
