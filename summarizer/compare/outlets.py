"""Where the outlets agree and where they differ.

Built from the alignment stage's facts (which sentences of which outlets state the same fact),
so it costs no model call and decides nothing again: which facts every outlet reports, which
only some do, and per outlet what it leads with (its own first sentence), what it leaves out that
most others report, and the wording that it alone uses.
"""
from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

from summarizer.config_schema import CompareConfig
from summarizer.neutral.lexicon import Lexicon
from summarizer.compare.only_here import OwnFacts
from summarizer.align.order import shared_order
from summarizer.align.records import Fact, FactMember
from summarizer.text import (WORD, STOPWORDS, content_stems, document_frequency, normalize_number, stem,
                             word_count, words)
from summarizer.types import (ComparedFact, Comparison, DistinctiveTerm, OutletProfile, SegmentedCluster,
                              SelectedGroup, Selection, Sentence, SentenceRef)

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


def _compared(fact: Fact, group: SelectedGroup | None, chosen: set[Sentence],
              text: str | None = None) -> ComparedFact:
    """A fact as the comparison shows it: its best-worded sentence (or ``text``), each outlet once."""
    first_of_document: dict[str, FactMember] = {}
    for member in fact.members:
        first_of_document.setdefault(member.doc_id, member)
    return ComparedFact(
        text=text or (group.representative.text if group else fact.members[0].text),
        documents=tuple(first_of_document),
        sentences=tuple(SentenceRef(m.doc_id, m.sentence, m.span) for m in first_of_document.values()),
        salience=group.salience if group else 0.0,
        in_summary=group is not None and group.representative in chosen)


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
    lowercase_uses = {m.group(0).lower() for m in WORD.finditer(document_text) if m.group(0)[0].islower()}

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
        tokens = list(WORD.finditer(sentence.text))
        lowered = [t.group(0).lower() for t in tokens]
        loaded = [w in loaded_words and not (0 < k < len(tokens) - 1 and lowered[k - 1] in _DETERMINERS
                                             and lowered[k + 1] == "of") for k, w in enumerate(lowered)]
        chosen = [distinctive(t.group(0), loaded[k]) for k, t in enumerate(tokens)]
        for start, end, is_loaded in _pieces(sentence.text, tokens, lowered, chosen, loaded):
            key = sentence.text[start:end].lower()
            counts[key] += 1
            if key not in found:
                found[key] = [sentence.text[start:end], sentence, start, end, is_loaded]
    terms = []
    for key, (phrase, sentence, start, end, is_loaded) in found.items():
        terms.append(DistinctiveTerm(term=phrase if phrase[0].isupper() and phrase.lower() not in
                                     lowercase_uses else phrase.lower(),
                                     count=counts[key], loaded=is_loaded,
                                     context=_context(sentence.text, start, end), sentence=SentenceRef.of(sentence)))
    # Loaded first, then the most unusual in English (a phrase by its rarest word), then the most used.
    rarity = {t.term: min(zipf_frequency(w.lower(), "en") for w in words(t.term)) for t in terms}
    terms.sort(key=lambda t: (-t.loaded, rarity[t.term], -t.count, -word_count(t.term), t.term))
    return tuple(terms[:limit])


def _one_outlets(facts, compared: list, confidence: float) -> list[ComparedFact]:
    """Compared facts one outlet states, with the alignment at least ``confidence`` sure no other
    does; a sentence that states another outlets' fact as a second part is not one outlet's alone."""
    stated_elsewhere = {(m.doc_id, m.sentence) for fact in facts if len(set(fact.documents)) > 1 for m in fact.also}
    return [c for fact, c in compared if len(c.documents) == 1 and fact.confidence >= confidence
            and (c.sentences[0].doc_id, c.sentences[0].index) not in stated_elsewhere]


def _left_out(doc_id: str, index: int, widely_reported: list[ComparedFact], fact_of: dict[int, Fact],
              config: CompareConfig) -> list[ComparedFact]:
    """What more than half of the other outlets report and outlet ``doc_id`` (the ``index``-th) does
    not state, not even as a second part of a sentence about something else (``Fact.also``), with
    the alignment ``compare.left_out_confidence`` sure of that (``Fact.stated_by``; a fact built by
    hand without it: sure). ``fact_of``: each compared fact's alignment fact, by ``id``."""
    def left_out(compared: ComparedFact) -> bool:
        fact = fact_of[id(compared)]
        unstated = 1.0 - fact.stated_by[index] if fact.stated_by else 1.0
        return (doc_id not in compared.documents and doc_id not in {m.doc_id for m in fact.also}
                and unstated >= config.left_out_confidence)

    return list(itertools.islice(filter(left_out, widely_reported), config.max_facts))


def _pieces(text: str, tokens: list, lowered: list[str], chosen: list[bool], loaded: list[bool]):
    """(start, end, loaded) of each distinctive phrase of a sentence: runs of chosen words, bridging
    one glue word between two of them; a run is kept whole only around a loaded word ("spectacle of
    enthusiastic devotion"), else its words stand alone (adjacent words are often from different
    phrases: "site worry")."""
    i = 0
    while i < len(tokens):
        if not chosen[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            if chosen[j + 1]:
                j += 1
            elif (j + 2 < len(tokens) and lowered[j + 1] in _PHRASE_GLUE and chosen[j + 2]
                  and text[tokens[j].end():tokens[j + 2].start()].count(" ") == 2):
                j += 2
            else:
                break
        run = tokens[i:j + 1]
        if any(loaded[i:j + 1]) and not re.search(r"[.,;:!?\"()]", text[run[0].start():run[-1].end()]):
            yield run[0].start(), run[-1].end(), True
        else:
            yield from ((*tokens[k].span(), loaded[k]) for k in range(i, j + 1) if chosen[k])
        i = j + 1


def _listed(ranked: Iterable[ComparedFact], limit: int) -> tuple[ComparedFact, ...]:
    """The first ``limit`` of ``ranked``, and every later one the summary states: each summary sentence
    is accounted for (a two-outlet fact the summary gives is not cut for a seventh three-outlet one)."""
    return tuple(f for k, f in enumerate(ranked) if k < limit or f.in_summary)


def compare(selection: Selection, lexicon: Lexicon, config: CompareConfig) -> Comparison:
    """Compare the outlets of one cluster from its aligned facts (``selection.alignment``): who
    reports each fact is its members' outlets, nothing decided again here."""
    segmented = selection.segmented
    doc_ids = [d.doc_id for d in segmented.cluster.documents]
    if len(doc_ids) < 2:
        return Comparison(tuple(doc_ids), (), (), (), (), note="one document: nothing to compare")
    if not segmented.sentences or selection.alignment is None:
        return Comparison(tuple(doc_ids), (), (), (), (), note="no sentences to compare")
    group_of = {frozenset(g.members): g for g in selection.facts}
    sentences = segmented.sentences
    position_of = {(s.doc_id, s.index): k for k, s in enumerate(sentences)}
    chosen = {g.representative for g in selection.groups}

    def group(fact: Fact) -> SelectedGroup | None:
        return group_of.get(frozenset(sentences[m.position] for m in fact.members))

    # Facts a sentence fit to stand alone states (retrieval offered them); most reported, then most
    # salient first: the order editors read a comparison in.
    offered = [(fact, g) for fact in selection.alignment.facts if (g := group(fact)) is not None]
    compared = sorted(((fact, _compared(fact, g, chosen)) for fact, g in offered),
                      key=lambda pair: (-len(pair[1].documents), -pair[1].salience, pair[1].sentences[0].index))
    total = len(doc_ids)
    ranked = [c for _, c in compared]
    fact_of = {id(c): fact for fact, c in compared}
    everyone = _listed((f for f in ranked if len(f.documents) == total), config.max_facts)
    some = _listed((f for f in ranked if 1 < len(f.documents) < total), config.max_facts)
    texts = {d.doc_id: d.text for d in segmented.cluster.documents}
    alone = _one_outlets(selection.alignment.facts, compared, config.only_here_confidence)
    is_own = OwnFacts(texts)
    alone_in: dict[str, list[ComparedFact]] = {}
    for fact in alone:
        alone_in.setdefault(fact.documents[0], []).append(fact)

    def own(candidates: list[ComparedFact]) -> tuple[ComparedFact, ...]:
        """The first ``max_facts`` of ``candidates`` that are their outlet's alone (and any the summary states)."""
        return _listed(filter(is_own, candidates), config.max_facts)

    outlets = []
    orders = shared_order(selection.alignment)
    frequency = document_frequency_of(segmented)
    widely_reported = [f for f in ranked if 2 * len(f.documents) > total - 1]
    for index, doc in enumerate(segmented.cluster.documents):
        missing = _left_out(doc.doc_id, index, widely_reported, fact_of, config)
        lead = segmented.of_document(doc.doc_id)[0] if segmented.of_document(doc.doc_id) else None
        leads_with = None
        if lead is not None:  # its own first sentence, with the outlets that report the same fact
            fact = selection.alignment.fact_of(position_of[(lead.doc_id, lead.index)])
            leads_with = _compared(fact, group(fact), chosen, text=lead.text)
        outlets.append(OutletProfile(
            doc_id=doc.doc_id, title=doc.title, leads_with=leads_with,
            distinctive_terms=distinctive_terms(segmented, doc.doc_id, lexicon, config.max_terms, frequency),
            omissions=tuple(missing),
            only_here=own(alone_in.get(doc.doc_id, [])), same_order=orders.get(doc.doc_id, ())))
    return Comparison(documents=tuple(doc_ids), reported_by_all=everyone, reported_by_some=some,
                      reported_by_one=own(alone), outlets=tuple(outlets))
