"""Unattributed speculation: which sentences guess rather than report.

Speculation ("could", "hints at", "is believed to") goes into a summary only with its source named
(#30): retrieval offers such a fact last, and the neutral stage cuts a guess that closes a report
(``wording.strip_speculative_clause``).
"""
from __future__ import annotations

import re

# Hedges that make a sentence a guess rather than a report: fine with its source named ("Rachel Lee
# said it could ..."), speculation without one ("The agreement hints at potential cooperation").
_HEDGE = re.compile(r"\b(?:could|might|may|possibly|potentially|potential|hints? at|hinted at|speculation|"
                    r"(?:is|are|was|were) (?:believed|thought|expected|suspected|said) to|likely|suggests?|"
                    r"reportedly|allegedly|allegations?)\b", re.IGNORECASE)
_SOURCE = ("said", "says", "told", "according", "stated", "declared", "announced", "warned", "claimed",
           "argued", "accuse", "accuses", "believes", "wrote", "noted",
           # a named party's reaction carries the hedge as the content of its stance: "raised
           # concerns in the West, with fears that it could lead to …" reports the West's fear
           "concern", "concerns", "concerned", "fear", "fears", "feared", "alarm", "alarms", "alarmed",
           "worried", "worries", "criticized", "criticised", "condemned")
_SOURCE_WORD = re.compile(r"\b(?:" + "|".join(_SOURCE) + r")\b")  # one pass, not one search per verb


def speculative(text: str) -> bool:
    """A hedged claim with no one named as its source: a hedge word, and no attribution verb beside
    a capitalised name that is not the sentence's first word."""
    if not _HEDGE.search(text):
        return False
    named = re.search(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+", text.strip()) is not None
    return not (named and _SOURCE_WORD.search(text.lower()) is not None)
