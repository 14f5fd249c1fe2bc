"""Which outlet a document comes from: the name a reader sees on its card, chips and lists.

Taken from the first of (issue #20 item 3): a field the record names (JSONL ``outlet`` or
``source``), a "Source: BBC" line or a byline ("By Jane Doe, Reuters"), a wire dateline
("WASHINGTON (AP) —"), the page's ``og:site_name`` or the site suffix of its ``<title>``
("… | The Dispatch"), else the file name without a hash-like suffix ("003_69ba99e1…" → "003").
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from summarizer.ingest.clean import DATELINE

_SOURCE_LINE = re.compile(r"source:\s*(.{2,60}?)\.?", re.IGNORECASE)
# "By Jane Doe, BBC News, Seoul" → "BBC News"; a job title is no outlet.
_BYLINE = re.compile(r"by [^,]{2,60},\s*([^,]{2,40})(?:,.*)?", re.IGNORECASE)
_JOB = re.compile(r"\b(?:correspondent|reporter|editor|writer|staff|contributor|analyst)\b", re.IGNORECASE)
# A site suffix in a page title: "Headline | Site", "Headline - Site", "Headline — Site".
_TITLE_SUFFIX = re.compile(r"^(.{12,}?)\s+(?:\||-|–|—|::|·)\s+([^|]{2,40})$")
_HASH_SUFFIX = re.compile(r"[_.-](?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}$", re.IGNORECASE)


def _words(text: str) -> int:
    return len(text.split())


def from_lines(removed_lines: Iterable[str], text: str) -> str:
    """The outlet a "Source:" line or a byline (among the cleaner's removed lines) or the first
    line's wire dateline names; "" if none does."""
    for line in removed_lines:
        source = _SOURCE_LINE.fullmatch(line.strip())
        if source and _words(source.group(1)) <= 5:
            return source.group(1).strip()
    for line in removed_lines:
        byline = _BYLINE.fullmatch(line.strip())
        if byline and _words(byline.group(1)) <= 4 and not _JOB.search(byline.group(1)):
            return byline.group(1).strip().rstrip(".")
    for line in (*removed_lines, text.lstrip().split("\n", 1)[0]):
        dateline = DATELINE.match(line)
        if dateline and (dateline.group(1) or dateline.group(2)):
            return (dateline.group(1) or dateline.group(2)).strip()
    return ""


def split_title(title: str, site_name: str = "") -> tuple[str, str]:
    """(headline, site) of a web page's ``<title>``: the site suffix comes off the headline."""
    title = title.strip()
    if site_name:
        for separator in (" | ", " - ", " – ", " — ", " :: ", " · "):
            if title.endswith(separator + site_name):
                return title[:-len(separator + site_name)].strip(), site_name
        return title, site_name
    suffix = _TITLE_SUFFIX.match(title)
    if suffix and _words(suffix.group(2)) <= 4 and _words(suffix.group(2)) < _words(suffix.group(1)):
        return suffix.group(1).strip(), suffix.group(2).strip()
    return title, ""


def from_file_name(name: str) -> str:
    """A file's stem without a hash-like suffix ("003_69ba99e198ece4f5" → "003")."""
    return _HASH_SUFFIX.sub("", name) or name


def outlet_name(given: str, site: str, removed_lines: Iterable[str], text: str, doc_id: str) -> str:
    """The outlet's name, from the first source that names it (see the module docstring), on one
    line and at most ``MAX_NAME_CHARACTERS`` long (it is printed beside every citation)."""
    name = given.strip() or from_lines(removed_lines, text) or site.strip() or from_file_name(doc_id)
    name = " ".join(name.split())
    return name if len(name) <= MAX_NAME_CHARACTERS else name[:MAX_NAME_CHARACTERS - 1].rstrip() + "…"


MAX_NAME_CHARACTERS = 80
