"""Neutral wording: find one outlet's colour and remove the modifiers that carry it.

Our own short list of loaded modifiers and terms (written for this project, no lexicon
with redistribution limits). A modifier is only removed when it is one outlet's colour:
used by at most ``max_outlets_for_colour`` documents of the cluster.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from summarizer.config import NeutralConfig
from summarizer.text import words

# Adjectives and adverbs that editorialise; safe to delete before the word they modify.
LOADED_MODIFIERS = frozenset("""
lavish grand grandiose opulent extravagant pompous spectacular stunning shocking staggering
enthusiastic fervent rapturous adoring jubilant ecstatic euphoric devoted slavish
blossoming burgeoning budding flourishing booming thriving deepening ever-closer
significant landmark historic historical momentous monumental unprecedented seismic
dramatic dramatically sweeping sharply brazen brazenly blatant blatantly reckless recklessly
alarming alarmingly ominous sinister menacing dangerous dangerously provocative defiant
defiantly bold boldly fiery furious angrily bitterly scathing stern sternly harsh harshly
notorious infamous reclusive rogue pariah isolated embattled beleaguered disgraced
massive huge enormous vast immense tremendous
very extremely incredibly hugely deeply highly truly really utterly totally completely
rapidly swiftly hastily
so-called self-styled self-proclaimed
controversial divisive radical extremist
""".split())

# Loaded nouns and phrases: not deletable without rewriting, so they only make a sentence a
# worse choice when another outlet words the same fact plainly.
LOADED_TERMS = frozenset("""
spectacle devotion regime dictator despot tyrant strongman propaganda pageantry pomp
extravaganza charade sham lackey puppet thug
""".split())

_COPULAS = frozenset("is was were are be been being seems seemed remains remained became".split())
_ARTICLE_BEFORE = re.compile(r"\b([Aa]n?) (\w)")


@dataclass(frozen=True)
class NeutralEdit:
    text: str
    removed: tuple[str, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """What was removed, as the summary's edit notes ("removed 'radical'")."""
        return tuple(f"removed {w!r}" for w in self.removed)


def loaded_modifiers(config: NeutralConfig) -> frozenset[str]:
    """The built-in loaded modifiers plus the user's ``neutral.extra_loaded_words``."""
    return LOADED_MODIFIERS | frozenset(config.extra_loaded_words)


def colour_words(document_texts: Iterable[str], config: NeutralConfig) -> frozenset[str]:
    """Loaded modifiers that at most ``max_outlets_for_colour`` documents of a cluster use."""
    loaded = loaded_modifiers(config)
    counts: dict[str, int] = {}
    for text in document_texts:
        for word in {w.lower() for w in words(text)} & loaded:
            counts[word] = counts.get(word, 0) + 1
    return frozenset(w for w, n in counts.items() if n <= config.max_outlets_for_colour)


def loaded_word_count(text: str, colour: frozenset[str]) -> int:
    """How many loaded words a sentence uses: one-outlet modifiers plus loaded terms."""
    return sum(1 for w in words(text) if w.lower() in colour or w.lower() in LOADED_TERMS)


def _fix_articles(text: str) -> str:
    def repair(match: re.Match[str]) -> str:
        article, first = match.group(1), match.group(2)
        wants_an = first.lower() in "aeiou"
        fixed = ("an" if wants_an else "a")
        return f"{fixed.capitalize() if article[0].isupper() else fixed} {first}"

    return _ARTICLE_BEFORE.sub(repair, text)


# "In a significant geopolitical development, Putin and Kim signed ...": an opening phrase that
# frames the news rather than reporting it. Up to eight words before the first comma.
_LEAD_IN = re.compile(r"^(?:In|With|Amid|Marking)\s+(?:a|an|what\s+(?:is|was)\s+(?:a|an)?)\s*"
                      r"((?:[\w'-]+\s+){0,6}[\w'-]+),\s+(?=\S)")


def strip_framing_lead_in(text: str, document_texts: Iterable[str], config: NeutralConfig) -> NeutralEdit:
    """Drop an evaluative opening phrase that at most ``max_outlets_for_colour`` outlets use.

    Only phrases holding a loaded modifier ("significant", "landmark", "stunning") are framing;
    "In a statement, the ministry said" is attribution and stays.
    """
    match = _LEAD_IN.match(text)
    if not match:
        return NeutralEdit(text, ())
    if not {w.lower() for w in words(match.group(1))} & loaded_modifiers(config):
        return NeutralEdit(text, ())
    phrase = re.sub(r"\s+", " ", match.group(0).rstrip(", \t\n")).lower()
    outlets = sum(1 for document in document_texts if phrase in re.sub(r"\s+", " ", document).lower())
    if outlets > config.max_outlets_for_colour:
        return NeutralEdit(text, ())
    rest = text[match.end():]
    return NeutralEdit(rest[:1].upper() + rest[1:], (match.group(0).rstrip(", "),))


def strip_colour(text: str, colour: frozenset[str]) -> NeutralEdit:
    """Delete one-outlet loaded modifiers where deletion keeps the sentence grammatical.

    A modifier is deleted only before another word (attributive use); predicative uses
    ("the visit was lavish") are left alone because deleting them would break the sentence.
    """
    if not colour:
        return NeutralEdit(text, ())
    tokens = list(re.finditer(r"\S+", text))
    removed: list[str] = []
    keep: list[str] = []
    for position, match in enumerate(tokens):
        token = match.group(0)
        core = token.strip("\"'()[],;:.!?").lower()
        nxt = tokens[position + 1].group(0) if position + 1 < len(tokens) else ""
        prev = tokens[position - 1].group(0).lower() if position > 0 else ""
        deletable = (core in colour and token == token.strip(",;:.!?\"'()")
                     and nxt[:1].isalpha() and prev not in _COPULAS)
        if deletable:
            removed.append(core)
            if keep and keep[-1].lower() == "and" and removed:
                keep.pop()  # "lavish and grand visit" → "visit"
            continue
        keep.append(token)
    if not removed:
        return NeutralEdit(text, ())
    result = _fix_articles(" ".join(keep))
    result = result[0].upper() + result[1:] if result and text[:1].isupper() else result
    return NeutralEdit(result, tuple(removed))


def neutral_wording(text: str, document_texts: Iterable[str], colour: frozenset[str],
                    config: NeutralConfig) -> NeutralEdit:
    """Both neutral edits of one summary sentence: a one-outlet framing lead-in, then one-outlet
    loaded modifiers (``colour``, from ``colour_words``)."""
    lead_in = strip_framing_lead_in(text, document_texts, config)
    modifiers = strip_colour(lead_in.text, colour)
    return NeutralEdit(modifiers.text, lead_in.removed + modifiers.removed)
