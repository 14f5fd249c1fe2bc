"""Time in a cluster whose documents carry dates (issue #15 item 5).

A story that develops over days reports figures that change ("231 dead" on Monday, "about 7,000
dead" on Friday). With dates, the summary orders facts by when they were first reported, and of
two chosen facts that give different values of the same figure it keeps only the latest report:
never two undated values side by side. Without dates nothing changes.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from summarizer.text import STOPWORDS, stem
from summarizer.types import Sentence

# A figure: a number and the word it counts ("231 dead", "7,000 people", "$1.9 trillion").
_FIGURE = re.compile(r"(?<![\w.,])\$?(\d[\d,]*(?:\.\d+)?)\s+(?:(?:million|billion|trillion|more|people|of the)\s+)?"
                     r"([A-Za-z][a-z-]+)")


def figures(text: str) -> dict[str, str]:
    """What a sentence counts and the value it gives: {"dead": "7000"} for "about 7,000 dead"."""
    found = {}
    for value, unit in _FIGURE.findall(text):
        if unit.lower() not in STOPWORDS:
            found[stem(unit.lower())] = value.replace(",", "")
    return found


def instant(date: str) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC instant (a date alone: its start, in UTC; a time
    without an offset: UTC); None when it is empty or no such date. Compared as strings,
    "2024-06-20T01:00+09:00" came after "2024-06-19T20:00-05:00", which is nine hours later."""
    try:
        parsed = datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def keep_latest_figures(chosen: list[int], representative: dict[int, Sentence], dates: dict[str, str]) -> list[int]:
    """``chosen`` without any fact that gives a value of a figure a later-dated chosen fact
    gives differently (the earlier report is superseded)."""
    reported = {k: (instant(dates.get(representative[k].doc_id, "")), figures(representative[k].text)) for k in chosen}
    superseded = set()
    for k, (date, mine) in reported.items():
        for other, (later, theirs) in reported.items():
            if date and later and later > date and any(unit in theirs and theirs[unit] != value
                                                       for unit, value in mine.items()):
                superseded.add(k)
    return [k for k in chosen if k not in superseded]


def first_reported(members: list[Sentence], dates: dict[str, str]) -> datetime | None:
    """The earliest instant of the documents that carry a fact (None when none is dated)."""
    return min((when for m in members if (when := instant(dates.get(m.doc_id, ""))) is not None), default=None)
