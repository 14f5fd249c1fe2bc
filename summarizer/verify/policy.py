"""The guard stage's policy: what replaces each selected fact once its draft has been checked.

A supported draft is used as written (``generated``); an unsupported one is cut back to its
longest supported leading clause (``repaired``); failing that, the group's best-worded source
sentence stands (``extracted``), and the rejected text is kept for audit. A one-pass (cluster
unit) draft is checked sentence by sentence, a rejected sentence replaced by the unused fact
closest to what it tried to say; if nothing of it is usable, the extractive summary stands.
"""
from __future__ import annotations

from collections.abc import Sequence

from summarizer.segment import split_sentences
from summarizer.stats import StageStats
from collections import Counter

from summarizer.text import content_stems, content_words, word_count
from summarizer.text import stem as stem_of
from summarizer.types import (DraftUnit, Drafts, Origin, SelectedGroup, Selection, Sentence, SentenceRef,
                              SummarySentence, SupportCheck)
from summarizer.verify.guard import FaithfulnessGuard, SourceIndex, Verdict, clean_draft
from summarizer.verify.syntax import SyntaxCheck

#: a cut-back sentence or a draft is never required to be shorter than this
MIN_WORDS = 6


def draft_sentences(text: str, language: str) -> list[str]:
    """Model output as sentences: cleaned, line breaks as spaces, split like the sources."""
    return [s for s, _ in split_sentences(clean_draft(text).replace("\n", " "), language)]


def corroborated_stems(representative: str, others: Sequence[str]) -> frozenset[str]:
    """Content stems of a fact's best-worded sentence that another outlet's sentence also has.

    What two outlets both wrote is what a sentence replacing the source sentence must keep:
    dropping it loses a corroborated fact ("… since 2000", which all five seed outlets report).
    """
    other_stems = [content_stems(t) for t in others]
    return frozenset(s for s in content_stems(representative) if any(s in o for o in other_stems))


def repeated_stems(text: str, sources: Sequence[str]) -> list[str]:
    """Word families ``text`` uses more often than any one source sentence does: a fusion that joined
    two outlets' wordings of one thing ("Western adversaries of the West"). A family is a stem and
    the stems it begins (four letters at least: "west", "western")."""
    stems = [[stem_of(w) for w in content_words(t)] for t in (text, *sources)]
    known = sorted({s for found in stems for s in found}, key=len)
    family = {s: next((root for root in known if len(root) >= 4 and s.startswith(root)), s) for s in known}
    counts = [Counter(family[s] for s in found) for found in stems]
    return sorted(root for root, count in counts[0].items()
                  if count > max(1, max((c[root] for c in counts[1:]), default=0)))


def extracted(group: SelectedGroup, rejected: str | None = None, check: SupportCheck | None = None) -> SummarySentence:
    """The group's best-worded source sentence, citing every member."""
    return SummarySentence(text=group.representative.text, origin=Origin.EXTRACTED,
                           citations=SentenceRef.citing(group.members),
                           check=check or SupportCheck(True, 1.0, (), "source sentence"), rejected_text=rejected)


def _citing(support: Sequence[Sentence], fact: SelectedGroup | None) -> tuple[SentenceRef, ...]:
    """What model text cites: the source sentences the guard found it in, and every outlet's sentence
    of the fact it states (the alignment's members), so that who reports it is the same everywhere."""
    return SentenceRef.citing(tuple(support) + (fact.members if fact is not None else ()))


class GuardPolicy:
    """Checks a selection's drafts with ``guard`` and decides what stands for each fact."""

    def __init__(self, guard: FaithfulnessGuard, language: str, syntax: SyntaxCheck | None = None) -> None:
        self.guard = guard
        self.language = language
        #: when given, model text must also parse as one complete sentence (verify/syntax.py)
        self.syntax = syntax

    def shortfall(self, text: str, group: SelectedGroup | None) -> str:
        """Why ``text`` may not replace ``group``'s source sentence although the guard supports it
        ("" if it may): it drops what two outlets report, or is no complete sentence."""
        if group is not None:
            others = [m.text for m in group.members if m is not group.representative]
            lost = corroborated_stems(group.representative.text, others) - content_stems(text)
            if lost:
                return "drops what other outlets also report: " + ", ".join(sorted(lost))
            repeated = repeated_stems(text, [m.text for m in group.members])
            if repeated:
                return "says twice what each source says once: " + ", ".join(repeated)
        if self.syntax is not None and not self.syntax.complete([text])[0]:
            return "not a complete sentence (parse: a finite verb without a subject, or two sentences)"
        return ""

    def min_words(self, group: SelectedGroup) -> int:
        """A draft shorter than ``guard.min_length_ratio`` of the group's shortest sentence has lost its point."""
        shortest = min(word_count(m.text) for m in group.members)
        return max(MIN_WORDS, int(self.guard.config.min_length_ratio * shortest))

    def first_sentence(self, text: str) -> str:
        sentences = draft_sentences(text, self.language)
        return sentences[0] if sentences else ""

    def accept(self, draft: str, verdict: Verdict, index: SourceIndex,
               fallback: SelectedGroup | None, alternatives: Sequence[tuple[str, Verdict]] = (),
               fact: SelectedGroup | None = None) -> SummarySentence | None:
        """The first supported of ``draft`` and ``alternatives`` that keeps ``fact``'s corroborated
        content and is a complete sentence; else the draft's repair, likewise; else ``fallback``'s
        source sentence (or None)."""
        reasons = []
        for text, checked in ((draft, verdict), *alternatives):
            reason = checked.check.reason if not checked.check.supported else self.shortfall(text, fact)
            if not reason:
                return SummarySentence(text, Origin.GENERATED, _citing(checked.support, fact), checked.check,
                                       rejected_text=draft if text != draft else None)
            reasons.append(reason)
        repair = self.guard.repair(draft, index, self.min_words(fallback) if fallback else MIN_WORDS)
        if repair is not None and not self.shortfall(repair.text, fact):
            return SummarySentence(repair.text, Origin.REPAIRED, _citing(repair.verdict.support, fact),
                                   repair.verdict.check, rejected_text=draft)
        if fallback is None:
            return None
        return extracted(fallback, rejected=draft, check=SupportCheck(
            True, 1.0, (), f"model sentence rejected ({reasons[0]}); source sentence used"))

    def apply(self, selection: Selection, drafts: Drafts, stats: StageStats | None = None) -> list[SummarySentence]:
        """The summary's sentences for ``selection``, one per fact (group unit) or per usable sentence;
        counts each origin ("guard.generated", "guard.repaired", "guard.extracted") in ``stats``."""
        sentences = self._apply(selection, drafts)
        if stats is not None:
            for sentence in sentences:
                stats.count(f"guard.{sentence.origin.value}")
        return sentences

    def _apply(self, selection: Selection, drafts: Drafts) -> list[SummarySentence]:
        index = SourceIndex.of(selection.embedded)
        if drafts.unit is DraftUnit.NONE:
            return [extracted(g) for g in selection.groups]
        if drafts.unit is DraftUnit.CLUSTER:
            return self.apply_summary(selection.groups, drafts.texts[0], index)
        groups = selection.groups
        # Every candidate of every group, checked in one batch.
        choices = [[c for c in map(self.first_sentence, drafts.choices(k)) if c] for k in range(len(groups))]
        flat = [(c, self.min_words(g)) for cs, g in zip(choices, groups) for c in cs]
        verdicts = iter(self.guard.check([c for c, _ in flat], index, [m for _, m in flat]))
        output = []
        for group, draft, candidates in zip(groups, drafts.texts, choices):
            checked = [(c, next(verdicts)) for c in candidates]
            if not checked:
                output.append(extracted(group, rejected=draft or None))
                continue
            (first, verdict), rest = checked[0], checked[1:]
            output.append(self.accept(first, verdict, index, group, rest, fact=group))
        return output

    def apply_summary(self, groups: tuple[SelectedGroup, ...], draft: str,
                      index: SourceIndex) -> list[SummarySentence]:
        """Cluster unit: check each generated sentence; replace failures by unused facts."""
        candidates = draft_sentences(draft, self.language)
        verdicts = self.guard.check(candidates, index)
        unused = list(groups)
        output: list[SummarySentence] = []
        for candidate, verdict in zip(candidates, verdicts):
            # Replace with the unused fact closest to what the model tried to say.
            support = set(verdict.support)
            matched = next((g for g in unused if support & set(g.members)), None)
            fallback = matched or (unused[0] if unused else None)
            sentence = self.accept(candidate, verdict, index, fallback, fact=matched)
            if sentence is None:
                continue
            if sentence.origin is Origin.EXTRACTED and fallback in unused:
                unused.remove(fallback)
            output.append(sentence)
        if not output:  # the model produced nothing usable: fall back to the extractive summary
            reason = "model produced no text" if not draft.strip() else "no model sentence was usable"
            output = [extracted(g, rejected=draft or None, check=SupportCheck(
                True, 1.0, (), f"{reason}; source sentence used")) for g in groups]
        return output
