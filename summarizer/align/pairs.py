"""What a "same fact" decision reads of two sentences of different outlets.

Read alone (two one-sentence documents, MSRP's setting), a pair is decided by a cross-encoder that
reads both sentences at once (``cross.py``; its logit, calibrated by the pair model's ``pair``
part). Eleven lexical views (n-gram F1, longest common subsequence, content-stem overlap and
containment, length ratio, number and name agreement, the embedding cosine; Madnani et al. 2012's
recipe for MSRP) were read beside it until 2026-12-07: with the cross-encoder reading both orders
they added nothing (MSRP train, 10-fold: 0.799 / 0.851 accuracy / F1 with them, 0.803 / 0.854
without), so the decision is the cross-encoder's alone. Within a story the pair is read in context
(``CONTEXT_FEATURES``). A conflict of quantities (the same unit with other numbers: "7 to 2"
against "6 to 3", "240 million" against "2.4 billion") is decisive by itself (``quantity_conflict``),
whatever the words share; a number one outlet rounds is the same quantity (``same_quantity``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from summarizer.text import content_stems, normalize_number, stem, words

PAIR_FEATURES = (
    "cross",  # the cross-encoder's logit, both reading orders averaged (``cross.CrossReader.logits``)
)

#: what the context part of the pair model reads (``scoring.pair_table``)
CONTEXT_FEATURES = (
    "csls",  # 2·cosine − r(a) − r(b), r = mean cosine to the 10 nearest other outlets' sentences but the partner
    "rare_stems",  # set cosine of content stems weighted by their rarity in the cluster (squared idf)
)


@dataclass(frozen=True)
class SentenceView:
    """One sentence, prepared once for every pair it takes part in."""

    stems: frozenset[str]  # content-word stems
    units: dict  # unit word -> set of numbers with it ("year": {"24"})

    @classmethod
    def of(cls, text: str) -> SentenceView:
        return cls(content_stems(text), _numbers_by_unit(tuple(t.lower() for t in words(text))))


_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SKIPPED_AFTER_NUMBER = frozenset({"to", "of", "and", "or", "per", "more", "than", "a", "an", "the", "new"})


def _numbers_by_unit(tokens: tuple[str, ...]) -> dict:
    """Each number's unit: the first word after it that is no glue word ("24 years" → year).
    Four-digit numbers from 1800 to 2100 are years; a number followed by another ("7 to 2") is
    one score ("7-2")."""
    found: dict[str, set[str]] = {}
    position = 0
    while position < len(tokens):
        number = normalize_number(tokens[position])
        position += 1
        if not number or not number[:1].isdigit():
            continue
        if len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100:
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
