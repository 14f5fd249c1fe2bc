"""Which one-outlet facts are that outlet's alone (the comparison's "only this outlet reports").

Similarity alone lists too much: a person two outlets quote in different words, or a sentence
whose subject is in the sentence before it, is no one outlet's fact.
"""
from __future__ import annotations

import re

from summarizer.text import STOPWORDS, leans_on_previous
from summarizer.types import ComparedFact

_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")


def names(text: str) -> set[str]:
    """Proper names in a sentence: runs of capitalised words ("Rachel Lee", "Stimson Center"),
    without a lone capitalised word that only opens the sentence ("Details of …")."""
    found = set()
    for match in _NAME.finditer(text):
        name = match.group(0).rstrip(".")
        if match.start() == len(text) - len(text.lstrip("\"“' ")) and " " not in name:
            continue  # one capitalised word opening the sentence: most often no name
        if name.lower() not in STOPWORDS:
            found.add(name)
    return found


class OwnFacts:
    """Which one-outlet facts are that outlet's alone: the sentence stands alone, and no other
    outlet names a person or body it names that not every outlet names (a person two outlets quote
    is not one outlet's fact, however differently they word it). The documents are folded once;
    each fact is asked about only when a list needs it (a 200-article cluster has thousands)."""

    def __init__(self, documents: dict[str, str]) -> None:
        self.documents = {doc: _folded(text) for doc, text in documents.items()}

    def __call__(self, fact: ComparedFact) -> bool:
        if leans_on_previous(fact.text):  # out of its article it says nothing a reader can check
            return False
        others = [text for doc, text in self.documents.items() if doc not in fact.documents]
        # Names of two words or more ("Rachel Lee", "Stimson Center"): people and bodies, not the
        # places and surnames every outlet's story of the event names.
        specific = [n for n in names(fact.text)
                    if " " in n and not all(_mentions(text, n) for text in self.documents.values())]
        return not any(_mentions(text, n) for n in specific for text in others)


def _folded(text: str) -> str:
    """Lower case, hyphens as spaces: "Kim Jong-un" and "Kim Jong Un" are one name."""
    return re.sub(r"[\s‐-]+", " ", text.lower().replace("’", "'"))


def _mentions(folded_text: str, name: str) -> bool:
    """Whether a text (``_folded``) names ``name``."""
    return re.search(rf"(?<!\w){re.escape(_folded(name))}(?!\w)", folded_text) is not None
