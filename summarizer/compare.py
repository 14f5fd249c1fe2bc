"""Where the outlets agree and where they differ.

Built from retrieval's fact groups (near-duplicate sentences across outlets) and the sentence
embeddings the pipeline already has, so it costs no model call: which facts every outlet
reports, which only some do, and per outlet what it leaves out that most others report and
the wording that it alone uses.

A group records one sentence per outlet, and an outlet can state two facts in one sentence,
so who carries a fact is decided by similarity to the group's sentences, not by membership
alone; an omission needs the outlet to have no sentence even loosely like the fact.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from summarizer.config_schema import CompareConfig
from summarizer.lexicon import Lexicon
from summarizer.only_here import own_facts
from summarizer.segment import document_blocks
from summarizer.similarity import Similarity
from summarizer.text import STOPWORDS, content_stems, document_frequency, normalize_number, stem, word_count
from summarizer.types import (ComparedFact, Comparison, DistinctiveTerm, EmbeddedCluster, OutletProfile,
                              SegmentedCluster, SelectedGroup, Selection, Sentence, SentenceRef)

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
# Words that may sit inside a distinctive phrase without being distinctive themselves
# ("spectacle of enthusiastic devotion").
_PHRASE_GLUE = frozenset({"of", "and", "to", "a", "an", "the", "in", "for"})
#: words at least this common in English (wordfreq's Zipf scale: 4.5 = 30 per million words, everyday
#: vocabulary such as "later", "help", "nuclear") are no outlet's distinctive wording unless loaded
COMMON_ZIPF = 4.5
# "any kind of", "a sort of": a word between a determiner and "of" is a noun, whatever adjective
# it can also be ("kind" is a subjective adjective in the lexicons, not in "any kind of treaty").
_DETERMINERS = frozenset({"a", "an", "the", "any", "every", "each", "some", "this", "that", "these", "those",
                          "what", "which", "no", "another", "its", "their", "his", "her", "our", "my", "your"})


class _Carriers:
    """Similarity of fact groups to every source sentence.

    ``prepare`` computes the rows of every sentence the comparison will ask about in one call, so
    the comparison costs one (facts × sentences) product instead of one per fact and outlet.
    """

    def __init__(self, embedded: EmbeddedCluster, similarity: Similarity) -> None:
        self.sentences = embedded.sentences
        self.vectors = embedded.vectors
        self.texts = embedded.texts
        self.similarity = similarity
        self.position = {(s.doc_id, s.index): i for i, s in enumerate(self.sentences)}
        self.blocks = document_blocks(self.sentences)
        self.rows: dict[int, np.ndarray] = {}

    def prepare(self, sentences: list[Sentence]) -> None:
        """Similarity rows of ``sentences`` to every sentence, computed in one batch."""
        wanted = sorted({self.position[(s.doc_id, s.index)] for s in sentences} - set(self.rows))
        if wanted:
            computed = self.similarity.between(self.vectors[wanted], self.vectors, [self.texts[r] for r in wanted],
                                               self.texts)
            self.rows.update(zip(wanted, computed))

    def best_per_document(self, members: tuple[Sentence, ...], doc_ids: list[str]) -> dict[str, tuple[float, int]]:
        """For each document: the best similarity of any of its sentences to any member."""
        self.prepare(list(members))
        similarity = np.max([self.rows[self.position[(m.doc_id, m.index)]] for m in members], axis=0)
        wanted = set(doc_ids)
        best: dict[str, tuple[float, int]] = {}
        for doc, first, end in self.blocks:
            if doc in wanted:
                top = first + int(np.argmax(similarity[first:end]))
                best[doc] = (float(similarity[top]), top)
        return best


def _fact(group: SelectedGroup, carriers: _Carriers, doc_ids: list[str], threshold: float,
          in_summary: bool) -> tuple[ComparedFact, dict[str, float]]:
    best = carriers.best_per_document(group.members, doc_ids)
    member_docs = {m.doc_id: m for m in group.members}
    documents, refs = [], []
    for doc in doc_ids:
        if doc in member_docs:
            documents.append(doc)
            refs.append(SentenceRef.of(member_docs[doc]))
        elif doc in best and best[doc][0] >= threshold:
            documents.append(doc)
            refs.append(SentenceRef.of(carriers.sentences[best[doc][1]]))
    fact = ComparedFact(text=group.representative.text, documents=tuple(documents), sentences=tuple(refs),
                        salience=group.salience, in_summary=in_summary)
    return fact, {doc: score for doc, (score, _) in best.items()}


def _distinct(facts: list[ComparedFact], limit: int) -> tuple[ComparedFact, ...]:
    """At most ``limit`` facts, skipping one whose sentence another listed fact already used."""
    kept: list[ComparedFact] = []
    used: set[SentenceRef] = set()
    for fact in facts:
        if len(kept) >= limit:
            break
        if used & set(fact.sentences):
            continue
        kept.append(fact)
        used.update(fact.sentences)
    return tuple(kept)


def _context(text: str, start: int, end: int, words_each_side: int = 4) -> str:
    """The words around ``text[start:end]``, as written, with ellipses where text was cut."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    before = [s for s in spans if s[1] <= start]
    after = [s for s in spans if s[0] >= end]
    left = before[-words_each_side][0] if len(before) >= words_each_side else 0
    right = after[words_each_side - 1][1] if len(after) >= words_each_side else len(text)
    return (("… " if left > 0 else "") + text[left:right].strip()
            + (" …" if right < len(text) else ""))


def document_frequency_of(segmented: SegmentedCluster) -> Counter[str]:
    """In how many documents of the cluster each content-word stem occurs."""
    return document_frequency(content_stems(d.text) for d in segmented.cluster.documents)


def distinctive_terms(segmented: SegmentedCluster, doc_id: str, lexicon: Lexicon,
                      limit: int, frequency: Counter[str] | None = None) -> tuple[DistinctiveTerm, ...]:
    """Words and phrases of one outlet whose stems no other outlet uses, loaded words first.

    Proper names are left out (a name only one outlet mentions is a fact it adds, shown in
    its facts, not its wording); adjacent distinctive words join into one phrase.
    ``frequency`` is ``document_frequency_of(segmented)``, computed once for all outlets.
    """
    from wordfreq import zipf_frequency  # imported here: only the comparison needs it

    frequency = frequency if frequency is not None else document_frequency_of(segmented)
    loaded_words = lexicon.loaded
    document_text = next(d.text for d in segmented.cluster.documents if d.doc_id == doc_id)
    lowercase_uses = {m.group(0).lower() for m in _TOKEN.finditer(document_text) if m.group(0)[0].islower()}

    def distinctive(token: str, loaded: bool) -> bool:
        lowered = token.lower()
        if lowered in STOPWORDS or len(lowered) < 3 or normalize_number(token) or any(c.isdigit() for c in token):
            return False
        if token[0].isupper() and lowered not in lowercase_uses:
            return False  # a proper name
        parts = [p for p in re.split(r"[-'’]", lowered) if p and p not in STOPWORDS]
        if not loaded and zipf_frequency(lowered, "en") >= COMMON_ZIPF:
            return False  # everyday English: the outlet did not choose it
        # Its own document counts once, so 1 means no other outlet uses the stem.
        return bool(parts) and all(frequency[stem(p)] <= 1 for p in parts)

    found: dict[str, list] = {}
    counts: Counter[str] = Counter()
    for sentence in segmented.of_document(doc_id):
        tokens = list(_TOKEN.finditer(sentence.text))
        lowered = [t.group(0).lower() for t in tokens]
        loaded = [w in loaded_words and not (0 < k < len(tokens) - 1 and lowered[k - 1] in _DETERMINERS
                                             and lowered[k + 1] == "of") for k, w in enumerate(lowered)]
        chosen = [distinctive(t.group(0), loaded[k]) for k, t in enumerate(tokens)]
        i = 0
        while i < len(tokens):
            if not chosen[i]:
                i += 1
                continue
            j = i
            # Extend over distinctive words, bridging one glue word between two of them.
            while j + 1 < len(tokens):
                if chosen[j + 1]:
                    j += 1
                elif (j + 2 < len(tokens) and lowered[j + 1] in _PHRASE_GLUE and chosen[j + 2]
                      and sentence.text[tokens[j].end():tokens[j + 2].start()].count(" ") == 2):
                    j += 2
                else:
                    break
            run = tokens[i:j + 1]
            loaded_run = any(loaded[i:j + 1])
            # A run is kept whole only around a loaded word ("spectacle of enthusiastic
            # devotion"); otherwise adjacent words are often from different phrases ("site worry").
            pieces = [(run[0].start(), run[-1].end(), loaded_run)] if loaded_run and not re.search(
                r"[.,;:!?\"()]", sentence.text[run[0].start():run[-1].end()]) else \
                [(*tokens[k].span(), loaded[k]) for k in range(i, j + 1) if chosen[k]]
            for start, end, is_loaded in pieces:
                key = sentence.text[start:end].lower()
                counts[key] += 1
                if key not in found:
                    found[key] = [sentence.text[start:end], sentence, start, end, is_loaded]
            i = j + 1
    terms = []
    for key, (phrase, sentence, start, end, is_loaded) in found.items():
        terms.append(DistinctiveTerm(term=phrase if phrase[0].isupper() and phrase.lower() not in
                                     lowercase_uses else phrase.lower(),
                                     count=counts[key], loaded=is_loaded,
                                     context=_context(sentence.text, start, end), sentence=SentenceRef.of(sentence)))
    # Loaded first, then the most unusual in English (a phrase by its rarest word), then the most used.
    rarity = {t.term: min(zipf_frequency(w.lower(), "en") for w in _TOKEN.findall(t.term)) for t in terms}
    terms.sort(key=lambda t: (-t.loaded, rarity[t.term], -t.count, -word_count(t.term), t.term))
    return tuple(terms[:limit])


def compare(selection: Selection, similarity: Similarity, lexicon: Lexicon, config: CompareConfig,
            same_fact_threshold: float) -> Comparison:
    """Compare the outlets of one cluster.

    An outlet carries a fact when one of its sentences is at least ``same_fact_threshold``
    (``same_fact_threshold``) similar to it, the measure retrieval grouped facts by.
    """
    segmented = selection.segmented
    doc_ids = [d.doc_id for d in segmented.cluster.documents]
    if len(doc_ids) < 2:
        return Comparison(tuple(doc_ids), (), (), (), (), note="one document: nothing to compare")
    if not segmented.sentences:
        return Comparison(tuple(doc_ids), (), (), (), (), note="no sentences to compare")
    carriers = _Carriers(selection.embedded, similarity)
    first_sentence: dict[str, Sentence] = {}
    for sentence in segmented.sentences:
        first_sentence.setdefault(sentence.doc_id, sentence)
    group_of = {member: g for g in selection.facts for member in g.members}
    carriers.prepare([m for g in selection.facts[:config.facts_considered] for m in g.members]
                     + [m for lead in first_sentence.values() for m in (group_of[lead].members if lead in group_of
                                                                           else (lead,))])
    chosen = {g.representative for g in selection.groups}
    facts: list[ComparedFact] = []
    closeness: list[dict[str, float]] = []
    for group in selection.facts[:config.facts_considered]:
        fact, best = _fact(group, carriers, doc_ids, same_fact_threshold, group.representative in chosen)
        facts.append(fact)
        closeness.append(best)
    total = len(doc_ids)
    # Most supported first, then most salient: the order editors read a comparison in.
    by_support = sorted(range(len(facts)), key=lambda k: (-len(facts[k].documents), -facts[k].salience, k))
    ranked = [facts[k] for k in by_support]
    everyone = _distinct([f for f in ranked if len(f.documents) == total], config.max_facts)
    some = _distinct([f for f in ranked if 1 < len(f.documents) < total], config.max_facts)
    texts = {d.doc_id: d.text for d in segmented.cluster.documents}
    own = own_facts([f for f in ranked if len(f.documents) == 1], texts)
    one = _distinct(own, config.max_facts)

    outlets = []
    frequency = document_frequency_of(segmented)
    for doc in segmented.cluster.documents:
        missing = []
        for k in by_support:
            fact = facts[k]
            others_carrying = len(fact.documents)
            # "Most others": more than half of the other outlets report it, and this outlet
            # has nothing even loosely like it.
            if (doc.doc_id not in fact.documents and 2 * others_carrying > total - 1
                    and closeness[k].get(doc.doc_id, 0.0) < config.omission_similarity):
                missing.append(fact)
        lead = first_sentence.get(doc.doc_id)
        leads_with = None
        if lead is not None:
            group = group_of.get(lead) or SelectedGroup(lead, (lead,), 0.0, (doc.doc_id,))
            leads_with = _fact(group, carriers, doc_ids, same_fact_threshold, group.representative in chosen)[0]
        only_here = [f for f in own if f.documents == (doc.doc_id,)]
        outlets.append(OutletProfile(
            doc_id=doc.doc_id, title=doc.title, leads_with=leads_with,
            distinctive_terms=distinctive_terms(segmented, doc.doc_id, lexicon, config.max_terms, frequency),
            omissions=_distinct(missing, config.max_facts), only_here=_distinct(only_here, config.max_facts)))
    return Comparison(documents=tuple(doc_ids), reported_by_all=everyone, reported_by_some=some,
                      reported_by_one=one, outlets=tuple(outlets))
