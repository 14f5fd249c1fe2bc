"""A person's first mention in a summary is their full name (issue #15, coherence).

Outlets introduce a person once ("Emile Lahoud") and then use the surname ("Lahoud, 62, said");
a summary that quotes the later sentence first leaves the reader asking who Lahoud is. For each
summary sentence in order, a capitalised word that stands alone (not after another capitalised
word, not inside a quotation, never written in lower case by the sources) is given the full name
that the sentences it cites (the other outlets' wording of the same fact) give it, as spaCy's
named-entity recogniser reads them: "Mr. Trump" becomes "Donald Trump", "President Trump"
"President Donald Trump" (after a title, only where an article writes that title with that full
name: the "Biden" an article introduced may be "first lady Jill Biden"). The parser must see the
word as a name, not as a modifier ("the Trump administration" stays), and the named sentence must
pass the faithfulness guard like any other; else it stays as the source wrote it. A name that only
another sentence of an article gives ("Lebanese President Emile Lahoud met the cabinet") is not
used: the guard checks names against the sentences that state the fact, and coreference across
sentences is beyond what it can verify. The sentence records the names it was given
(``SummarySentence.full_names``).
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from summarizer.segment.quotes import has_open_quotation
from summarizer.types import SegmentedCluster, Selection, SummarySentence, SupportCheck
from summarizer.verify import FaithfulnessGuard, SourceIndex
from summarizer.verify.syntax import load_spacy

# Lone words of one sentence looked up (the first ones): each costs a pass of the recogniser.
MAX_WORDS = 10
_NAME_WORD = r"[A-Z][\w'’.-]*"
_LONE_CAPITAL = re.compile(r"(?<![\w'’.-])[A-Z][a-z][\w'’-]*[a-z](?![\w'’-])")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.? $")
_TITLE_BEFORE = re.compile(r"\b((?:Vice |Prime |Deputy )?[A-Z][a-z]+\.?) $")
# Titles a PERSON span may start with (and articles): never a first or last name.
_TITLES = frozenset("mr mrs ms dr sen senator rep gov governor president vice prime minister secretary gen general "
                    "judge justice king queen pope speaker former chief mayor lt col sgt capt adm sir lord lady "
                    "prince princess the a an".split())
_PARTICLES = frozenset({"de", "van", "von", "bin", "al", "la", "le", "da", "del", "der", "di"})


def _without_titles(parts: list[str]) -> list[str]:
    while parts and parts[0].lower().rstrip(".") in _TITLES:
        parts = parts[1:]
    return parts


def _person_name(text: str, word: str) -> str | None:
    """``text`` (a PERSON span) as a full name holding ``word`` first or last, without a leading
    title; None if it is not one."""
    parts = _without_titles(text.replace("’s", "").replace("'s", "").split())
    if not 2 <= len(parts) <= 4 or word not in (parts[0], parts[-1]):
        return None
    if not all(p[0].isupper() or p in _PARTICLES for p in parts):
        return None
    return " ".join(parts)


class FullNames:
    """The full-name edit; the spaCy pipeline loads on the first summary that needs it."""

    def __init__(self, pipeline_name: str, guard: FaithfulnessGuard) -> None:
        self.pipeline_name = pipeline_name
        self.guard = guard

    @property
    def nlp(self):
        """The spaCy pipeline with its parser and named-entity recogniser (``verify.syntax.load_spacy``)."""
        return load_spacy(self.pipeline_name, ("lemmatizer",))

    def apply(self, sentences: list[SummarySentence], selection: Selection) -> list[SummarySentence]:
        """``sentences`` with each person's first mention given their full name, where the guard
        accepts the sentence so named."""
        segmented = selection.segmented
        @functools.cache  # built for the first sentence that is given a name (most summaries: none)
        def index() -> SourceIndex:
            return SourceIndex.of(selection.embedded)

        def verdict(text: str) -> SupportCheck:
            return self.guard.check([text], index())[0].check

        # Words that need no full name: a person named already, or no name at all (a word the
        # sources also write in lower case: "Officials", "The").
        lowered = {w for s in segmented.sentences for w in re.findall(r"\b[a-z][\w'’-]*", s.text)}
        introduced: set[str] = {w.capitalize() for w in lowered}
        result = []
        for sentence in sentences:
            result.append(self._name_people(sentence, segmented, introduced, verdict))
        return result

    def _lone_words(self, text: str, introduced: set[str]) -> list[re.Match[str]]:
        words = []
        for match in _LONE_CAPITAL.finditer(text):
            before = text[:match.start()].rstrip(" ")
            previous = before.split()[-1] if before.split() else ""
            initial = re.fullmatch(r"[A-Z]\.", previous) is not None  # "George W. Bush"
            follows_name = initial or (previous[:1].isupper() and not previous.endswith((".", ",", ":", ";"))
                                       and previous.lower() not in _TITLES)
            if match.group(0) in introduced or follows_name or has_open_quotation(text[:match.start()]):
                continue
            nxt = text[match.end():].lstrip(" ")
            if nxt[:1].isupper():  # part of a longer name ("Kim Jong Un" as written)
                continue
            words.append(match)
        return words[:MAX_WORDS]

    def _name_people(self, sentence: SummarySentence, segmented: SegmentedCluster, introduced: set[str],
                     verdict: Callable[[str], SupportCheck]) -> SummarySentence:
        text = sentence.text
        # Names written in full here count as introduced, for this sentence's later words too.
        for match in re.finditer(rf"{_NAME_WORD}(?: {_NAME_WORD})+", text):
            parts = _without_titles([p.rstrip(".,;:") or p for p in match.group(0).split()])  # "Mr. Lahoud" is none
            if len(parts) >= 2:
                introduced.update(parts)
        words = self._lone_words(text, introduced)
        if not words:
            return sentence
        names = {m.group(0): self._full_name(m.group(0), sentence, segmented) for m in words}
        if not any(names.values()):
            return sentence
        doc = self.nlp(text)
        given: list[str] = []
        for match in reversed(words):  # from the end, so earlier offsets stay valid
            full = names[match.group(0)]
            token = next((t for t in doc if t.idx == match.start()), None)
            if full is None or token is None or token.ent_type_ != "PERSON" or token.dep_ == "compound":
                continue
            start = match.start()
            honorific = _HONORIFIC.search(text[:start])
            title = _TITLE_BEFORE.search(text[:start])
            if honorific:
                start = honorific.start()
            elif title and title.group(1).lower().rstrip(".") in _TITLES and not _titled_in_sources(
                    title.group(1), full, segmented):
                continue
            text = text[:start] + full + text[match.end():]
            given.append(full)
        if not given:
            return sentence
        check = verdict(text)
        if not check.supported:
            return sentence
        for full in given:
            introduced.update(full.split())
        for match in words:
            introduced.add(match.group(0))
        return replace(sentence, text=text, full_names=tuple(reversed(given)), check=check)

    def _full_name(self, word: str, sentence: SummarySentence, segmented: SegmentedCluster) -> str | None:
        """The full name the sentence's cited sentences give ``word`` (one name, or one used at
        least twice as often as any other), confirmed as a PERSON by the recogniser."""
        pattern = re.compile(rf"(?:{_NAME_WORD} ){{1,3}}{re.escape(word)}\b|\b{re.escape(word)}(?: {_NAME_WORD}){{1,3}}")
        cited = {(c.doc_id, c.index) for c in sentence.citations}
        holding = [s for s in segmented.sentences if (s.doc_id, s.index) in cited and pattern.search(s.text)]
        if not holding:
            return None
        recognised = self.nlp.pipe([s.text for s in holding], disable=["tagger", "parser", "attribute_ruler"])
        found = [name for doc in recognised for entity in doc.ents
                 if entity.label_ == "PERSON" and (name := _person_name(entity.text, word))]
        counts = Counter(found).most_common(2)
        if counts and (len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]):
            return counts[0][0]
        return None

def _titled_in_sources(title: str, full: str, segmented: SegmentedCluster) -> bool:
    """Whether an article writes ``title`` right before ``full`` ("President Joe Biden")."""
    written = f"{title} {full}"
    return any(written in s.text for s in segmented.sentences)
