"""The faithfulness guard: is each generated sentence supported by the sources?

A candidate is supported when (1) some source sentence is close to it in meaning, (2) nearly
all its content words occur in its best supporting sentences, (3) every named entity,
number, date and negation in it occurs there too, (4) every quotation in it is verbatim in
a source, (5) it keeps the negation of its closest source sentence, and (6) it contradicts
that sentence in no structure its words alone do not show: names in reversed roles, a predicate
negated in one and not the other, "she" for "he" (``verify/structure.py``). This catches the
two failures seen from small models: invented specifics ("his visit to the United
States") and talk about the sources instead of the story ("The above three sources…").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from summarizer.config_schema import GuardConfig
from summarizer.embed.similarity import Similarity
from summarizer.segment.quotes import has_open_quotation
from summarizer.text import (NEGATIONS, checkable_terms, content_stems, normalize, quantities,
                             term_forms, term_is_supported, word_count, words)
from summarizer.types import Cluster, EmbeddedCluster, Sentence, SupportCheck
from summarizer.verify.structure import contradictions

_QUOTE = re.compile(r'"([^"]{3,})"')
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\(?\d{1,2}[.)]|[A-Za-z][.)])\s+")
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose|whom|where|when)\b[^,]*(?:,|$)", re.IGNORECASE)
# Finite-verb evidence without a tagger: auxiliaries, reporting and common irregular verbs,
# -ed forms, and third-person -s forms in verb position.
_VERB_HINT = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|shall|should|"
    r"do|does|did|says?|said|told|makes?|made|takes?|took|gives?|gave|comes?|came|goes|went|"
    r"meets?|met|holds?|held|leads?|led|seeks?|sought|shot|won|lost|fell|rose|hit|put|set|cut|ran|"
    r"began|became|brought|bought|caught|fought|found|got|kept|left|paid|sent|spent|stood|struck|"
    r"thought|wrote|spoke|broke|chose|drove|flew|grew|knew|saw|sat|sold|won|wore|beat|bit|built|"
    r"dealt|drew|fled|forgave|froze|hid|hung|laid|lay|lit|meant|rode|rang|sank|shook|shut|slid|"
    r"sought|sprang|stole|stuck|swore|swept|swung|taught|threw|understood|woke|withdrew|"
    r"\w{3,}ed)\b"
    # An -s word is a verb ("cements a", "plans to") rather than a plural noun ("leaders of")
    # when what follows is what follows verbs.
    r"|\b\w{3,}s\s+(?:a|an|the|to|that|his|her|its|their|it|him|them|this|these|those|no|not|more|up|"
    r"out|in|on|for|with|into|about|over|against|back|\d+)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SourceIndex:
    """The cluster's sentences, embedded once and reused for every check."""

    sentences: tuple[Sentence, ...]
    vectors: np.ndarray
    normalized_text: str  # every document, lower-cased with single spaces, for quote lookup

    @classmethod
    def of(cls, embedded: EmbeddedCluster) -> SourceIndex:
        return cls(embedded.sentences, embedded.vectors, normalized_sources(embedded.cluster))


def normalized_sources(cluster: Cluster) -> str:
    """Every document lower-cased with single spaces: where quotations are looked up verbatim."""
    return " \n ".join(_squash(d.text) for d in cluster.documents)


@dataclass(frozen=True)
class Verdict:
    check: SupportCheck
    support: tuple[Sentence, ...]  # the source sentences the candidate rests on, best first


@dataclass(frozen=True)
class Repair:
    """A rejected sentence cut back to a supported leading clause."""

    text: str
    verdict: Verdict


def clean_draft(text: str) -> str:
    """Model output as a candidate sentence: normalised characters, no list markers."""
    return _LIST_MARKER.sub("", normalize(text).strip()).strip()


def looks_like_fragment(text: str) -> bool:
    """A sentence whose main clause has no verb ("The pact, which was signed on Monday.")."""
    main_clause = _RELATIVE_CLAUSE.sub(",", text.rstrip(" .!?\"'"))
    return not _VERB_HINT.search(main_clause)


_ROLE_PHRASE = re.compile(r"\b(by|to|from|against)\s+((?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")


def role_phrases(text: str) -> list[str]:
    """'accused by Russia' → ['by russia']: who acted on whom, cheaply.

    A small model that swaps roles ("Kim is accused of supplying Russia" → "Kim has been
    accused by Russia") keeps every name; only the preposition tying a name to its role
    changes, so each such phrase must occur in the sources as written.
    """
    phrases = []
    for preposition, name in _ROLE_PHRASE.findall(text):
        name = re.sub(r"'s$", "", name)
        phrases.append(f"{preposition.lower()} {name.lower()}")
    return phrases


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text.lower()).strip()


# Words that mark a claim as uncertain or second-hand. A sentence whose every supporting source
# sentence hedges must hedge too: "Evidence suggests Russia has deployed …" is not "Russia has
# deployed …" (a rewrite the embedded model produced on the seed cluster).
_HEDGES = frozenset("""
suggest suggests suggested suggesting reportedly allegedly alleged allegations allegation believed
believe believes may might could possibly possible likely unlikely apparently purportedly
unconfirmed unverified reports reported claim claims claimed according speculation rumoured rumored
expected appears appeared seems seemed evidence accuse accuses accused accusation accusations suspect
suspected suspicion suspicions unclear uncertain
""".split())


# Words that upgrade a report to a certainty. The embedded model turned "is expected to open in
# 2029, according to the transport department" into "The transport department has confirmed that
# the bridge ... will open in 2029": every name and number kept, the modality not.
_CERTAINTY = frozenset("""
confirm confirms confirmed confirming confirmation proved proven proves proof definitely certainly
undoubtedly undeniably officially clearly
""".split())


def unbacked_certainty(text: str, support_text: str) -> tuple[str, ...]:
    """Certainty words of ``text`` ("confirmed", "definitely") that its supporting sentences lack."""
    backed = {w.lower() for w in words(support_text)}
    return tuple(dict.fromkeys(w for w in words(text) if w.lower() in _CERTAINTY and w.lower() not in backed))


def _hedged(text: str) -> bool:
    return any(t.lower() in _HEDGES for t in words(text) if t != "May")  # "May" is the month


def _has_negation(text: str) -> bool:
    return any(w.lower() in NEGATIONS or w.lower().endswith("n't") for w in words(text))


class FaithfulnessGuard:
    """Checks candidate sentences against a cluster's sources, in batches."""

    def __init__(self, similarity: Similarity, config: GuardConfig) -> None:
        self.similarity = similarity
        self.config = config

    def check(self, candidates: list[str], index: SourceIndex,
              min_words: list[int] | None = None) -> list[Verdict]:
        """One verdict per candidate; all candidates are embedded in one batch.

        ``min_words`` optionally gives, per candidate, the length below which it is too short
        to carry its sources' fact (see ``guard.min_length_ratio``).
        """
        if not candidates:
            return []
        if not index.sentences:
            return [Verdict(SupportCheck(False, 0.0, (), "the cluster has no source sentences"), ())
                    for _ in candidates]
        vectors = self.similarity.encode(candidates)
        similarity = self.similarity.between(vectors, index.vectors, candidates, [s.text for s in index.sentences])
        minimum = min_words or [0] * len(candidates)
        return [self._verdict(text, row, index, floor_words)
                for text, row, floor_words in zip(candidates, similarity, minimum)]

    def _verdict(self, text: str, similarity: np.ndarray, index: SourceIndex,
                 min_words: int = 0) -> Verdict:
        config = self.config
        ranked = np.argsort(-similarity, kind="stable")[:config.support_top_k]
        best = float(similarity[ranked[0]])
        floor = max(config.min_similarity * 0.85, best - 0.15)
        support = tuple(index.sentences[i] for i in ranked if similarity[i] >= floor) \
            or (index.sentences[ranked[0]],)
        rounded = round(best, 4)
        support_text = " ".join(s.text for s in support)
        forms = term_forms(support_text)
        missing_terms = tuple(dict.fromkeys(
            token for kind, token in checkable_terms(text) if not term_is_supported(kind, token, forms)))
        # A number must also keep its unit: "a 2-year debate" is not "7 to 2 … three years".
        missing_terms += tuple(f"{number} {unit}" for number, unit in
                               sorted(quantities(text) - quantities(support_text)))
        if best < config.min_similarity:
            return Verdict(SupportCheck(False, rounded, missing_terms, f"no source sentence says this "
                                        f"(best similarity {best:.2f} < {config.min_similarity})", 0.0),
                           support)
        quotes = tuple(f'"{q}"' for q in _QUOTE.findall(text) if _squash(q) not in index.normalized_text)
        support_squashed = _squash(support_text)
        roles = tuple(p for p in role_phrases(text) if p not in support_squashed)
        stems = content_stems(text)
        overlap = len(stems & content_stems(support_text)) / len(stems) if stems else 0.0
        reasons = []
        if missing_terms:
            reasons.append("names, numbers, dates or negations not in the sources it matches: "
                           + ", ".join(missing_terms))
        if quotes:
            reasons.append("quotation not found verbatim in any source")
        if roles:
            reasons.append("who-did-what not as in the sources: " + ", ".join(roles))
        if overlap < config.min_content_overlap:
            reasons.append(f"only {overlap:.0%} of its content words occur in the supporting "
                           f"sentences (< {config.min_content_overlap:.0%})")
        if all(_hedged(s.text) for s in support) and not _hedged(text):
            reasons.append("states as fact what its sources only report or suggest")
        certainty = unbacked_certainty(text, support_text)
        if certainty:
            reasons.append("claims a certainty its sources do not: " + ", ".join(certainty))
        if _has_negation(support[0].text) and not _has_negation(text) and len(support) == 1:
            reasons.append("drops the negation of its source sentence")
        structural = contradictions(text, [s.text for s in support])
        if structural:
            reasons.append("contradicts its closest source sentence: " + ", ".join(structural))
        # A source sentence as its outlet wrote it is no fragment of one: headlines and datelines
        # ("WASHINGTON — The offer: …") often have no verb the hint list knows.
        if looks_like_fragment(text) and _squash(text) != _squash(support[0].text):
            reasons.append("not a complete sentence")
        if has_open_quotation(text):
            reasons.append("a quotation opens or closes without its other mark")
        if word_count(text) < min_words:
            reasons.append(f"too short ({word_count(text)} words) to carry its sources' fact")
        return Verdict(SupportCheck(not reasons, rounded, missing_terms + quotes + roles + structural,
                                    "; ".join(reasons), round(overlap, 4)),
                       support)

    def repair(self, text: str, index: SourceIndex, min_words: int = 6) -> Repair | None:
        """Cut ``text`` back to its longest supported leading clause, if it has one."""
        cuts = [m.start() for m in re.finditer(r",\s|;\s|\s(?:and|but|while|which|as|after|amid)\s", text)]
        prefixes = []
        for cut in sorted(cuts, reverse=True):
            prefix = text[:cut].rstrip(" ,;")
            if word_count(prefix) >= min_words:
                prefixes.append(prefix + ".")
        for prefix, verdict in zip(prefixes, self.check(prefixes, index, [min_words] * len(prefixes))):
            if verdict.check.supported:
                return Repair(prefix, verdict)
        return None
