"""The loaded-word lexicon: editorialising modifiers and terms, and which of them are one outlet's.

Three sources, lower-cased, built once per run from the config:

- our own short lists of deletable modifiers and of loaded nouns (written for this project), plus
  the user's ``neutral.extra_loaded_words``;
- **subjective adjectives**: those that two published lexicons, rated independently, agree on —
  mean subjectivity at least ``SUBJECTIVE`` over the adjective senses of the subjectivity lexicon
  TextBlob ships (from Pattern; TextBlob is MIT-licensed, Pattern BSD) and mean valence at least
  ``EMOTIVE`` in magnitude in VADER's lexicon (MIT; raters scored words from -4 to +4). Either
  list alone is noisy for news ("own", "latest", "sexual" are subjective in the first; "killed",
  "war" are strongly negative in the second); their agreement keeps evaluative words ("grim",
  "disastrous", "stunning", "idiotic"). The comparison marks them where one outlet alone uses
  them. They are not deleted (some classify: "free trade") and do not steer selection (measured:
  eval/README.md). Both files are read from the installed packages, which are never imported.

Retrieval (best-worded member, one-outlet facts, headline), the neutral stage and the comparison
all read this one object, so a word means the same to each of them.
"""
from __future__ import annotations

import importlib.util
from xml.etree import ElementTree
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


#: an adjective is subjective at this mean subjectivity (0-1) in TextBlob's lexicon ...
SUBJECTIVE = 0.8
#: ... and emotive at this mean valence magnitude in VADER's (-4 to +4; 1.5: raters' mean beyond "slightly")
EMOTIVE = 1.5


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)  # finds the package without running its code
    if spec is None or not spec.origin:
        raise RuntimeError(f"the {package} package is not installed; reinstall summarizer (pip install -e .)")
    return Path(spec.origin).parent.joinpath(*parts)


@lru_cache(maxsize=1)
def subjective_adjectives() -> frozenset[str]:
    """Adjectives both TextBlob's subjectivity lexicon and VADER's valence lexicon call evaluative."""
    subjectivity: dict[str, list[float]] = defaultdict(list)
    root = ElementTree.parse(_package_file("textblob", "en", "en-sentiment.xml")).getroot()
    for entry in root.iter("word"):
        if entry.get("pos") == "JJ":
            subjectivity[entry.get("form", "").lower()].append(float(entry.get("subjectivity", 0)))
    valence: dict[str, float] = {}
    with _package_file("vaderSentiment", "vader_lexicon.txt").open(encoding="utf-8") as lines:
        for line in lines:
            fields = line.split("\t")
            if len(fields) > 1:
                valence[fields[0].lower()] = float(fields[1])
    return frozenset(word for word, scores in subjectivity.items()
                     if sum(scores) / len(scores) >= SUBJECTIVE and abs(valence.get(word, 0.0)) >= EMOTIVE)


@dataclass(frozen=True)
class Lexicon:
    """The run's loaded words; ``colour_words`` finds a cluster's one-outlet ones."""

    modifiers: frozenset[str]  # deletable: the built-in list plus neutral.extra_loaded_words
    terms: frozenset[str]  # not deletable; loaded wherever they stand
    max_outlets_for_colour: int  # a word is one outlet's colour when at most this many use it
    subjective: frozenset[str] = frozenset()  # marked by the comparison; not deletable

    @classmethod
    def from_config(cls, config: NeutralConfig) -> Lexicon:
        extra = frozenset(w.strip().lower() for w in config.extra_loaded_words if w.strip())
        return cls(LOADED_MODIFIERS | extra, LOADED_TERMS, config.max_outlets_for_colour, subjective_adjectives())

    @property
    def loaded(self) -> frozenset[str]:
        """Every loaded word, modifier, term or subjective adjective."""
        return self.modifiers | self.terms | self.subjective

    def colour_words(self, document_texts: Iterable[str]) -> frozenset[str]:
        """Loaded modifiers that at most ``max_outlets_for_colour`` documents of a cluster use.

        Subjective adjectives are not counted: preferring an outlet's wording without them moved
        NeuS val selection towards one-outlet wording (eval/README.md, issue #20 item 5)."""
        counts: dict[str, int] = {}
        for text in document_texts:
            for word in {w.lower() for w in words(text)} & self.modifiers:
                counts[word] = counts.get(word, 0) + 1
        return frozenset(w for w, n in counts.items() if n <= self.max_outlets_for_colour)

    def loaded_count(self, text: str, colour: frozenset[str]) -> int:
        """How many loaded words a sentence uses: one-outlet modifiers (``colour``) plus loaded terms."""
        return sum(1 for w in words(text) if w.lower() in colour or w.lower() in self.terms)
