"""Text cleaning: Unicode and quote normalisation, whitespace, and news boilerplate."""
from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.text import normalize, word_count

_SPACES = re.compile(r"[ \t\f\v]+")

# Lines that belong to the page, not the story. Matched against a whole stripped line.
_BOILERPLATE = [re.compile(p, re.IGNORECASE) for p in (
    r"by [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}(?:,? (?:and|&) [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})*"
    r"(?:,? [\w ]{0,40}(?:correspondent|reporter|editor|writer)|(?:, [A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3}){1,2})?\.?",
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
    # A byline or "Source:" line opening the file is no headline.
    if (title_from_first_line and len(lines) > 1 and _looks_like_headline(lines[0], 20)
            and not (strip_boilerplate and _is_boilerplate(lines[0]))):
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
