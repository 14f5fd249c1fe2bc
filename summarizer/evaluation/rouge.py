"""ROUGE on top of rouge-score, with a Unicode-aware tokenizer and seeded bootstrap CIs.

Stock rouge_score keeps only ``[a-z0-9]`` and so drops every non-ASCII letter: "Zürich" becomes
"z rich" and "Chang Ho-jin"'s accented cousins vanish. Our tokenizer is the same algorithm with
``\\w`` in place of ``[a-z0-9]``, so on ASCII text it gives rouge_score's numbers exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rouge_score import rouge_scorer

from summarizer.segment import split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_VALID = re.compile(r"^\w+$", re.UNICODE)


class UnicodeTokenizer:
    """rouge_score's tokenizer with Unicode word characters; Porter-stems tokens over 3 chars."""

    def __init__(self, use_stemmer: bool = True) -> None:
        from nltk.stem import porter

        self._stemmer = porter.PorterStemmer() if use_stemmer else None

    def tokenize(self, text: str) -> list[str]:
        tokens = _NON_WORD.sub(" ", text.lower()).split()
        if self._stemmer:
            tokens = [self._stemmer.stem(t) if len(t) > 3 else t for t in tokens]
        return [t for t in tokens if _VALID.match(t)]


@dataclass(frozen=True)
class RougeScore:
    precision: float
    recall: float
    fmeasure: float


def sentences_per_line(text: str) -> str:
    """rougeLsum needs one sentence per line; split with our own splitter (no NLTK data)."""
    return "\n".join(s for s, _ in split_sentences(text.replace("\n", " ")))


class Rouge:
    """Per-example ROUGE-1/2/L/Lsum precision, recall and F1 (stemmed, Unicode-aware)."""

    def __init__(self, use_stemmer: bool = True, tokenizer=None) -> None:
        """``tokenizer``: any object with ``tokenize(text) -> list[str]`` (default: ``UnicodeTokenizer``)."""
        self._scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=tokenizer or UnicodeTokenizer(use_stemmer))

    def score(self, prediction: str, reference: str) -> dict[str, RougeScore]:
        raw = self._scorer.score(sentences_per_line(reference), sentences_per_line(prediction))
        return {name: RougeScore(s.precision, s.recall, s.fmeasure) for name, s in raw.items()}

    def score_against(self, prediction: str, references: tuple[str, ...] | list[str],
                      max_words: int = 0) -> dict[str, RougeScore]:
        """The scores against each reference, averaged (ROUGE-1.5.5's model average, ``-f A``, as
        DUC and TAC score against several human summaries), of ``prediction`` cut to its first
        ``max_words`` words when that is set (``-l``: the published DUC protocol reads 100)."""
        if max_words:
            prediction = first_words(prediction, max_words)
        scores = [self.score(prediction, reference) for reference in references]
        return {name: RougeScore(*(float(np.mean([getattr(s[name], part) for s in scores]))
                                   for part in ("precision", "recall", "fmeasure"))) for name in ROUGE_TYPES}


def first_words(text: str, count: int) -> str:
    """``text`` up to the end of its ``count``-th whitespace-separated word."""
    words = list(re.finditer(r"\S+", text))
    return text if len(words) <= count else text[:words[count - 1].end()]


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int


def bootstrap_interval(values: list[float] | np.ndarray, seed: int = 0, resamples: int = 1000,
                       confidence: float = 0.95) -> Interval:
    """Mean with a percentile-bootstrap confidence interval, from a fixed seed (reproducible)."""
    data = np.asarray([v for v in values if v is not None and not np.isnan(v)], dtype=float)
    if data.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    return Interval(float(data.mean()), float(np.percentile(means, tail)),
                    float(np.percentile(means, 100 - tail)), int(data.size))
