"""Text cleaning: Unicode and quote normalisation, whitespace, and news boilerplate."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from summarizer.text import word_count

_CHAR_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
    "\r": None,
})
_SPACES = re.compile(r"[ \t\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Lines that belong to the page, not the story. Matched against a whole stripped line.
_BOILERPLATE = [re.compile(p, re.IGNORECASE) for p in (
    r"by [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}(?:,? (?:and|&) [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})*"
    r"(?:,? [\w ]{0,40}(?:correspondent|reporter|editor|writer))?\.?",
    r"(?:additional |with )?reporting by .*",
    r"(?:writing|editing|edited|compiled) by .*",
    r"source: .{0,80}",
    r"(?:image|photo|picture|video) (?:caption|source|credit)s?:? .*",
    r"(?:copyright|\(c\)|©) .{0,120}",
    r".{0,80}all rights reserved\.?",
    r"(?:read|see) (?:more|also)\b.*",
    r"(?:related|more on this story|most read|advertisement|share this article|follow us).{0,80}",
    r"(?:sign up|subscribe) .{0,120}",
    r"(?:published|updated|posted|last updated):? .{0,60}\d{4}.{0,20}",
)]
# Sentence-final punctuation of Latin, CJK (full stop, full-width marks), Arabic and Urdu,
# Devanagari and Armenian text.
_END_PUNCT = re.compile(r"[.!?:;\u3002\uff01\uff1f\uff0e\uff61\u061f\u06d4\u0964\u0589][\"')\]\u300d\u300f]*$")


@dataclass(frozen=True)
class CleanedText:
    text: str
    title: str
    removed_lines: tuple[str, ...]


def normalize(text: str) -> str:
    """Unicode NFC, straight quotes, plain hyphens and spaces, no control characters."""
    text = unicodedata.normalize("NFC", text).translate(_CHAR_MAP)
    return _CONTROL.sub("", text)


def _is_boilerplate(line: str) -> bool:
    return any(p.fullmatch(line) for p in _BOILERPLATE)


def _looks_like_headline(line: str, max_words: int) -> bool:
    return 0 < word_count(line) <= max_words and not _END_PUNCT.search(line)


def clean_text(raw: str, *, strip_boilerplate: bool = True, title_from_first_line: bool = True) -> CleanedText:
    """Normalise ``raw`` and split off a headline and non-story lines.

    Paragraph breaks are kept as single newlines because the segmenter treats them as
    hard sentence boundaries.
    """
    lines = [_SPACES.sub(" ", line).strip() for line in normalize(raw).split("\n")]
    lines = [line for line in lines if line]
    title = ""
    if title_from_first_line and len(lines) > 1 and _looks_like_headline(lines[0], 20):
        title = lines.pop(0)
    kept: list[str] = []
    removed: list[str] = []
    for line in lines:
        # Short unpunctuated lines inside a body are links to related stories or captions.
        if strip_boilerplate and (_is_boilerplate(line) or _looks_like_headline(line, 14)):
            removed.append(line)
        else:
            kept.append(line)
    return CleanedText(text="\n".join(kept), title=title, removed_lines=tuple(removed))
