"""The loaded-word lexicon: editorialising modifiers and terms, and which of them are one outlet's.

Our own short lists (written for this project, no lexicon with redistribution limits), plus the
user's ``neutral.extra_loaded_words``, lower-cased, built once per run from the config. Retrieval
(best-worded member, one-outlet facts, headline), the neutral stage and the comparison all read
this one object, so a word the user adds means the same to each of them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from summarizer.config_schema import NeutralConfig
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


@dataclass(frozen=True)
class Lexicon:
    """The run's loaded words; ``colour_words`` finds a cluster's one-outlet ones."""

    modifiers: frozenset[str]  # deletable: the built-in list plus neutral.extra_loaded_words
    terms: frozenset[str]  # not deletable
    max_outlets_for_colour: int  # a modifier is one outlet's colour when at most this many use it

    @classmethod
    def from_config(cls, config: NeutralConfig) -> Lexicon:
        extra = frozenset(w.strip().lower() for w in config.extra_loaded_words if w.strip())
        return cls(LOADED_MODIFIERS | extra, LOADED_TERMS, config.max_outlets_for_colour)

    @property
    def loaded(self) -> frozenset[str]:
        """Every loaded word, modifier or term."""
        return self.modifiers | self.terms

    def colour_words(self, document_texts: Iterable[str]) -> frozenset[str]:
        """Loaded modifiers that at most ``max_outlets_for_colour`` documents of a cluster use."""
        counts: dict[str, int] = {}
        for text in document_texts:
            for word in {w.lower() for w in words(text)} & self.modifiers:
                counts[word] = counts.get(word, 0) + 1
        return frozenset(w for w, n in counts.items() if n <= self.max_outlets_for_colour)

    def loaded_count(self, text: str, colour: frozenset[str]) -> int:
        """How many loaded words a sentence uses: one-outlet modifiers (``colour``) plus loaded terms."""
        return sum(1 for w in words(text) if w.lower() in colour or w.lower() in self.terms)
