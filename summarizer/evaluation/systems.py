"""Systems the harness can score: the pipeline, extractive baselines, and prediction files."""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from summarizer.config_schema import RunConfig
from summarizer.evaluation.rouge import Rouge
from summarizer.ingest import InputError
from summarizer.ingest.records import bom_encoding
from summarizer.segment import segment_cluster
from summarizer.text import content_stems, word_count
from summarizer.types import Cluster, Sentence


@dataclass(frozen=True)
class SystemOutput:
    summary: str
    # Documents each summary sentence rests on, when the system knows (None: align later).
    attributions: tuple[tuple[str, ...], ...] | None = None


class System:
    """A summariser the harness scores (``summarizer.registries.SYSTEMS``)."""

    name = ""

    def run(self, cluster: Cluster) -> SystemOutput | None:
        """The system's summary of ``cluster``; None when it has none (prediction files)."""
        raise NotImplementedError


def _extractive(sentences: list[Sentence]) -> SystemOutput:
    return SystemOutput(" ".join(s.text for s in sentences), tuple((s.doc_id,) for s in sentences))


class Lead(System):
    """The first sentence of every document."""

    name = "lead"

    def __init__(self, config: RunConfig, **_) -> None:
        self.config = config

    def run(self, cluster: Cluster) -> SystemOutput:
        sentences = segment_cluster(cluster, self.config.segment).sentences
        return _extractive([s for s in sentences if s.index == 0])


class LexRank(System):
    """LexRank (Erkan & Radev, 2004): PageRank over the TF-IDF cosine graph of the cluster."""

    name = "lexrank"

    def __init__(self, config: RunConfig, threshold: float = 0.1, damping: float = 0.85, **_) -> None:
        self.config = config
        self.threshold = threshold
        self.damping = damping

    def rank(self, sentences: list[Sentence]) -> np.ndarray:
        bags = [Counter(content_stems(s.text)) for s in sentences]
        document_frequency = Counter(term for bag in bags for term in bag)
        vocabulary = {term: i for i, term in enumerate(sorted(document_frequency))}
        matrix = np.zeros((len(bags), max(1, len(vocabulary))))
        for row, bag in enumerate(bags):
            for term, count in bag.items():
                matrix[row, vocabulary[term]] = count * math.log(len(bags) / document_frequency[term] + 1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
        adjacency = (matrix @ matrix.T >= self.threshold).astype(float)
        degree = adjacency.sum(axis=1, keepdims=True)
        transition = np.divide(adjacency, degree, out=np.full_like(adjacency, 1 / len(bags)), where=degree > 0)
        scores = np.full(len(bags), 1 / len(bags))
        for _ in range(100):
            updated = (1 - self.damping) / len(bags) + self.damping * transition.T @ scores
            if np.abs(updated - scores).sum() < 1e-8:
                break
            scores = updated
        return scores

    def run(self, cluster: Cluster) -> SystemOutput:
        sentences = list(segment_cluster(cluster, self.config.segment).sentences)
        if not sentences:
            return SystemOutput("", ())
        scores = self.rank(sentences)
        chosen: list[int] = []
        words = 0
        for i in np.argsort(-scores, kind="stable"):
            if words >= self.config.evaluation.lexrank_words:
                break
            stems = content_stems(sentences[i].text)
            if any(len(stems & content_stems(sentences[j].text)) > 0.5 * max(1, len(stems)) for j in chosen):
                continue  # near-duplicate of a chosen sentence
            chosen.append(int(i))
            words += word_count(sentences[i].text)
        order = {d.doc_id: n for n, d in enumerate(cluster.documents)}
        chosen.sort(key=lambda i: (sentences[i].index, order[sentences[i].doc_id]))
        return _extractive([sentences[i] for i in chosen])


class GreedyOracle(System):
    """Greedy extractive oracle: add the sentence that most raises ROUGE-1 + ROUGE-2 F1."""

    name = "oracle"

    def __init__(self, config: RunConfig, **_) -> None:
        self.config = config
        self.rouge = Rouge()

    def run(self, cluster: Cluster) -> SystemOutput:
        if not cluster.references:
            raise ValueError(f"cluster {cluster.cluster_id!r} has no reference: the oracle needs one")
        sentences = list(segment_cluster(cluster, self.config.segment).sentences)
        chosen: list[Sentence] = []
        best = 0.0
        while True:
            candidates = []
            for sentence in sentences:
                if sentence in chosen:
                    continue
                text = " ".join(s.text for s in chosen + [sentence])
                scores = self.rouge.score_against(text, cluster.references)
                candidates.append((scores["rouge1"].fmeasure + scores["rouge2"].fmeasure, sentence))
            if not candidates:
                break
            value, sentence = max(candidates, key=lambda c: c[0])
            if value <= best:
                break
            best = value
            chosen.append(sentence)
        return _extractive(chosen)


class PipelineSystem(System):
    """This project's pipeline with the run's configuration (any fusion backend)."""

    name = "pipeline"

    def __init__(self, config: RunConfig, **_) -> None:
        from summarizer.pipeline import Pipeline

        self.pipeline = Pipeline(config)

    def run(self, cluster: Cluster) -> SystemOutput:
        summary = self.pipeline.summarize(cluster)
        headline = ((summary.headline.doc_id,),) if summary.headline else ()
        return SystemOutput(summary.text_with_headline, headline + tuple(s.cited_docs for s in summary.sentences))


def read_json_lines_text(path: Path) -> str:
    """A JSON Lines file's text: UTF-8, or UTF-16/32 by its byte-order mark; anything else is an
    error naming the file (a Latin-1 or broken file was a UnicodeDecodeError traceback)."""
    data = path.read_bytes()
    encoding = bom_encoding(data) or "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 (byte {error.start}: {data[error.start:error.start + 1]!r}); save it "
                         "as UTF-8 or UTF-16 with a byte-order mark") from None


class PredictionsFile(System):
    """Summaries written by any other system: JSONL lines of ``{"id": ..., "summary": ...}``."""

    def __init__(self, name: str, path: str | Path) -> None:
        self.name = name
        self.path = Path(path)
        self.predictions: dict[str, str] = {}
        self.problems: list[str] = []
        if not self.path.is_file():
            raise InputError(f"predictions file {str(self.path)!r} not found")
        for number, line in enumerate(read_json_lines_text(self.path).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                key, summary = str(record["id"]), record["summary"]
                if not isinstance(summary, str):
                    raise TypeError("'summary' must be a string")
            except (json.JSONDecodeError, KeyError, TypeError, RecursionError) as error:
                self.problems.append(f"{self.path}:{number}: skipped ({type(error).__name__}: {error}); "
                                     'expected {"id": ..., "summary": "..."}')
                continue
            if key in self.predictions:
                self.problems.append(f"{self.path}:{number}: duplicate id {key!r}; the first one is used")
                continue
            self.predictions[key] = summary

    def run(self, cluster: Cluster) -> SystemOutput | None:
        summary = self.predictions.get(cluster.cluster_id)
        return None if summary is None else SystemOutput(summary)
