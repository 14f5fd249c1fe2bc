"""The guard stage's policy: what replaces each selected fact once its draft has been checked.

A supported draft is used as written (``generated``); an unsupported one is cut back to its
longest supported leading clause (``repaired``); failing that, the group's best-worded source
sentence stands (``extracted``), and the rejected text is kept for audit. A one-pass (cluster
unit) draft is checked sentence by sentence, a rejected sentence replaced by the unused fact
closest to what it tried to say; if nothing of it is usable, the extractive summary stands.
"""
from __future__ import annotations

from summarizer.segment import split_sentences
from summarizer.stats import StageStats
from summarizer.text import word_count
from summarizer.types import (DraftUnit, Drafts, Origin, SelectedGroup, Selection, SentenceRef, SummarySentence,
                              SupportCheck)
from summarizer.verify.guard import FaithfulnessGuard, SourceIndex, Verdict, clean_draft

#: a cut-back sentence or a draft is never required to be shorter than this
MIN_WORDS = 6


def draft_sentences(text: str, language: str) -> list[str]:
    """Model output as sentences: cleaned, line breaks as spaces, split like the sources."""
    return [s for s, _ in split_sentences(clean_draft(text).replace("\n", " "), language)]


def extracted(group: SelectedGroup, rejected: str | None = None, check: SupportCheck | None = None) -> SummarySentence:
    """The group's best-worded source sentence, citing every member."""
    return SummarySentence(text=group.representative.text, origin=Origin.EXTRACTED,
                           citations=SentenceRef.citing(group.members),
                           check=check or SupportCheck(True, 1.0, (), "source sentence"), rejected_text=rejected)


class GuardPolicy:
    """Checks a selection's drafts with ``guard`` and decides what stands for each fact."""

    def __init__(self, guard: FaithfulnessGuard, language: str) -> None:
        self.guard = guard
        self.language = language

    def min_words(self, group: SelectedGroup) -> int:
        """A draft shorter than ``guard.min_length_ratio`` of the group's shortest sentence has lost its point."""
        shortest = min(word_count(m.text) for m in group.members)
        return max(MIN_WORDS, int(self.guard.config.min_length_ratio * shortest))

    def first_sentence(self, text: str) -> str:
        sentences = draft_sentences(text, self.language)
        return sentences[0] if sentences else ""

    def accept(self, draft: str, verdict: Verdict, index: SourceIndex,
               fallback: SelectedGroup | None) -> SummarySentence | None:
        """The draft if supported, else its repair, else ``fallback``'s source sentence (or None)."""
        if verdict.check.supported:
            return SummarySentence(draft, Origin.GENERATED, SentenceRef.citing(verdict.support), verdict.check)
        repair = self.guard.repair(draft, index, self.min_words(fallback) if fallback else MIN_WORDS)
        if repair is not None:
            return SummarySentence(repair.text, Origin.REPAIRED, SentenceRef.citing(repair.verdict.support),
                                   repair.verdict.check, rejected_text=draft)
        if fallback is None:
            return None
        return extracted(fallback, rejected=draft, check=SupportCheck(
            True, 1.0, (), f"model sentence rejected ({verdict.check.reason}); source sentence used"))

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
        candidates = [self.first_sentence(d) if d else "" for d in drafts.texts]
        to_check = [(c, self.min_words(g)) for c, g in zip(candidates, groups) if c]
        verdicts = iter(self.guard.check([c for c, _ in to_check], index, [m for _, m in to_check]))
        output = []
        for group, draft, candidate in zip(groups, drafts.texts, candidates):
            if not candidate:
                output.append(extracted(group, rejected=draft or None))
                continue
            output.append(self.accept(candidate, next(verdicts), index, group))
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
            fallback = next((g for g in unused if support & set(g.members)), unused[0] if unused else None)
            sentence = self.accept(candidate, verdict, index, fallback)
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
