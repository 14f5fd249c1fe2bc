"""Quotation marks in both house styles: double ("…", American wire copy) and single ('…', the
British press: the Daily Mail, the Guardian, the BBC's headlines). Text reaches us with curly
marks made straight (``text.normalize``), so a single quotation mark and an apostrophe are one
character; which one it is reads from where it stands.
"""
from __future__ import annotations

import re

# An opening single mark starts a word ("said: 'We will"); elisions that start a word are no mark
# ('em, 'til, 'cause, rock 'n' roll, the '90s).
_SINGLE_OPENS = re.compile(r"(?:(?<=^)|(?<=[\s(\[\"—–-]))'(?!(?:em|til|cause|n|tis|twas|\d0s|\d\ds)\b)(?=\w)",
                           re.IGNORECASE)
# A closing single mark ends a word: after a sentence's punctuation it closes a quotation for sure
# ("the bad guys,' he said"); after a letter it may be a plural possessive instead ("the players' union").
_SINGLE_CLOSES_SURE = re.compile(r"(?<=[.,!?;:])'(?=$|[\s)\]\"—–-])")
_SINGLE_CLOSES_MAYBE = re.compile(r"(?<=\w)'(?=$|[\s)\]\".,;:!?—–-])")


def has_open_quotation(text: str) -> bool:
    """A quotation missing a mark, as in a sentence cut out of a longer one ('"We will not stand by.',
    "'We have to think of ourselves as the bad guys.", "We are the enemy,' he said."): an odd number of
    double marks, or single marks that open and close unevenly (an opening mark with nothing that can
    close it, or a sure closing mark with no opening one)."""
    if text.count('"') % 2 == 1:
        return True
    opens = len(_SINGLE_OPENS.findall(text))
    sure = len(_SINGLE_CLOSES_SURE.findall(text))
    return opens > sure + len(_SINGLE_CLOSES_MAYBE.findall(text)) or sure > opens


def has_quotation(text: str) -> bool:
    """Quotes someone's words: a pair of double marks, or a single mark that opens and one that closes."""
    return text.count('"') >= 2 or (bool(_SINGLE_OPENS.search(text)) and bool(
        _SINGLE_CLOSES_SURE.search(text) or _SINGLE_CLOSES_MAYBE.search(text)))
