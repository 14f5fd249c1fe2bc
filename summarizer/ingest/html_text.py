"""Story text from a saved web page, with the standard library's HTML parser.

Users drop saved pages into a story folder as often as plain text. Reading the markup as text
would put tags, scripts and menus into the summary, so pages are reduced to their visible
text first: script, style, navigation, header, footer, form and aside content is dropped,
block elements become paragraph breaks, and the page's <title> becomes the document title.
"""
from __future__ import annotations

import re
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

    def handle_starttag(self, tag: str, attrs) -> None:
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


def html_to_text(markup: str) -> tuple[str, str]:
    """(visible text with one paragraph per line, page title) of an HTML document."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    title = " ".join("".join(parser.title_parts).split())
    return "\n".join(line for line in lines if line), title
