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
    # Wire copy: editors' notes, slugs and desk instructions ("Mitch - once, 2nd graf pvs",
    # "BC-US--Budget,1st Ld-Writethru"), photo credits.
    r"(?:eds?|editors?(?:'s)?(?: note)?)\s*:.{0,150}",  # a desk note, not a paragraph of the story
    r"[A-Z]{2,3}-[\w/&-]*--[\w/&,.' -]*",
    r"[^.!?]{0,60}\b(?:\d(?:st|nd|rd|th) )?(?:graf|grafs|pvs|writethru|ld-writethru|lede|sub)\b[^.!?]{0,40}",
    r"\(?(?:AP|Reuters|AFP|Getty|EPA|Bloomberg) ?(?:Photo|Images|Pool)\b[^)]{0,80}\)?\.?",
    # A desk instruction in capitals and parentheses on its own line: "(STORY CAN END HERE.
    # OPTIONAL 2ND TAKE FOLLOWS.)", "(END OPTIONAL TRIM)", "(MORE)".
    r"(?-i:\([A-Z0-9][A-Z0-9 .,;:'&/-]*\))",  # capitals: the patterns are otherwise case-blind
)]
# A wire dateline opening a story: "WASHINGTON (AP) — ", "NEW YORK -- ", "LONDON (Reuters) - ",
# "BEIJING, October 1 (Xinhua) -- ", and AP's older "PHNOM PENH, Cambodia (AP) _ " (the newswire
# of the DUC and TDT collections).
# A news agency's tag alone opens a story too: "(CNN) -- ", "(CNN)ESPN's …" (CNN/DailyMail copy).
DATELINE = re.compile(r"^(?:(?:[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,3}(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?(?: \d{1,2})?)?)"
                      r"(?: \(([A-Za-z&. ]{1,24})\))?\s*(?:--|—|–|-|_(?=\s|$))(?:\s+|$)"  # "$": as kept in removed_lines
                      r"|\((CNN|AP|Reuters|AFP|UPI|Xinhua|Bloomberg)\)\s*(?:(?:--|—|–|-)\s*)?)")
# Inline page furniture: a photo credit "(AP Photo/Evan Vucci)", and the video and link prompts of
# news sites, which flattened copy (CNN/DailyMail) carries inside its sentences ("… of Alexandria.
# Scroll down for video According to …").
_INLINE_DEBRIS = re.compile(r"\s*\((?:AP|Reuters|AFP|Getty|EPA) (?:Photo|Images)[^)]{0,80}\)"
                           r"|(?:^|(?<=[.!?])\s+|(?<=[.!?][\"'’”)])\s+)(?:Scroll down|SCROLL DOWN) for (?:the )?videos?(?=\s|$)"
                           r"|(?:^|(?<=[.!?])\s+|(?<=[.!?][\"'’”)])\s+)(?:Click here|CLICK HERE) (?:to|for) [^.!?]{0,80}[.!?]?(?=\s|$)")
# A sentence end whose space was lost when paragraphs were joined ("… in 2009.He was …", "… has
# ended.The Senate …": BBC copy in FRANK, 536 times in NeuS/FRANK): a lower-case word of three
# letters or more, or a number, then a capitalised word. Abbreviations ("St.Louis", "Mr.Smith",
# "U.S.He", "Gov.Cuomo") and domains ("www.example.Com") have no such left side, so keep theirs.
_MISSING_SPACE = re.compile(r"(?<![\w.])((?:[a-z]{3,}|\d+)[.!?])(?=[A-Z][a-z])")
# Sentence-final punctuation of Latin, CJK (full stop, full-width marks), Arabic and Urdu,
# Devanagari and Armenian text.
_END_PUNCT = re.compile(r"[.!?:;\u3002\uff01\uff1f\uff0e\uff61\u061f\u06d4\u0964\u0589][\"')\]\u300d\u300f]*$")


@dataclass(frozen=True)
class CleanedText:
    text: str
    title: str
    removed_lines: tuple[str, ...]
    date: str = ""  # from a "Date: …" header line among the first lines, as written there


# A "Date: 2024-06-19" header line (ISO 8601, a time allowed) in the first lines of a text file; a
# date written otherwise ("Published: June 19") is left to the text and the boilerplate rules.
_DATE_LINE = re.compile(r"date\s*:\s*(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)",
                        re.IGNORECASE)


def _is_boilerplate(line: str) -> bool:
    return any(p.fullmatch(line) for p in _BOILERPLATE)


def _looks_like_headline(line: str, max_words: int) -> bool:
    return 0 < word_count(line) <= max_words and not _END_PUNCT.search(line)


def unwrap(text: str) -> str:
    """Rejoin hard-wrapped paragraphs (wire copy and e-mail wrap every line near one width).

    Text counts as wrapped when no line is over 100 characters and at least two lines, and a
    fifth of all lines, break a sentence: they fill the width (60% of the widest line or more), end
    without a sentence's end, and the next line goes on in lower case ("on Thursday" / "that
    would …"). A paragraph then ends at a blank line or a short line (a header, a slug, a
    paragraph's last line); its lines join with a space (none after a hyphen that breaks a word:
    "well-\nknown"). Other text is returned as it is.
    """
    lines = text.split("\n")
    body = [line.rstrip() for line in lines if line.strip()]
    if len(body) < 4:
        return text
    width = max(len(line) for line in body)
    breaks = sum(1 for line, following in zip(lines, lines[1:])
                 if len(line.rstrip()) >= 0.6 * width and not _END_PUNCT.search(line.rstrip())
                 and following.strip()[:1].islower())
    if width > 100 or breaks < max(2, 0.2 * len(body)):
        return text
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current and current.endswith("-") and stripped[:1].islower():
            current += stripped
        else:
            current = f"{current} {stripped}" if current else stripped
        # wrapping fills lines: a short one ends its paragraph, unless it breaks a word ("well-")
        if len(line.rstrip()) < 0.6 * width and not stripped.endswith("-"):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def clean_text(raw: str, *, strip_boilerplate: bool = True, title_from_first_line: bool = True) -> CleanedText:
    """Normalise ``raw``, rejoin hard-wrapped paragraphs, and split off a headline and non-story
    lines (boilerplate, wire debris, a dateline opening the story: all kept in ``removed_lines``).

    Paragraph breaks are kept as single newlines because the segmenter treats them as
    hard sentence boundaries.
    """
    lines = [_MISSING_SPACE.sub(r"\1 ", _SPACES.sub(" ", line)).strip() for line in unwrap(normalize(raw)).split("\n")]
    lines = [line for line in lines if line]
    date = ""
    for position, line in enumerate(lines[:5]):
        if match := _DATE_LINE.fullmatch(line):
            date = match.group(1).strip()
            lines.pop(position)
            header = [line]
            break
    else:
        header = []
    title = ""
    # A byline, "Source:" line or wire slug opening the file is no headline; the headline may
    # follow them ("BC-US--Budget,1st Ld-Writethru" / "Eds: …" / "Budget deal passes House").
    lead = 0
    while strip_boilerplate and lead < len(lines) - 1 and _is_boilerplate(lines[lead]):
        lead += 1
    if title_from_first_line and len(lines) - lead > 1 and _looks_like_headline(lines[lead], 20):
        title = lines.pop(lead)
    kept: list[str] = []
    removed: list[str] = []
    for line in lines:
        if strip_boilerplate and _INLINE_DEBRIS.search(line):
            removed.extend(m.group(0).strip() for m in _INLINE_DEBRIS.finditer(line))
            line = _INLINE_DEBRIS.sub("", line).strip()
        # Short unpunctuated lines inside a body are links to related stories or captions.
        if strip_boilerplate and (not line or _is_boilerplate(line) or _looks_like_headline(line, 14)):
            removed.extend([line] if line else [])
            continue
        if strip_boilerplate and not kept and (dateline := DATELINE.match(line)) and len(line) > dateline.end():
            removed.append(dateline.group(0).strip())
            line = line[dateline.end():]
        kept.append(line)
    return CleanedText(text="\n".join(kept), title=title, removed_lines=tuple(header + removed), date=date)
