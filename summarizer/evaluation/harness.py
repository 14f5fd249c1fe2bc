"""The evaluation harness: systems × dataset → per-example scores, summary, report, plots."""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from summarizer.config_schema import RunConfig
from summarizer.errors import UsageError
from summarizer.evaluation.consistency import ConsistencyScorer
from summarizer.evaluation.coverage import source_coverage
from summarizer.evaluation.fragments import (
    bigram_sets,
    extractive_fragments,
    is_fused,
    novel_ngram_share,
)
from summarizer.evaluation.metrics import METRICS, Metric  # noqa: F401  (re-exported)
from summarizer.evaluation.neutrality import (
    load_vad_lexicon,
    neus_arousal,
    single_outlet_share,
)
from summarizer.evaluation.report import (
    paired_comparisons,
    render_report,
    run_environment,
    write_plots,
)
from summarizer.evaluation.rouge import Rouge, bootstrap_interval
from summarizer.evaluation.systems import PredictionsFile, System
from summarizer.ingest import InputError, read_clusters
from summarizer.render.paths import open_beside, write_atomically
from summarizer.registries import CONSISTENCY, SYSTEMS
from summarizer.segment import segment_cluster
from summarizer.text import leans_on_previous, word_count
from summarizer.types import Cluster

log = logging.getLogger(__name__)


def aligned_documents(consistency) -> list[tuple[str, ...]]:
    """Per summary sentence, the documents the consistency checker aligned it to (for systems
    whose sentences cite nothing)."""
    return [tuple(dict.fromkeys(r.doc_id for r in s.best_support)) for s in consistency.sentences]


def consistency_scorer(config: RunConfig) -> ConsistencyScorer:
    """The consistency checker ``evaluation.consistency`` names, its model loaded once."""
    return CONSISTENCY.build(config.evaluation.consistency, config)


def with_titles_in_text(cluster: Cluster) -> Cluster:
    """The cluster with each document's title as the first line of its text (for checking)."""
    documents = tuple(replace(d, text=f"{d.title.strip()}\n{d.text}")
                      if d.title.strip() and not d.text.startswith(d.title.strip()) else d
                      for d in cluster.documents)
    return replace(cluster, documents=documents)


class Scorer:
    """All metrics for one (summary, cluster); models loaded once."""

    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.rouge = Rouge()
        evaluation = config.evaluation
        self.consistency = consistency_scorer(config)
        self.lexicon = load_vad_lexicon(evaluation.lexicon_path) if evaluation.lexicon_path else None
        self._bigrams: dict[tuple[str, ...], list] = {}

    def _source_bigrams(self, cluster: Cluster) -> list:
        """The bigrams of each source sentence; every system is scored on the same clusters, so the
        last few clusters' are kept rather than segmented again for each system."""
        key = tuple(d.text for d in cluster.documents)
        if key not in self._bigrams:
            if len(self._bigrams) >= 16:
                self._bigrams.pop(next(iter(self._bigrams)))
            self._bigrams[key] = bigram_sets([s.text for s in segment_cluster(cluster, self.config.segment).sentences])
        return self._bigrams[key]

    def score(self, summary: str, cluster: Cluster, attributions) -> dict[str, Any]:
        row: dict[str, Any] = {"words": word_count(summary)}
        # An outlet's headline is part of what it published: a summary may quote it, and its
        # words count as that outlet's wording.
        cluster = with_titles_in_text(cluster)
        if cluster.references:
            for name, value in self.rouge.score_against(summary, cluster.references,
                                                        self.config.evaluation.rouge_words).items():
                row.update({f"{name}_p": value.precision, f"{name}_r": value.recall, f"{name}_f": value.fmeasure})
        consistency = self.consistency.score(summary, cluster)
        row.update(consistency_score=consistency.summary_score, consistency_mean=consistency.mean,
                   consistency_min=consistency.minimum,
                   supported_share=consistency.supported_share,
                   unsupported_terms=sorted({t for s in consistency.sentences for t in s.unsupported_terms}))
        if self.lexicon is not None and cluster.references:
            # the summary's words in no reference (NeuS defines it for one)
            arousal = neus_arousal(summary, "\n".join(cluster.references), self.lexicon)
            row.update(arousal_positive=arousal.positive, arousal_negative=arousal.negative,
                       arousal_total=arousal.total)
        row["single_outlet_share"] = single_outlet_share(summary, [d.text for d in cluster.documents])
        # Sentences opening with a word that points back ("But", "He", "The two leaders"): each one
        # counts, whatever precedes it in the summary (a strict reading of issue #15's coherence rule).
        sentences = [s.sentence for s in consistency.sentences]
        row["back_pointing_share"] = (sum(leans_on_previous(s) for s in sentences) / len(sentences)
                                      if sentences else None)
        if attributions is None:  # align each sentence to the documents that support it
            attributions = aligned_documents(consistency)
        coverage = source_coverage(list(attributions), [d.doc_id for d in cluster.documents])
        row.update(documents_used=coverage.documents_used, coverage_evenness=coverage.evenness)
        row.update(self.copying(summary, cluster, consistency, list(attributions)))
        return row

    def copying(self, summary: str, cluster: Cluster, consistency, attributions: list) -> dict[str, Any]:
        """How much the summary copies: fused sentences, extractive fragments, novel n-grams."""
        documents = [d.text for d in cluster.documents]
        sentences = [s.sentence for s in consistency.sentences]
        if len(attributions) != len(sentences):  # a system's own split differs from ours: align instead
            attributions = aligned_documents(consistency)
        sources = self._source_bigrams(cluster)
        fused = [is_fused(text, sources, tuple(docs)) for text, docs in zip(sentences, attributions)]
        fragments = extractive_fragments(summary, documents)
        row: dict[str, Any] = {"fused_share": sum(fused) / len(fused) if fused else None,
                               "fragment_coverage": fragments.coverage, "fragment_density": fragments.density,
                               "compression": fragments.compression}
        for n in (1, 2, 3, 4):
            row[f"novel_{n}grams"] = novel_ngram_share(summary, documents, n)
        return row


def build_systems(names: list[str], predictions: dict[str, str], config: RunConfig) -> list[System]:
    systems: list[System] = [SYSTEMS.build(name, config) for name in names]
    systems += [PredictionsFile(name, path) for name, path in predictions.items()]
    if not systems:
        raise UsageError("no systems to evaluate: give --systems and/or --predictions NAME=PATH")
    return systems


def _scored_row(system, cluster: Cluster, scorer: Scorer, problems: list[str]) -> dict[str, Any] | None:
    """One system's summary of one cluster with its scores, or None with the reason in ``problems``
    (a failing example is reported, not fatal)."""
    started = time.perf_counter()
    try:
        output = system.run(cluster)
    except Exception as error:
        problems.append(f"{cluster.cluster_id}: {type(error).__name__}: {error}")
        return None
    seconds = time.perf_counter() - started
    if output is None:
        problems.append(f"{cluster.cluster_id}: no prediction for this id")
        return None
    if not output.summary.strip():
        problems.append(f"{cluster.cluster_id}: empty summary")
        return None
    return {"id": cluster.cluster_id, "system": system.name, "summary": output.summary, "seconds": round(seconds, 4),
            **scorer.score(output.summary, cluster, output.attributions)}


def run_evaluation(data: str, system_names: list[str], predictions: dict[str, str], config: RunConfig,
                   run_name: str, limit: int | None = None, progress: bool = True) -> Path:
    """Score every system on every cluster and write the run folder; returns its path."""
    from tqdm import tqdm

    clusters = read_clusters(data, config.ingest, limit)
    if not clusters:
        raise InputError(f"{data}: no clusters")
    systems = build_systems(system_names, predictions, config)  # a bad name fails before any output
    scorer = Scorer(config)
    out_dir = Path(config.evaluation.results_dir) / run_name
    out_dir.mkdir(parents=True, exist_ok=True)
    skipped: dict[str, list[str]] = {s.name: list(getattr(s, "problems", [])) for s in systems}
    rows: list[dict[str, Any]] = []
    seen_ids = {c.cluster_id for c in clusters}
    bar = tqdm(total=len(clusters) * len(systems), desc="evaluating", unit="summary", disable=not progress,
               file=sys.stderr)
    examples_path = out_dir / "examples.jsonl"
    examples, partial = open_beside(examples_path, ".partial")  # renamed into place when complete
    with examples:
        for system in systems:
            for cluster in clusters:
                bar.set_postfix_str(system.name)
                row = _scored_row(system, cluster, scorer, skipped[system.name])
                if row is not None:
                    rows.append(row)
                    examples.write(json.dumps(row, ensure_ascii=False) + "\n")
                    examples.flush()
                bar.update()
            if isinstance(system, PredictionsFile):
                extra = sorted(set(system.predictions) - seen_ids)
                if extra:
                    skipped[system.name].append(f"{len(extra)} prediction id(s) not in the data, ignored: "
                                                + ", ".join(extra[:10]) + (" …" if len(extra) > 10 else ""))
    os.replace(partial, examples_path)
    bar.close()
    summary = summarize_rows(rows, [s.name for s in systems], config, len(clusters), skipped)
    summary.update(data=data, run_name=run_name, limit=limit, config=config.to_dict(),
                   lexicon="used" if scorer.lexicon is not None else "not given: arousal skipped",
                   environment=run_environment(), paired=paired_comparisons(rows, [s.name for s in systems], config))
    write_atomically(out_dir / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    write_atomically(out_dir / "report.md", render_report(summary))
    write_plots(rows, [s.name for s in systems], out_dir, scorer.lexicon is not None)
    for name, problems in skipped.items():
        if problems:
            log.warning("%s: %d example(s) skipped or problems; see %s", name, len(problems), out_dir / "summary.json")
    return out_dir


def summarize_rows(rows: list[dict[str, Any]], systems: list[str], config: RunConfig, total: int,
                   skipped: dict[str, list[str]]) -> dict[str, Any]:
    result: dict[str, Any] = {"examples": total, "systems": {}}
    for system in systems:
        mine = [r for r in rows if r["system"] == system]
        metrics = {}
        for metric in METRICS:
            values = [r[metric.key] for r in mine if r.get(metric.key) is not None]
            interval = bootstrap_interval(values, seed=config.seed, resamples=config.evaluation.bootstrap_resamples)
            metrics[metric.key] = asdict(interval) if interval.n else None
        result["systems"][system] = {"scored": len(mine), "skipped": skipped.get(system, []),
                                     "seconds_per_example": (sum(r["seconds"] for r in mine) / len(mine))
                                     if mine else None, "metrics": metrics}
    return result
