"""Neutrality metrics: the NeuS framing-bias arousal and a reference-free framing proxy.

The NRC-VAD lexicon's licence forbids redistribution, so its path always comes from the
caller (config or ``--lexicon``); without it the arousal metric is reported as skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from summarizer.errors import UsageError
from summarizer.text import STOPWORDS, document_frequency, stem, words

_PUNCTUATION = re.compile(r"[^\w\s]")


class LexiconError(UsageError):
    """The lexicon file is missing or not in the NRC-VAD format."""


@dataclass(frozen=True)
class VadEntry:
    valence: float
    arousal: float
    dominance: float


def load_vad_lexicon(path: str | Path) -> dict[str, VadEntry]:
    """Read ``word<TAB>valence<TAB>arousal<TAB>dominance`` lines (NRC-VAD, Aug 2018 release)."""
    file = Path(path)
    if not file.is_file():
        raise LexiconError(f"NRC-VAD lexicon not found at {str(file)!r}; get NRC-VAD-Lexicon.txt from "
                           "http://saifmohammad.com/WebPages/nrc-vad.html and pass its path")
    lexicon: dict[str, VadEntry] = {}
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        try:
            word, valence, arousal, dominance = parts[0], *map(float, parts[1:4])
            if len(parts) != 4:
                raise ValueError
        except ValueError:
            if number == 1 and "valence" in line.lower():
                continue  # the 2.x releases carry a header line
            raise LexiconError(f"{file}:{number}: expected word<TAB>valence<TAB>arousal<TAB>dominance, "
                               f"got {line[:80]!r}") from None
        lexicon[word.lower()] = VadEntry(valence, arousal, dominance)
    if not lexicon:
        raise LexiconError(f"{file}: the lexicon is empty")
    return lexicon


@lru_cache(maxsize=100_000)
def _lemma(token: str) -> str:
    import simplemma

    return simplemma.lemmatize(token, lang="en")


def neus_tokens(text: str) -> set[str]:
    """NeuS preprocessing: U.S.→USA, lower-case, punctuation removed, lemmatised, as a set.

    NeuS used NLTK's WordNet lemmatiser, whose data cannot be downloaded offline; simplemma
    (bundled data) stands in, so a few verb forms lemmatise differently (documented).
    """
    text = _PUNCTUATION.sub("", text.replace("U.S.", "USA").lower())
    return {_lemma(token) for token in text.split()}


@dataclass(frozen=True)
class ArousalScore:
    positive: float  # Arousal+: arousal of new tokens with valence > 0.65
    negative: float  # Arousal-: arousal of new tokens with valence < 0.35
    tokens: tuple[str, ...]  # the generated-not-in-reference tokens found in the lexicon

    @property
    def total(self) -> float:
        return self.positive + self.negative


def neus_arousal(summary: str, reference: str, lexicon: dict[str, VadEntry]) -> ArousalScore:
    """The NeuS framing-bias metric (Lee et al., 2022) for one summary; lower is more neutral."""
    new_tokens = neus_tokens(summary) - neus_tokens(reference)
    positive = negative = 0.0
    found = []
    for token in sorted(new_tokens):
        entry = lexicon.get(token)
        if entry is None:
            continue
        found.append(token)
        if entry.valence > 0.65:
            positive += entry.arousal
        elif entry.valence < 0.35:
            negative += entry.arousal
    return ArousalScore(round(positive, 6), round(negative, 6), tuple(found))


def _content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text.lower()) if w.isalpha() and w not in STOPWORDS]


def single_outlet_share(summary: str, documents: list[str]) -> float | None:
    """Share of the summary's content words that occur in exactly one source document.

    One outlet's wording is where its framing lives; lower is more neutral. ``None`` for a
    cluster of fewer than two documents, where the share means nothing.
    """
    if len(documents) < 2:
        return None
    summary_stems = _content_stems(summary)
    if not summary_stems:
        return None
    outlets = document_frequency(_content_stems(d) for d in documents)
    single = sum(1 for s in summary_stems if outlets[s] == 1)
    return single / len(summary_stems)
