"""Markdown for user text: Python-Markdown without raw HTML, always followed by nh3.

User text (signals, notes, comments) is untrusted. The pipeline is:

1. Python-Markdown with a fixed set of extensions and *no* raw HTML: the HTML block
   preprocessor and the inline HTML pattern are removed, so ``<script>`` in the input is
   serialised as text (``&lt;script&gt;``). Images become their alt text; headings are
   shifted one level down (``#`` -> ``<h2>``, capped at ``<h4>``) because the page owns
   its ``<h1>``.
2. ``nh3.clean`` with an explicit allow-list, only absolute ``http``/``https``/``mailto``
   links (relative URLs are dropped) and ``rel="noopener noreferrer nofollow"``.

There is never an ``<img>`` in the output: user text must not make a browser, the server
or a PDF renderer fetch anything.

A new ``Markdown`` instance is built per call, so the functions are thread-safe.
"""

from __future__ import annotations

import re
import types
import xml.etree.ElementTree as etree
from html import escape
from html.parser import HTMLParser

import markdown as _markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "LINK_REL", "markdown_to_text", "render_markdown"]

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
        "h2", "h3", "h4", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {"a": frozenset({"href", "title"})}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

# "extra" without md_in_html (raw HTML), attr_list (lets user text set attributes such as
# href or onclick; nh3 would strip them, but there is no reason to offer it) and footnotes
# (their id/sup/backref markup is not on the allow-list and would only leave debris).
_EXTENSIONS = ("abbr", "def_list", "fenced_code", "tables", "sane_lists", "nl2br")

_HEADING_MAP = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}


class _SafeTreeprocessor(Treeprocessor):
    """Shift headings down and replace every ``<img>`` by its alt text."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in _HEADING_MAP:
                element.tag = _HEADING_MAP[element.tag]
        # Collect first: the tree must not be mutated while iterating over it.
        parents = [parent for parent in root.iter() if any(child.tag == "img" for child in parent)]
        for parent in parents:
            last_kept: etree.Element | None = None
            for child in list(parent):
                if child.tag != "img":
                    last_kept = child
                    continue
                replacement = (child.get("alt") or "") + (child.tail or "")
                if last_kept is None:
                    parent.text = (parent.text or "") + replacement
                else:
                    last_kept.tail = (last_kept.tail or "") + replacement
                parent.remove(child)


# Python-Markdown scans for the closing "]" / ")" of every "[" / "(" character by
# character, which is quadratic on hostile input ("[a " * 6000 takes ~17 s, "[" * 20000
# over a minute). These bounds keep the worst case of a 20 000-character text well under
# a second; real link texts and URLs stay far inside them.
MAX_BRACKET_DEPTH = 32
MAX_LINK_TEXT = 2000  # characters between [ and ]
MAX_LINK_TARGET = 1024  # characters between ( and ), URL and title together
_BRACKET = re.compile(r"[\[\]]")


def _bounded_get_text(self: LinkInlineProcessor, data: str, index: int) -> tuple[str, int, bool]:
    """``LinkInlineProcessor.getText`` with a depth and length bound (same result otherwise)."""
    depth = 1
    for match in _BRACKET.finditer(data, index, index + MAX_LINK_TEXT):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return data[index : match.start()], match.end(), True
        if depth > MAX_BRACKET_DEPTH:
            break
    return "", index, False


def _bounded_get_link(self: LinkInlineProcessor, data: str, index: int) -> tuple[str, str | None, int, bool]:
    """``LinkInlineProcessor.getLink`` that looks at most ``MAX_LINK_TARGET`` characters ahead."""
    end = index + MAX_LINK_TARGET
    if ")" not in data[index:end]:
        return "", None, index, False
    return LinkInlineProcessor.getLink(self, data[:end], index)


_LINK_PATTERNS = ("link", "image_link", "reference", "image_reference", "short_reference", "short_image_ref")


class _NoRawHtmlExtension(Extension):
    def extendMarkdown(self, md: _markdown.Markdown) -> None:  # noqa: N802 (Markdown API)
        # Raw HTML blocks and inline tags are no longer recognised, so they are
        # serialised as escaped text like any other character data.
        md.preprocessors.deregister("html_block", strict=False)
        md.inlinePatterns.deregister("html", strict=False)
        # Bound the link scanners on this instance only (no global monkeypatching).
        for name in _LINK_PATTERNS:
            if name in md.inlinePatterns:
                processor = md.inlinePatterns[name]
                processor.getText = types.MethodType(_bounded_get_text, processor)
                if hasattr(processor, "getLink"):
                    processor.getLink = types.MethodType(_bounded_get_link, processor)
        # Run after "inline" (20) so images created from inline patterns are seen.
        md.treeprocessors.register(_SafeTreeprocessor(md), "signaalwerk_safe", 15)


def _build_markdown() -> _markdown.Markdown:
    return _markdown.Markdown(
        extensions=[*_EXTENSIONS, _NoRawHtmlExtension()],
        output_format="html",
    )


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _plain_paragraphs(text: str) -> str:
    """Fallback for input Python-Markdown cannot parse (e.g. thousands of nested lists)."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    return "\n".join("<p>" + escape(p, quote=False).replace("\n", "<br>\n") + "</p>" for p in paragraphs)


def _to_safe_html(text: str) -> str:
    try:
        html = _build_markdown().convert(text)
    except RecursionError:
        html = _plain_paragraphs(text)
    return _clean(html)


def render_markdown(text: str | None) -> Markup:
    """Render untrusted Markdown to sanitised HTML, safe to put in a template or a PDF."""
    if not text:
        return Markup("")
    return Markup(_to_safe_html(text))  # noqa: S704 (sanitised by nh3 above)


# Tags that separate paragraphs (blank line) and tags that start a new line.
_PARAGRAPH_TAGS = frozenset({"p", "ul", "ol", "blockquote", "pre", "h2", "h3", "h4", "hr", "table"})
_LINE_TAGS = frozenset({"li", "tr", "br"})
_CELL_TAGS = frozenset({"th", "td"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._pre_depth += 1
        if tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in _LINE_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        if tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # Outside <pre>, a newline in the HTML source is just white space.
        self.parts.append(data if self._pre_depth else data.replace("\n", " "))


_MANY_NEWLINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]+")


def markdown_to_text(text: str | None) -> str:
    """Plain text of the rendered Markdown (for search snippets, alt texts, exports).

    Formatting is dropped; block elements become line breaks, paragraphs are separated
    by one blank line. The result is *text*, not HTML: escape it when you put it in HTML.
    """
    if not text:
        return ""
    extractor = _TextExtractor()
    extractor.feed(_to_safe_html(text))
    extractor.close()
    joined = "".join(extractor.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in joined.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def sanitized_html(html: str | None) -> Markup:
    """HTML from elsewhere (a mail in the outbox) reduced to the same allow-list: shown, never executed."""
    return Markup(_clean(html or ""))  # noqa: S704 - nh3 has cleaned it
