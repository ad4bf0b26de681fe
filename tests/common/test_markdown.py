"""common.markdown: Markdown for untrusted user text, always sanitised."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from markupsafe import Markup

from common.markdown import markdown_to_text, render_markdown

REL = "noopener noreferrer nofollow"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_safe(html: str) -> None:
    """No active content, whatever the input was."""
    for tag, attrs in parse(html):
        assert tag not in {"script", "img", "iframe", "object", "embed", "style", "svg", "math", "form"}
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name in {"href", "title", "rel"}, (tag, name)
            if name == "href":
                assert tag == "a"
                assert urlsplit(value or "").scheme in {"http", "https", "mailto"}, value


def hrefs(html: str) -> list[str | None]:
    return [attrs.get("href") for tag, attrs in parse(html) if tag == "a"]


def test_empty_and_none() -> None:
    assert render_markdown(None) == Markup("")
    assert render_markdown("") == Markup("")
    assert isinstance(render_markdown(None), Markup)
    assert markdown_to_text(None) == ""
    assert markdown_to_text("") == ""


def test_returns_markup() -> None:
    result = render_markdown("hallo")
    assert isinstance(result, Markup)
    assert str(result) == "<p>hallo</p>"


def test_bold_italic_lists() -> None:
    html = str(render_markdown("**vet** en *schuin*\n\n- een\n- twee\n\n1. eerst\n2. dan"))
    assert "<strong>vet</strong>" in html
    assert "<em>schuin</em>" in html
    assert "<ul>" in html and "<li>een</li>" in html and "<li>twee</li>" in html
    assert "<ol>" in html and "<li>eerst</li>" in html
    assert_safe(html)


def test_table() -> None:
    html = str(render_markdown("| Wijk | Signalen |\n|---|---|\n| Rabot | 3 |"))
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert "<th>Wijk</th>" in html
    assert "<td>Rabot</td>" in html and "<td>3</td>" in html
    assert "style" not in html  # alignment styles are stripped


def test_headings_shift_down_and_block_elements() -> None:
    html = str(render_markdown("# Titel\n\n## Sub\n\n###### Diep\n\n> citaat\n\n---\n\n`code`\n\n```\nblok\n```"))
    assert "<h1" not in html
    assert "<h2>Titel</h2>" in html
    assert "<h3>Sub</h3>" in html
    assert "<h4>Diep</h4>" in html
    assert "<blockquote>" in html
    assert "<hr>" in html
    assert "<code>code</code>" in html
    assert "<pre><code>blok" in html


def test_nl2br() -> None:
    assert str(render_markdown("regel een\nregel twee")) == "<p>regel een<br>\nregel twee</p>"


def test_script_is_escaped_text() -> None:
    html = str(render_markdown("<script>alert(1)</script>"))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert_safe(html)


def test_raw_html_block_is_escaped() -> None:
    html = str(render_markdown('<div onclick="x()">\n<b>vet</b>\n</div>\n\n<!-- verborgen -->'))
    assert "<div" not in html and "<b>" not in html
    assert "&lt;div" in html and "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "&lt;!-- verborgen --&gt;" in html
    assert_safe(html)


def test_img_tag_is_escaped() -> None:
    html = str(render_markdown("<img src=x onerror=alert(1)>"))
    assert "<img" not in html
    assert all(not name.startswith("on") for _, attrs in parse(html) for name in attrs)
    assert "&lt;img" in html
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](\x01javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "[x][1]\n\n[1]: javascript:alert(1)",
        "[x][1]\n\n[1]: JAVASCRIPT:alert(1)",
        "[x]\n\n[x]: data:text/html,<script>alert(1)</script>",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_links_lose_href(source: str) -> None:
    html = str(render_markdown(source))
    assert_safe(html)
    assert all(href is None for href in hrefs(html)), html
    values = [value or "" for _, attrs in parse(html) for value in attrs.values()]
    assert not any("script" in value.lower() or "data:" in value.lower() for value in values), html


def test_relative_links_are_dropped() -> None:
    html = str(render_markdown("[a](/intern) [b](//evil.example/x) [c](#frag)"))
    assert hrefs(html) == [None, None, None]


def test_markdown_image_never_becomes_img() -> None:
    html = str(render_markdown("![a](http://127.0.0.1/x.png)"))
    assert "<img" not in html
    assert "127.0.0.1" not in html
    assert html == "<p>a</p>"  # the alt text stays readable
    html = str(
        render_markdown("voor ![alt](x) na [![in link](y)](https://ok.example)\n\n![r][i]\n\n[i]: http://x/i.png")
    )
    assert "<img" not in html
    assert "voor alt na" in html
    assert '<a href="https://ok.example"' in html and ">in link</a>" in html


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[site](https://example.org/pad?q=1)", "https://example.org/pad?q=1"),
        ("[site](http://example.org)", "http://example.org"),
        ("[mail](mailto:jeugd@example.org)", "mailto:jeugd@example.org"),
        ("<https://example.org/auto>", "https://example.org/auto"),
        ("[ref][1]\n\n[1]: https://example.org/ref", "https://example.org/ref"),
        ("[wiki](https://nl.wikipedia.org/wiki/Brussel_(stad))", "https://nl.wikipedia.org/wiki/Brussel_(stad)"),
    ],
)
def test_safe_links_keep_href_and_get_rel(source: str, href: str) -> None:
    html = str(render_markdown(source))
    assert_safe(html)
    links = [attrs for tag, attrs in parse(html) if tag == "a"]
    assert len(links) == 1
    assert links[0]["href"] == href
    assert links[0]["rel"] == REL


def test_link_title_is_kept() -> None:
    html = str(render_markdown('[x](https://example.org "Uitleg")'))
    assert 'title="Uitleg"' in html


def test_unicode_passes_byte_exact() -> None:
    samples = ["🙂", "مرحبا", "a\u200db", "👩\u200d👩\u200d👧", "\u200b", "\u202bمرحبا\u202c", "Ŝŏmè ĉĥàŕś"]
    source = " ".join(samples)
    html = str(render_markdown(source))
    text = markdown_to_text(source)
    for sample in samples:
        assert sample in html
        assert sample in text
    assert html == f"<p>{source}</p>"


def test_entities_and_ampersands() -> None:
    html = str(render_markdown("Tom & Jerry &amp; 5 < 6"))
    assert html == "<p>Tom &amp; Jerry &amp; 5 &lt; 6</p>"


def test_long_input_works() -> None:
    paragraph = "Een **signaal** over de [wijk](https://example.org) met *nadruk* en `code`.\n"
    source = (paragraph * (20_000 // len(paragraph) + 1))[:20_000] + "\n\nEINDE"
    assert len(source) > 20_000
    html = str(render_markdown(source))
    assert "EINDE" in html
    assert html.count("<strong>signaal</strong>") > 200
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    [
        "[" * 20_000,
        "[a " * 6_700,
        "![" * 10_000,
        "[a](" * 5_000 + ")",
        '[a]("' * 4_000 + ")",
        ("[" + "[]" * 16) * 600,
        "1. " * 6_700,
        "> " * 10_000,
    ],
)
def test_hostile_20k_inputs_are_fast(source: str) -> None:
    start = time.perf_counter()
    html = str(render_markdown(source))
    elapsed = time.perf_counter() - start
    assert elapsed < 5, elapsed  # ~0.5 s here; unbounded Python-Markdown takes minutes
    assert_safe(html)


def test_markdown_to_text() -> None:
    text = markdown_to_text("# Titel\n\nEen **vet** woord & <b>\nvolgende\n\n- a\n- b\n\n[link](https://x.example)")
    assert text == "Titel\n\nEen vet woord & <b>\nvolgende\n\na\nb\n\nlink"


def test_thread_safe() -> None:
    sources = [f"**{i}** [l{i}](https://example.org/{i})\n\n- {i}" for i in range(200)]
    expected = [str(render_markdown(source)) for source in sources]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda s: str(render_markdown(s)), sources))
    assert results == expected
