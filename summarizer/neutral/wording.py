"""Neutral wording: remove the modifiers and framing openings that carry one outlet's colour, the
closing clause only one outlet adds, and a closing guess no one is named for.

A loaded modifier (``summarizer.neutral.lexicon``) is only removed when it is one outlet's colour: used by
at most ``neutral.max_outlets_for_colour`` documents of the cluster (``Lexicon.colour_words``), or
by no other outlet's sentence of the same fact (``fact_colour``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from summarizer.neutral.articles import indefinite_article
from summarizer.neutral.hedges import speculative
from summarizer.neutral.lexicon import Lexicon
from summarizer.segment.quotes import has_open_quotation
from summarizer.text import DATE_WORDS, content_stems, normalize_number, words
from summarizer.types import Cluster, Headline, SummarySentence

_COPULAS = frozenset("is was were are be been being seems seemed remains remained became".split())
_ARTICLES = frozenset({"a", "an"})


@dataclass(frozen=True)
class NeutralEdit:
    text: str
    removed: tuple[str, ...]



# "In a significant geopolitical development, Putin and Kim signed ...": an opening phrase that
# frames the news rather than reporting it. Up to eight words before the first comma.
_LEAD_IN = re.compile(r"^(?:In|With|Amid|Marking)\s+(?:a|an|what\s+(?:is|was)\s+(?:a|an)?)\s*"
                      r"((?:[\w'-]+\s+){0,6}[\w'-]+),\s+(?=\S)")


# When the news happened is a fact, not framing: "In a landmark summit on Wednesday, Putin and Kim
# signed ..." keeps "On Wednesday, Putin and Kim signed ...".
_DAYS_AND_MONTHS = "|".join(sorted((w.capitalize() for w in DATE_WORDS), key=len, reverse=True))
_TIME_TAIL = re.compile(r"\b(?:on|in|at|during|this|last|late|early|earlier)\s+(?:(?:the|this|last|late|early)\s+)?"
                        rf"(?:{_DAYS_AND_MONTHS}|[12]\d{{3}}|week|weekend|month|year|morning|afternoon|evening|night)"
                        r"(?:\s+(?:\d{1,2}|night|morning|afternoon|evening))?$")


def strip_framing_lead_in(text: str, document_texts: Iterable[str], lexicon: Lexicon) -> NeutralEdit:
    """Drop an evaluative opening phrase that at most ``max_outlets_for_colour`` outlets use.

    Only phrases holding a loaded modifier ("significant", "landmark", "stunning") are framing;
    "In a statement, the ministry said" is attribution and stays. A time the phrase ends with
    ("… on Wednesday") stays as the sentence's opening.
    """
    match = _LEAD_IN.match(text)
    if not match:
        return NeutralEdit(text, ())
    if not {w.lower() for w in words(match.group(1))} & lexicon.modifiers:
        return NeutralEdit(text, ())
    phrase = re.sub(r"\s+", " ", match.group(0).rstrip(", \t\n")).lower()
    outlets = sum(1 for document in document_texts if phrase in re.sub(r"\s+", " ", document).lower())
    if outlets > lexicon.max_outlets_for_colour:
        return NeutralEdit(text, ())
    rest = text[match.end():]
    time = _TIME_TAIL.search(match.group(1))
    if time:
        removed = text[:match.start(1) + time.start()].rstrip()
        return NeutralEdit(f"{time.group(0)[:1].upper()}{time.group(0)[1:]}, {rest}", (removed,))
    return NeutralEdit(rest[:1].upper() + rest[1:], (match.group(0).rstrip(", "),))


def strip_colour(text: str, colour: frozenset[str]) -> NeutralEdit:
    """Delete one-outlet loaded modifiers where deletion keeps the sentence grammatical.

    A modifier is deleted only before another word (attributive use); predicative uses
    ("the visit was lavish") are left alone because deleting them would break the sentence.
    """
    if not colour:
        return NeutralEdit(text, ())
    tokens = list(re.finditer(r"\S+", text))
    removed: list[str] = []
    keep: list[str] = []
    articles_before_a_deletion: set[int] = set()  # "a lavish event" → "a event": said again below
    for position, match in enumerate(tokens):
        token = match.group(0)
        core = token.strip("\"'()[],;:.!?").lower()
        nxt = tokens[position + 1].group(0) if position + 1 < len(tokens) else ""
        prev = tokens[position - 1].group(0).lower() if position > 0 else ""
        deletable = (core in colour and token == token.strip(",;:.!?\"'()")
                     and nxt[:1].isalnum() and prev not in _COPULAS)
        if deletable:
            removed.append(core)
            if keep and keep[-1].lower() == "and" and removed:
                keep.pop()  # "lavish and grand visit" → "visit"
            if keep and keep[-1].lower() in _ARTICLES:
                articles_before_a_deletion.add(len(keep) - 1)
            continue
        keep.append(token)
    if not removed:
        return NeutralEdit(text, ())
    for index in articles_before_a_deletion:
        if index + 1 < len(keep):
            article = indefinite_article(keep[index + 1])
            keep[index] = article.capitalize() if keep[index][0].isupper() else article
    result = " ".join(keep)
    result = result[0].upper() + result[1:] if result and text[:1].isupper() else result
    return NeutralEdit(result, tuple(removed))


# "In turn, Kim pledged …": an opening that answers the sentence before it in its article, which
# the summary does not carry. Connectives that also carry a subject or claim ("However, he …",
# "But it …") make a sentence lean on its article instead (``text.leans_on_previous``): never chosen.
_ANSWERING_OPENING = re.compile(r"^In (?:turn|response|return), (?=\S)")


def strip_answering_opening(text: str) -> NeutralEdit:
    """Drop an opening "In turn," / "In response," / "In return," (see ``_ANSWERING_OPENING``)."""
    match = _ANSWERING_OPENING.match(text)
    if not match:
        return NeutralEdit(text, ())
    rest = text[match.end():]
    return NeutralEdit(rest[:1].upper() + rest[1:], (match.group(0).rstrip(", "),))


# ", calling the friendship 'fiery' and even closer than in Soviet times": a participle clause closing
# the sentence, an adjunct whose removal leaves the main clause whole. "according to", "citing" and
# "quoting" say whose claim the sentence is: cutting them would leave it unattributed.
_PARTICIPLE_TAIL = re.compile(r",\s+(?!according\b|citing\b|quoting\b)([a-z]+ing\b[^,;:]*?)[.!?]?[\"'”’]?$")
#: a tail is one outlet's addition when at most this share of its content stems is in the other
#: outlets' sentences of the fact ("the two countries" may be anywhere; "fiery" and "Soviet" not)
_UNSHARED = 1 / 3


def strip_unshared_tail(text: str, cited: list[str]) -> NeutralEdit:
    """Drop a closing participle clause that only the outlet whose words the sentence uses states
    (``cited``: the sentences of the fact's outlets, its own among them): the fact is what the
    outlets share (intersection fusion), not one outlet's addition to it. Only where another
    outlet's sentence states the fact, and only if eight words or more remain. Retrieval counts a
    fact's words after this edit, so the words it frees go to another fact."""
    match = _PARTICIPLE_TAIL.search(text)
    if not match or len(words(text[:match.start()])) < 8 or has_open_quotation(text[:match.start()]):
        return NeutralEdit(text, ())  # too little would remain, or the tail is inside someone's quoted words
    tail, tail_stems = match.group(1), content_stems(match.group(1))
    others = [t for t in cited if tail not in t]  # the sentences that did not write the tail
    shared = set().union(*(content_stems(t) for t in others)) & tail_stems if others else tail_stems
    if not tail_stems or not others or len(shared) > _UNSHARED * len(tail_stems) or _numbers(tail) & _numbers(*others):
        return NeutralEdit(text, ())  # shared, or a quantity another outlet states ("3 feet" / "three feet")
    head = text[:match.start()].rstrip()
    closed = head.endswith((".", "!", "?", '"', "'", "”", "’"))  # a quotation the tail followed stays closed
    return NeutralEdit(head + ("" if closed else "."), (match.group(0).strip(" ,."),))


# ", and Putin is believed to …", ", while Mr Putin is thought to …", "; it could …": a coordinate
# clause closing the sentence (its own subject and verb follow the conjunction).
_CLOSING_CLAUSE = re.compile(r"(?:,\s+(?:and|while|whereas|but)|;)\s+(?=\S)")
#: boundaries looked at, the last ones: a closing clause is near the end, and each look reads the
#: whole sentence (a hostile "sentence" of 5,000 ", and …" took 25 s when every boundary was read)
_LAST_BOUNDARIES = 3
#: words the report must keep for the cut to leave a sentence worth a summary's place
_MIN_HEAD_WORDS = 8


def strip_speculative_clause(text: str) -> NeutralEdit:
    """Cut the closing coordinate clause of ``text`` when it is unattributed speculation and what
    comes before it is not: "Kim has been accused of supplying weapons to Russia, and Putin is
    believed to be providing technology" → "Kim has been accused of supplying weapons to Russia."
    The report then stands as a fact like any other instead of going last with its guess. The cut
    is at the last such boundary whose head is a report of eight words or more."""
    if not speculative(text):
        return NeutralEdit(text, ())
    for boundary in reversed(list(_CLOSING_CLAUSE.finditer(text))[-_LAST_BOUNDARIES:]):
        head, tail = text[:boundary.start()].rstrip(), text[boundary.end():]
        # a cut inside a quotation would cut the speaker's words, which are attributed
        if len(words(head)) < _MIN_HEAD_WORDS or speculative(head) or not speculative(tail) or has_open_quotation(head):
            continue
        return NeutralEdit(head + ".", (text[boundary.start():].strip(" ,;."),))
    return NeutralEdit(text, ())


def _numbers(*texts: str) -> set[str]:
    return {n for text in texts for n in map(normalize_number, words(text)) if n and n[:1].isdigit()}


def neutral_wording(text: str, document_texts: Iterable[str], colour: frozenset[str],
                    lexicon: Lexicon) -> NeutralEdit:
    """The wording edits of one summary sentence: an opening that answers a sentence the summary
    does not carry, a one-outlet framing lead-in, then one-outlet loaded modifiers (``colour``,
    from ``Lexicon.colour_words``)."""
    opening = strip_answering_opening(text)
    lead_in = strip_framing_lead_in(opening.text, document_texts, lexicon)
    modifiers = strip_colour(lead_in.text, colour)
    return NeutralEdit(modifiers.text, opening.removed + lead_in.removed + modifiers.removed)


def fact_colour(sentence: SummarySentence, texts: dict[str, str], lexicon: Lexicon) -> frozenset[str]:
    """Loaded modifiers of ``sentence`` that no other outlet's sentence of its fact uses ("a lavish
    visit" where the other outlets write "visit"): that outlet's colour on this fact, however many
    outlets use the word elsewhere in the story. Only where two outlets or more state the fact."""
    own = {w.lower() for w in words(sentence.text)} & lexicon.modifiers
    if not own or len(sentence.cited_docs) < 2:
        return frozenset()
    used: dict[str, set[str]] = {}
    for ref in sentence.citations:
        for word in {w.lower() for w in words(texts[ref.doc_id][ref.span[0]:ref.span[1]])} & own:
            used.setdefault(word, set()).add(ref.doc_id)
    return frozenset(w for w in own if len(used.get(w, ())) <= 1)


def neutral_sentences(sentences: list[SummarySentence], cluster: Cluster, colour: frozenset[str],
                      lexicon: Lexicon) -> list[SummarySentence]:
    """The neutral stage on a summary's sentences: each with its neutral edits applied and noted."""
    document_texts = [d.text for d in cluster.documents]
    texts = {d.doc_id: d.text for d in cluster.documents}
    edited = []
    for sentence in sentences:
        tail = strip_unshared_tail(sentence.text, [texts[r.doc_id][r.span[0]:r.span[1]] for r in sentence.citations])
        guess = strip_speculative_clause(tail.text)
        edit = neutral_wording(guess.text, document_texts, colour | fact_colour(sentence, texts, lexicon), lexicon)
        removed = tail.removed + guess.removed + edit.removed
        edited.append(replace(sentence, text=edit.text, edits=removed) if removed else sentence)
    return edited


def neutral_headline(headline: Headline | None, cluster: Cluster, colour: frozenset[str],
                     lexicon: Lexicon) -> Headline | None:
    """The chosen headline with the same neutral edits as the summary's sentences."""
    if headline is None:
        return None
    edit = neutral_wording(headline.text, [d.text for d in cluster.documents], colour, lexicon)
    return Headline(edit.text, headline.doc_id, edit.removed) if edit.removed else headline
