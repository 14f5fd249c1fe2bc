"""Story text from a saved web page, with the standard library's HTML parser.

Users drop saved pages into a story folder as often as plain text. Reading the markup as text
would put tags, scripts and menus into the summary, so pages are reduced to their visible
text first: script, style, navigation, header, footer, form and aside content is dropped,
block elements become paragraph breaks, and the page's <title> becomes the document title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "form", "aside",
                      "svg", "iframe", "button", "select", "head"})
_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                     "blockquote", "pre", "tr", "table", "ul", "ol", "figure", "figcaption", "main", "hr",
                     "dd", "dt", "address"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
                   "track", "wbr", "param"})
_MARKUP_START = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_TAG = re.compile(r"</?(?:p|div|span|a|br|html|body|head|title|script|article|section|h[1-6])\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """A saved web page or an HTML fragment, rather than prose that mentions a tag."""
    head = text[:4096]
    return bool(_MARKUP_START.match(head)) or len(_TAG.findall(head)) >= 5


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.site_name = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "meta":
            values = dict(attrs)
            if (values.get("property") or values.get("name") or "").lower() == "og:site_name":
                self.site_name = " ".join((values.get("content") or "").split())
        if tag == "title":
            self.in_title = True
        elif tag in _SKIPPED and tag not in _VOID:
            self.skip_depth += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIPPED and self.skip_depth:
            self.skip_depth -= 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip_depth:
            self.parts.append(data)


@dataclass(frozen=True)
class Page:
    """What a saved web page says: its story (one paragraph per line), its headline (the
    ``<title>`` without the site suffix), the site's name and the date it states ("" if none)."""

    text: str
    title: str
    site_name: str
    date: str = ""  # YYYY-MM-DD


def _standard_library_page(markup: str) -> Page:
    """The visible text, the headline and the site name (``og:site_name`` or the title's suffix)."""
    from summarizer.ingest.outlet import split_title

    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    headline, site = split_title(" ".join("".join(parser.title_parts).split()), parser.site_name)
    return Page("\n".join(line for line in lines if line), headline, site)


def read_page(markup: str) -> Page:
    """A saved web page's story: trafilatura's main-content extraction (the article without
    menus, cookie banners, reader comments or newsletter pitches; its headline, site name and
    date), or the standard-library reader above where trafilatura finds no article (a fragment,
    a page of one short paragraph)."""
    from summarizer.ingest.outlet import split_title

    try:
        import trafilatura
    except ImportError:  # a dependency; kept optional so that a broken install still reads pages
        return _standard_library_page(markup)
    text = trafilatura.extract(markup, output_format="txt", include_comments=False, include_tables=False)
    if not text or len(text.split()) < 5:
        return _standard_library_page(markup)
    metadata = trafilatura.extract_metadata(markup)
    title, site = (metadata.title or "", metadata.sitename or "") if metadata else ("", "")
    if not title or not site:  # the page's <title> and og:site_name, read by our own parser
        fallback = _standard_library_page(markup)
        title, site = title or fallback.title, site or fallback.site_name
    # trafilatura takes the site suffix off the title; without og:site_name the suffix names the site
    headline, site = split_title(title, site)
    return Page(text, headline, site, ((metadata.date if metadata else "") or "")[:10])
