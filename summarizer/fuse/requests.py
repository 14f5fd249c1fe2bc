"""The fuse stage: what each selection asks of the fusion backend, and the drafts it gets back."""
from __future__ import annotations

import logging

from summarizer.config_schema import FuseConfig
from summarizer.errors import RunError
from summarizer.fuse.base import FusionRequest, Generator, Passage
from summarizer.stats import StageStats
from summarizer.text import word_count
from summarizer.types import DraftUnit, Drafts, SelectedGroup, Selection

log = logging.getLogger(__name__)


def fusable(group: SelectedGroup, config: FuseConfig) -> bool:
    """A fact carried by fewer outlets than ``fuse.min_group_size_to_fuse`` is copied, not fused."""
    return len(group.members) >= config.min_group_size_to_fuse


def _passages(group: SelectedGroup) -> tuple[Passage, ...]:
    return tuple(Passage(m.doc_id, m.text) for m in group.to_fuse)


def fusion_requests(selection: Selection, unit: DraftUnit, config: FuseConfig) -> list[FusionRequest]:
    """Cluster unit: one request for the whole selection; group unit: one per fusable group."""
    if not selection.groups or unit is DraftUnit.NONE:
        return []
    if unit is DraftUnit.CLUSTER:
        passages = tuple(p for g in selection.groups for p in _passages(g))
        words = sum(word_count(g.representative.text) for g in selection.groups)
        return [FusionRequest(passages, "cluster", words)]
    return [FusionRequest(_passages(g), "group", word_count(g.representative.text))
            for g in selection.groups if fusable(g, config)]


def draft_unit(generator: Generator) -> DraftUnit:
    """The unit ``generator`` writes in (``fuse.unit``, or its preferred one for "auto")."""
    return DraftUnit(generator.unit()) if generator.generates else DraftUnit.NONE


def fuse(selections: list[Selection], generator: Generator, config: FuseConfig,
         stats: StageStats | None = None) -> list[Drafts]:
    """One ``Drafts`` per selection, every request of the batch generated in one call.

    Counts ``fuse.requests`` and ``fuse.generated_tokens`` (the generator's running total, before
    and after this call) in ``stats``.
    """
    stats = stats if stats is not None else StageStats()
    unit = draft_unit(generator)
    per_selection = [fusion_requests(s, unit, config) for s in selections]
    requests = [r for rs in per_selection for r in rs]
    tokens_before = generator.generated_tokens
    if requests:
        log.info("generating %d fusion request(s) for %d cluster(s)", len(requests), len(selections))
    if unit is DraftUnit.GROUP:
        choices = generator.choose(requests) if requests else []
    else:
        choices = [(text,) for text in generator.generate(requests)] if requests else []
    if len(choices) != len(requests):
        raise RunError(f"fusion backend {generator.name!r} returned {len(choices)} texts for {len(requests)} requests")
    outputs = iter(choices)
    stats.count("fuse.requests", len(requests))
    stats.count("fuse.generated_tokens", generator.generated_tokens - tokens_before)
    drafts = []
    for selection in selections:
        if not selection.groups or unit is DraftUnit.NONE:
            drafts.append(Drafts(DraftUnit.NONE))
        elif unit is DraftUnit.CLUSTER:
            drafts.append(Drafts(unit, (next(outputs)[0],)))
        else:
            ranked = [next(outputs) if fusable(g, config) else () for g in selection.groups]
            drafts.append(Drafts(unit, tuple(r[0] if r else "" for r in ranked), tuple(r[1:] for r in ranked)))
    return drafts
