"""What two sentences of different outlets have in common: the views a "same fact" decision reads.

Paraphrase decisions on news pairs are made best by a small classifier over several views of the
pair, not by one similarity (Madnani et al. 2012 on MSRP): the embedding cosine, word and n-gram
overlap as machine-translation metrics measure it, the longest common subsequence, the length
ratio, and agreement of the numbers and names the two sentences carry. Every view is symmetric, so
the decision does not depend on which outlet comes first. A conflict of quantities (the same unit
with other numbers: "7 to 2" against "6 to 3", "240 million" against "2.4 billion") is decisive
by itself (``quantity_conflict``), whatever the words share.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from difflib import SequenceMatcher

import numpy as np

from summarizer.text import STOPWORDS, content_stems, normalize_number, stem, words

PAIR_FEATURES = (
    "cosine",  # sentence-embedding cosine
    "stems",  # set cosine of content-word stems
    "unigram_f1",  # F1 of lower-cased word overlap (BLEU-style clipped counts)
    "bigram_f1",
    "trigram_f1",
    "subsequence",  # longest common word subsequence / mean length (TER-like edit view)
    "length_ratio",  # shorter / longer, in words
    "coverage_min",  # the smaller share of one sentence's content stems found in the other
    "unmatched",  # content stems only one of them has, log(1 + count), the larger side
    "numbers_differ",  # both carry numbers and share none
    "names_differ",  # share of the pair's names that only one of them has
    "cross",  # the cross-encoder's logit, both orders averaged (cross.py; scoring.pair_table adds it to the views)
)

#: what the context part of the pair model reads (``scoring.pair_table``)
CONTEXT_FEATURES = (
    "csls",  # 2·cosine − r(a) − r(b), r = mean cosine to the 10 nearest other outlets' sentences but the partner
    "rare_stems",  # set cosine of content stems weighted by their rarity in the cluster (squared idf)
)


@dataclass(frozen=True)
class SentenceView:
    """One sentence, prepared once for every pair it takes part in."""

    tokens: tuple[str, ...]  # lower-cased words
    stems: frozenset[str]
    numbers: frozenset[str]
    units: dict  # unit word -> set of numbers with it ("year": {"24"})
    names: frozenset[str]  # capitalised words that are no sentence opener and no stopword, stemmed
    grams: tuple[Counter, ...] = ()  # word 1-, 2- and 3-gram counts, counted once for all its pairs

    @classmethod
    def of(cls, text: str) -> SentenceView:
        tokens = words(text)
        lowered = tuple(t.lower() for t in tokens)
        numbers = {normalize_number(t) for t in tokens} - {None}
        grams = tuple(Counter(zip(*(lowered[i:] for i in range(n)))) for n in (1, 2, 3))
        return cls(lowered, content_stems(text), frozenset(n for n in numbers if n[:1].isdigit()),
                   _numbers_by_unit(lowered), _names(tokens), grams)


def _names(tokens: list[str]) -> frozenset[str]:
    """Names: capitalised tokens, the first word of the sentence only when it is not a common word."""
    found = set()
    for position, token in enumerate(tokens):
        if not token[:1].isupper() or token.lower() in STOPWORDS or normalize_number(token):
            continue
        if position == 0 and token.lower() in _COMMON_OPENERS:
            continue
        found.add(stem(re.split(r"[-'’]", token)[0]))
    return frozenset(found)


# Capitalised only because they open a sentence.
_COMMON_OPENERS = frozenset("""during following after before since while when although though however but and
yet also still even many some most several both each other details observers analysts experts officials
despite amid as in on at for with from into over under according""".split())

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SKIPPED_AFTER_NUMBER = frozenset({"to", "of", "and", "or", "per", "more", "than", "a", "an", "the", "new"})


def _numbers_by_unit(tokens: tuple[str, ...]) -> dict:
    """Each number's unit: the first word after it that is no glue word ("24 years" → year).
    Four-digit numbers from 1800 to 2100 printed without a comma are years; a number followed by another ("7 to 2") is
    one score ("7-2")."""
    found: dict[str, set[str]] = {}
    position = 0
    while position < len(tokens):
        number = normalize_number(tokens[position])
        position += 1
        if not number or not number[:1].isdigit():
            continue
        # "2,000" is a count: a year is printed without a thousands separator
        if len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100 and "," not in tokens[position - 1]:
            found.setdefault("<year>", set()).add(number)
            continue
        if position < len(tokens) and tokens[position] in _SCALE:
            try:  # "240 million" and "2.4 billion" are values to compare, not a number and a unit
                number = f"{float(number) * _SCALE[tokens[position]]:g}"
            except ValueError:
                pass
            position += 1
        ahead = position
        while ahead < len(tokens) and ahead < position + 3 and tokens[ahead] in _SKIPPED_AFTER_NUMBER:
            ahead += 1
        following = tokens[ahead] if ahead < len(tokens) else ""
        second = normalize_number(following) if following else None
        if second and second[:1].isdigit():
            found.setdefault("<score>", set()).add(f"{number}-{second}")
            position = ahead + 1
            continue
        found.setdefault(stem(following) if following else "<none>", set()).add(number)
    return found


def quantity_conflict(left: SentenceView, right: SentenceView) -> bool:
    """Both give a number of the same unit and no number they give it agrees (``same_quantity``)."""
    return any(unit in right.units and not any(same_quantity(a, b, exact=unit == "<year>")
                                               for a in numbers for b in right.units[unit])
               for unit, numbers in left.units.items() if unit != "<none>")


#: the most two numbers may differ and still be one rounded to the other ("59,619 years", "60,000 years")
_ROUNDING = Decimal("0.05")


def same_quantity(left: str, right: str, exact: bool = False) -> bool:
    """Two numbers (or scores "7-2") that state one quantity: equal, or one the other rounded to
    its precision ("1.2 percent" and "1.23 percent"; "300 people" and "296"), within 5%. A decimal's
    precision is as written ("$1.70" is to the cent, so "$1.69" conflicts); a whole number is
    rounded only to hundreds or more ("40 killed" and "42 killed" are two tolls). Years are
    ``exact``."""
    if left == right:
        return True
    left_parts, right_parts = left.split("-"), right.split("-")
    if exact or len(left_parts) != len(right_parts):
        return False
    return all(_rounded_alike(a, b) for a, b in zip(left_parts, right_parts))


def _rounded_alike(left: str, right: str) -> bool:
    try:
        a, b = Decimal(left), Decimal(right)
    except InvalidOperation:  # "2.6.0": a version, not a value
        return left == right
    if not (a.is_finite() and b.is_finite()):
        return False
    step = Decimal(1).scaleb(max(_precision(a), _precision(b)))
    try:
        rounded = a.quantize(step, rounding=ROUND_HALF_UP) == b.quantize(step, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds (an ID, not a quantity)
        return False
    return rounded and abs(a - b) <= _ROUNDING * max(abs(a), abs(b))


def _precision(value: Decimal) -> int:
    """The power of ten a number is given to: decimals as written, whole numbers to their trailing
    zeros from hundreds on."""
    exponent = int(value.as_tuple().exponent)
    if exponent < 0:
        return exponent
    zeros = int(value.normalize().as_tuple().exponent)
    return zeros if zeros >= 2 else 0


def _ngram_f1(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    shared = sum((a & b).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(a.values()), shared / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _set_cosine(left: frozenset, right: frozenset) -> float:
    return len(left & right) / float(np.sqrt(len(left) * len(right))) if left and right else 0.0


def _coverage(part: frozenset, whole: frozenset) -> float:
    return len(part & whole) / len(part) if part else 1.0


def pair_features(cosine: float, left: SentenceView, right: SentenceView) -> np.ndarray:
    """The ``PAIR_FEATURES`` of one pair but the last (``cross``), given its embedding cosine."""
    matcher = SequenceMatcher(None, left.tokens, right.tokens, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    mean_length = (len(left.tokens) + len(right.tokens)) / 2 or 1.0
    shorter, longer = sorted((len(left.tokens), len(right.tokens)))
    names = left.names | right.names
    return np.array([
        cosine,
        _set_cosine(left.stems, right.stems),
        _ngram_f1(left.grams[0], right.grams[0]),
        _ngram_f1(left.grams[1], right.grams[1]),
        _ngram_f1(left.grams[2], right.grams[2]),
        common / mean_length,
        shorter / longer if longer else 0.0,
        min(_coverage(left.stems, right.stems), _coverage(right.stems, left.stems)),
        float(np.log1p(max(len(left.stems - right.stems), len(right.stems - left.stems)))),
        float(bool(left.numbers) and bool(right.numbers) and not (left.numbers & right.numbers)),
        len(left.names ^ right.names) / len(names) if names else 0.0,
    ], dtype=np.float64)
