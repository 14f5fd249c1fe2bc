"""What a sentence says beyond its words: who did what to whom, what is denied, who "she" is.

The guard's other checks compare sets of words (names, numbers, content words), which a sentence
keeps when it swaps two names ("Paul said Trump will not be convicted" from "Trump said Paul …"),
moves a negation ("would not be tested" from "would be tested") or turns "he" into "she". These
checks compare the sentence with its closest source sentence and name the part that contradicts
it (issue #21, synthetic corruptions in eval/corruption_test.py):

* **roles**: two names and a word between them that both sentences have, in reversed order
  ("X defeated Y" / "Y defeated X"); a passive ("by X") is left to the guard's role check;
* **negation**: a predicate one sentence negates ("not", "never", "n't" before it) and the
  other states plainly;
* **gender**: he/him/his where the supporting sentences only say she/her, or the reverse;
* **numbers**: a number put where the closest sentence has another ("52-7 vote" for "52-48
  vote"), which a bag of words misses when the new number occurs elsewhere in the support.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from summarizer.text import NEGATIONS, STOPWORDS, normalize_number, stem

# Words start with a letter of any script ([^\W\d_]): "[A-Za-z]" read "Éric" as "ric" and "Ólafur" as
# "lafur", so a checker compared the wrong words.
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NAME = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?: [A-Z][a-z]+)*(?![\w'’-])")
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_][\w'’]*")
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
ALIGNED = 0.5  # share of matching words (difflib ratio) at which a source sentence words the same claim
MAX_CHARACTERS = 2000  # of a sentence and of each supporting sentence, compared (real ones are shorter)
MAX_NAMES = 8  # names of one sentence whose order is compared (the first ones)
NEGATION_REACH = 3  # words after a negation in which its predicate is looked for ("not yet been tested")


def _negated(text: str) -> tuple[set[str], set[str]]:
    """(stems a negation governs, every content stem) of ``text``."""
    tokens = [t.lower() for t in _WORD.findall(text.replace("’", "'"))]  # "hasn’t" is "hasn't"
    negated, plain = set(), set()
    for position, token in enumerate(tokens):
        if token not in STOPWORDS and token not in NEGATIONS and not token.endswith("n't"):
            plain.add(stem(token))
        if token in NEGATIONS or token.endswith("n't"):
            for following in tokens[position + 1:position + 1 + NEGATION_REACH]:
                if following not in STOPWORDS and following not in NEGATIONS and not following.endswith("ly"):
                    negated.add(stem(following))
                    break
    return negated, plain


def negation_conflicts(text: str, closest: str) -> tuple[str, ...]:
    """Predicates ``text`` negates that ``closest`` states, or states that ``closest`` negates."""
    negated, plain = _negated(text)
    source_negated, source_plain = _negated(closest)
    added = sorted(p for p in negated - source_negated if p in source_plain)
    dropped = sorted(p for p in source_negated - negated if p in plain)
    return tuple(f"not {p}" for p in added) + tuple(f"dropped not {p}" for p in dropped)


def gender_conflicts(text: str, support_text: str) -> tuple[str, ...]:
    """Pronouns of one gender where the supporting sentences use only the other."""
    words = {t.lower() for t in _WORD.findall(text)}
    support = {t.lower() for t in _WORD.findall(support_text)}
    conflicts = []
    for own, other in ((_MALE, _FEMALE), (_FEMALE, _MALE)):
        if words & own and support & other and not support & own:
            conflicts.extend(sorted(words & own))
    return tuple(conflicts)


def _positions(text: str) -> tuple[list[str], dict[str, list[int]]]:
    tokens = [t.lower() for t in _WORD.findall(text)]
    places: dict[str, list[int]] = {}
    for position, token in enumerate(tokens):
        places.setdefault(token, []).append(position)
    return tokens, places


def number_conflicts(text: str, closest: str) -> tuple[str, ...]:
    """Numbers of ``text`` standing where ``closest`` has other numbers, word for word around them."""
    tokens, source_tokens = _TOKEN.findall(text), _TOKEN.findall(closest)
    conflicts = []
    matcher = SequenceMatcher(None, [t.lower() for t in tokens], [t.lower() for t in source_tokens], autojunk=False)
    for kind, i1, i2, j1, j2 in matcher.get_opcodes():
        if kind != "replace":
            continue
        new = {normalize_number(t) for t in tokens[i1:i2]} - {None}
        old = {normalize_number(t) for t in source_tokens[j1:j2]} - {None}
        if new and old and not new & old:
            conflicts.extend(sorted(t for t in tokens[i1:i2] if normalize_number(t)))
    return tuple(conflicts)


def role_conflicts(text: str, closest: str) -> tuple[str, ...]:
    """Name pairs whose order around a shared word is reversed in ``closest``."""
    lower = {t for t in _WORD.findall(text + " " + closest) if t.islower()}
    names = [n for n in dict.fromkeys(m.group(0).split()[-1].lower() for m in _NAME.finditer(text))
             if n not in STOPWORDS and n not in lower]
    tokens, places = _positions(text)
    source_tokens, source_places = _positions(closest)
    # A sentence's roles are played by a few names; a hostile "sentence" of a thousand names must
    # not cost a million pairs.
    once = [n for n in names if len(places.get(n, ())) == 1 and len(source_places.get(n, ()))
            == 1][:MAX_NAMES]
    conflicts = []
    for i, first in enumerate(once):
        for second in once[i + 1:]:
            a, b = places[first][0], places[second][0]
            sa, sb = source_places[first][0], source_places[second][0]
            if (a < b) == (sa < sb):
                continue
            between = {t for t in tokens[min(a, b) + 1:max(a, b)] if t not in STOPWORDS}
            source_between = {t for t in source_tokens[min(sa, sb) + 1:max(sa, sb)] if t not in STOPWORDS}
            if "by" in tokens[min(a, b):max(a, b)] or "by" in source_tokens[min(sa, sb):max(sa, sb)]:
                continue  # active and passive ("X beat Y", "Y was beaten by X") say the same
            if between & source_between:
                conflicts.append(f"{first} … {second}")
    return tuple(conflicts)


def _against(text: str, source: str, gender: tuple[str, ...]) -> tuple[str, ...]:
    """``text``'s contradictions of one source sentence; ``gender``: its pronoun conflicts with the
    whole support, the same against each sentence."""
    return negation_conflicts(text, source) + gender + role_conflicts(text, source) + number_conflicts(text, source)


def aligned(text: str, source: str) -> bool:
    """Whether ``source`` is a wording of ``text`` (half of their words in the same order)."""
    return SequenceMatcher(None, _TOKEN.findall(text.lower()), _TOKEN.findall(source.lower()),
                           autojunk=False).ratio() >= ALIGNED


def contradictions(text: str, support: list[str]) -> tuple[str, ...]:
    """The structural contradictions of ``text`` against its closest source sentence (``support[0]``)
    that every other supporting sentence worded like it shares (a sentence fused from two outlets
    may say "One hour after" with one of them where the closest says "By 10 am"), and pronouns of
    the other gender than every supporting sentence's."""
    # Word alignment grows with the square of a sentence's length: a hostile one-sentence page is
    # compared by its beginning.
    text, support = text[:MAX_CHARACTERS], [s[:MAX_CHARACTERS] for s in support]
    gender = gender_conflicts(text, " ".join(support))
    found = _against(text, support[0], gender)
    for other in support[1:]:
        if found and aligned(text, other):
            found = tuple(c for c in found if c in _against(text, other, gender))
    return found
