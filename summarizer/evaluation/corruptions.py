"""Synthetic corruptions of real source sentences: a test of what the consistency checker catches.

The FactCC recipe (Kryściński et al. 2020), made deterministic: each rule changes one fact of a
source sentence and leaves the rest as written, so a checker that reads the sentence against its
sources must notice exactly that change. The unaltered sentence is kept beside its corruptions:
the checker must accept it (a false alarm otherwise).

* ``entity``: a name replaced by another name the same cluster uses ("Putin" → "Kim");
* ``number``: a number replaced by another the cluster uses, else doubled;
* ``date``: a weekday or month replaced by the next one;
* ``negation``: "not" added after the first auxiliary, or removed where it is;
* ``pronoun``: he ↔ she, his ↔ her, him ↔ her;
* ``role``: the first two names of the sentence swapped ("X defeated Y" → "Y defeated X");
* ``fusion``: the sentence's first clause joined to the last clause of an unrelated sentence of
  another outlet (a stitched claim neither outlet made).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

KINDS = ("entity", "number", "date", "negation", "pronoun", "role", "fusion")
_NAME = re.compile(r"(?<![\w.'’-])[A-Z][a-z]+(?: [A-Z][a-z]+)*(?![\w'’-])")
_NUMBER = re.compile(r"(?<![\w.,])\d(?:[\d,]*\d)?(?:\.\d+)?(?![\w.,]*\d)")
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTHS = "January February March April May June July August September October November December".split()
_AUXILIARY = re.compile(r"\b(is|was|are|were|has|have|had|will|would|can|could|should|did|does|do)\b(?! not\b)")
_NEGATION = re.compile(r"\b(is|was|are|were|has|have|had|will|would|can|could|should|did|does|do) not\b")
_PRONOUNS = {"he": "she", "she": "he", "his": "her", "him": "her", "He": "She", "She": "He", "His": "Her"}
_CLAUSE = re.compile(r", (?:and |but |while |as |after |which )?")
# Capitalised words that are no names: sentence openers and function words.
_NOT_NAMES = frozenset("The A An In On At As But And If When After Before While This That These Those It He She "
                       "They We I His Her Their Its Our Mr Mrs Ms Dr".split()) | set(_WEEKDAYS) | set(_MONTHS)


@dataclass(frozen=True)
class Corruption:
    """One altered sentence (``kind``) or the unaltered one (``kind`` = "original")."""

    kind: str
    text: str
    source: str  # the sentence as written


def names_in(text: str, common: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised names of ``text``: not function words, and no word of ``common`` (the words a
    cluster also writes in lower case: "Experts", "Lots")."""
    found = []
    for match in _NAME.finditer(text):
        words = [w for w in match.group(0).split() if w not in _NOT_NAMES and w.lower() not in common]
        if words:
            found.append(" ".join(words))
    return found


def numbers_in(text: str) -> list[str]:
    """The numbers ``text`` writes ("52", "135,992", "1.9")."""
    return _NUMBER.findall(text)


def lower_case_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case."""
    return frozenset(re.findall(r"\b[a-z]+\b", text))


def corrupt(sentence: str, cluster_names: list[str], cluster_numbers: list[str], unrelated: str,
            rng: random.Random, common: frozenset[str] = frozenset()) -> list[Corruption]:
    """Every corruption that applies to ``sentence``, the unaltered sentence first; ``common``:
    the cluster's lower-case words (see ``names_in``)."""
    made = [Corruption("original", sentence, sentence)]

    def add(kind: str, text: str) -> None:
        if text != sentence:
            made.append(Corruption(kind, text, sentence))

    names = names_in(sentence, common)
    others = [n for n in dict.fromkeys(cluster_names) if n not in sentence and not any(n in m or m in n for m in names)]
    if names and others:
        target = rng.choice(names)
        add("entity", sentence.replace(target, rng.choice(others), 1))
    numbers = numbers_in(sentence)
    if numbers:
        target = rng.choice(numbers)
        elsewhere = [n for n in dict.fromkeys(cluster_numbers) if n != target and n not in numbers]
        value = rng.choice(elsewhere) if elsewhere else str(int(float(target.replace(",", ""))) * 2)
        add("number", re.sub(rf"(?<![\w.,]){re.escape(target)}(?![\w.,]*\d)", value, sentence, count=1))
    for calendar in (_WEEKDAYS, _MONTHS):
        for position, word in enumerate(calendar):
            if re.search(rf"\b{word}\b", sentence):
                add("date", re.sub(rf"\b{word}\b", calendar[(position + 1) % len(calendar)], sentence, count=1))
                break
        else:
            continue
        break
    negated = _NEGATION.search(sentence)
    if negated:
        add("negation", sentence[:negated.end(1)] + sentence[negated.end():])
    elif (auxiliary := _AUXILIARY.search(sentence)):
        add("negation", sentence[:auxiliary.end()] + " not" + sentence[auxiliary.end():])
    pronoun = re.search(r"\b(" + "|".join(_PRONOUNS) + r")\b", sentence)
    if pronoun:
        add("pronoun", sentence[:pronoun.start()] + _PRONOUNS[pronoun.group(1)] + sentence[pronoun.end():])
    # a role is played by a name inside the sentence: its first word may be any capitalised word
    distinct = list(dict.fromkeys(n for n in names if not sentence.startswith(n) or " " in n))
    if len(distinct) >= 2 and distinct[0] not in distinct[1] and distinct[1] not in distinct[0]:
        first, second = distinct[0], distinct[1]
        swapped = sentence.replace(first, "\0").replace(second, first).replace("\0", second)
        add("role", swapped)
    head = _CLAUSE.split(sentence, maxsplit=1)
    tail = _CLAUSE.split(unrelated.rstrip("."), maxsplit=1)
    if len(head) == 2 and len(tail) == 2 and len(head[0].split()) >= 4 and len(tail[1].split()) >= 4:
        add("fusion", f"{head[0]}, and {tail[1].rstrip('.')}.")
    return made
