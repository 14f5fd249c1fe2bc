"""Factual consistency of a summary against its sources (not against the reference).

``offline``: the pipeline's faithfulness guard used as a metric (MiniLM support plus agreement
of names, numbers, dates, negations, quotes and roles), averaged with two lexical agreements
with the sources (see ``OfflineConsistency``); needs no NLI weights.
``nli``: SummaC-ZS-style scoring with any Hugging Face NLI classifier: each summary sentence
against every source sentence, entailment minus contradiction, max per document, then max
over documents (a fact carried by one outlet still counts).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from summarizer.config_schema import GuardConfig, RunConfig, SegmentConfig
from summarizer.embed.similarity import Similarity, lexical_similarity
from summarizer.errors import RunError, UsageError
from summarizer.runtime import resolve_device
from summarizer.segment import segment_cluster
from summarizer.text import content_stems, words
from summarizer.types import Cluster, SentenceRef
from summarizer.verify import FaithfulnessGuard, SourceIndex, draft_sentences, normalized_sources


@dataclass(frozen=True)
class SentenceConsistency:
    sentence: str
    score: float
    supported: bool
    best_support: tuple[SentenceRef, ...]
    unsupported_terms: tuple[str, ...] = ()
    per_document: tuple[tuple[str, float], ...] = ()  # nli: best score in each document
    # offline: the three agreements ``score`` averages, in COMPONENTS order (evaluation/protocol.py)
    components: tuple[float, ...] = ()


#: summary-level scores a ConsistencyResult gives (the first is the default everywhere)
AGGREGATES = ("mean-min", "mean", "min")


def check_aggregate(name: str) -> None:
    """Raise ValueError naming the choices unless ``name`` is one of ``AGGREGATES``."""
    if name not in AGGREGATES:
        raise UsageError(f"unknown summary aggregate {name!r}; available: {', '.join(AGGREGATES)}")


@dataclass(frozen=True)
class ConsistencyResult:
    sentences: tuple[SentenceConsistency, ...]

    @property
    def mean(self) -> float:
        return float(np.mean([s.score for s in self.sentences])) if self.sentences else float("nan")

    @property
    def minimum(self) -> float:
        return float(min(s.score for s in self.sentences)) if self.sentences else float("nan")

    @property
    def summary_score(self) -> float:
        """The summary-level score: the mean of ``mean`` and ``minimum``.

        The mean says how much of the summary the sources support, the minimum whether any one
        sentence fails; a summary is factual only if both hold. On FRANK valid (cnndm) the blend
        ranks summaries better than either (AUC 0.783 against 0.775 and 0.775), every weight from
        0.3 to 0.7 does, and 5-fold cross-validation picks 0.5 or 0.4 (eval/README.md).
        """
        return (self.mean + self.minimum) / 2

    def aggregate(self, name: str) -> float:
        """The summary-level score by name: one of ``AGGREGATES``."""
        check_aggregate(name)
        return {"mean-min": self.summary_score, "mean": self.mean, "min": self.minimum}[name]

    @property
    def supported_share(self) -> float:
        return float(np.mean([s.supported for s in self.sentences])) if self.sentences else float("nan")


class ConsistencyScorer:
    """A consistency checker (``summarizer.registries.CONSISTENCY``): a summary against its sources."""

    def score(self, summary: str, cluster: Cluster) -> ConsistencyResult:
        raise NotImplementedError

    def score_many(self, summaries: list[str], cluster: Cluster) -> list[ConsistencyResult]:
        """Several summaries of one cluster (FRANK's systems, the harness's), each scored as ``score``
        scores it; a checker may share work between them."""
        return [self.score(summary, cluster) for summary in summaries]


def _trigrams(text: str) -> list[tuple[str, ...]]:
    tokens = words(text.lower())
    return [tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)]


@dataclass(frozen=True)
class _Sources:
    """A cluster's sources prepared once for every summary scored against them.

    Source sentences are embedded lazily: only those lexically close to some summary sentence
    (``OfflineConsistency.candidates_per_sentence``), once each; the rest keep zero vectors, so
    their blended similarity is their lexical overlap alone, below any embedded candidate's.
    """

    index: SourceIndex  # its vectors are filled in place as rows get embedded
    embedded: np.ndarray  # bool per source sentence
    stem_sets: tuple[frozenset[str], ...]  # content stems per source sentence
    stems: frozenset[str]  # content stems of every document
    trigrams: tuple[frozenset[tuple[str, ...]], ...]  # per source sentence


#: what ``OfflineConsistency`` averages per sentence, in ``SentenceConsistency.components`` order
COMPONENTS = ("guard", "stem precision", "single-source trigram precision")


class OfflineConsistency(ConsistencyScorer):
    """Per summary sentence, the mean of three agreements with the sources, each in [0, 1]:

    * the guard's: similarity × content overlap with its best supporting sentences, halved for
      each unsupported name, number, date, negation, quote or role;
    * stem precision: the share of its content-word stems found anywhere in the sources (new
      words are what abstractive systems invent);
    * single-source trigram precision: the share of its word trigrams found in one source
      sentence (a sentence stitched from several places is where copying systems go wrong).

    On FRANK valid the mean of the three ranks summaries better than any one of them alone
    (eval/README.md); ``supported`` is the guard's verdict, as in the pipeline.
    """

    #: source sentences embedded per summary sentence: its closest by content-stem overlap. Long
    #: articles (FRANK's have about 30 sentences) were most of the checker's time; with 4 (the
    #: guard's support_top_k) FRANK AUCs move by less than 0.002 (eval/README.md).
    candidates_per_sentence = 4

    def __init__(self, encoder, guard: GuardConfig = GuardConfig(), lexical_weight: float = 0.3,
                 segment: SegmentConfig = SegmentConfig()) -> None:
        self.encoder = encoder
        self.guard = FaithfulnessGuard(Similarity(encoder, lexical_weight), guard)
        self.segment = segment
        # Several summaries of one cluster (systems, FRANK's models) share its segmented,
        # embedded sources; the last few are kept.
        self._sources: dict[tuple[tuple[str, str], ...], _Sources] = {}

    @classmethod
    def from_config(cls, config: RunConfig) -> OfflineConsistency:
        """The checker with the run's encoder, guard settings and similarity (encoder loaded once)."""
        from summarizer.embed.encoder import get_encoder

        return cls(get_encoder(config.embedding), config.guard, config.retrieve.lexical_weight, config.segment)

    def _prepare(self, cluster: Cluster) -> _Sources:
        key = tuple((d.doc_id, d.text) for d in cluster.documents)
        if key not in self._sources:
            if len(self._sources) >= 16:
                self._sources.pop(next(iter(self._sources)))
            segmented = segment_cluster(cluster, self.segment)
            sentences = segmented.sentences
            index = SourceIndex(sentences, np.zeros((len(sentences), self.encoder.dimension), dtype=np.float32),
                                normalized_sources(cluster))
            stems = frozenset().union(*(content_stems(d.text) for d in cluster.documents))
            self._sources[key] = _Sources(index, np.zeros(len(sentences), dtype=bool),
                                          tuple(content_stems(s.text) for s in sentences), stems,
                                          tuple(frozenset(_trigrams(s.text)) for s in sentences))
        return self._sources[key]

    def _candidates(self, sentences: list[str], sources: _Sources) -> np.ndarray:
        """Rows of the source sentences lexically closest to each of ``sentences`` (their union)."""
        if not sentences or not sources.stem_sets:
            return np.zeros(0, dtype=int)
        overlap = lexical_similarity([content_stems(s) for s in sentences], list(sources.stem_sets))
        return np.unique(np.argsort(-overlap, axis=1, kind="stable")[:, :self.candidates_per_sentence])

    def _embed(self, rows: np.ndarray, sentences: list[str], sources: _Sources) -> None:
        """Embed the source ``rows`` not yet embedded, with the summary ``sentences`` in the same
        encoder call (the encoder keeps theirs for the guard): one model call, not two."""
        missing = [int(i) for i in rows if not sources.embedded[i]]
        vectors = self.encoder.encode([sources.index.sentences[i].text for i in missing] + sentences)
        if missing:
            sources.index.vectors[missing] = vectors[:len(missing)]
            sources.embedded[missing] = True

    @staticmethod
    def _view(sources: _Sources, rows: np.ndarray) -> SourceIndex:
        """The sources as one summary's check sees them: its candidates' vectors, zeros elsewhere.

        Rows embedded for another summary of the same article keep their zeros here, so a
        summary's score does not depend on which summaries were scored before it (it did: scored
        in reverse order, 2 of FRANK valid's 671 summaries got other scores, 0.409 for 0.432)."""
        vectors = np.zeros_like(sources.index.vectors)
        vectors[rows] = sources.index.vectors[rows]
        return SourceIndex(sources.index.sentences, vectors, sources.index.normalized_text)

    @staticmethod
    def lexical_agreement(sentence: str, sources: _Sources) -> tuple[float, float]:
        """(stem precision against all sources, best single-source trigram precision)."""
        stems = content_stems(sentence)
        stem_precision = len(stems & sources.stems) / len(stems) if stems else 1.0
        trigrams = _trigrams(sentence)
        if not trigrams:
            return stem_precision, 1.0
        best = max((sum(t in source for t in trigrams) for source in sources.trigrams), default=0)
        return stem_precision, best / len(trigrams)

    def score_many(self, summaries: list[str], cluster: Cluster) -> list[ConsistencyResult]:
        """As ``score`` for each, after one encoder call for all their sentences and candidate
        source sentences: fuller passes (each pass has ``embedding.batch_size`` rows, a short one
        filled with copies), the same vectors (a text's vector does not depend on its batch)."""
        sources = self._prepare(cluster)
        split = [draft_sentences(summary, self.segment.language) for summary in summaries]
        rows = [self._candidates(sentences, sources) for sentences in split]
        self._embed(np.unique(np.concatenate(rows)) if rows else np.zeros(0, dtype=int),
                    [s for sentences in split for s in sentences], sources)
        return [self._result(sentences, sources, candidates) for sentences, candidates in zip(split, rows)]

    def score(self, summary: str, cluster: Cluster) -> ConsistencyResult:
        return self.score_many([summary], cluster)[0]

    def _result(self, sentences: list[str], sources: _Sources, rows: np.ndarray) -> ConsistencyResult:
        results = []
        for sentence, verdict in zip(sentences, self.guard.check(sentences, self._view(sources, rows))):
            check = verdict.check
            guard_score = max(0.0, check.similarity) * check.content_overlap * 0.5 ** len(check.unsupported_terms)
            stem_precision, single_source = self.lexical_agreement(sentence, sources)
            score = (guard_score + stem_precision + single_source) / 3
            results.append(SentenceConsistency(
                sentence=sentence, score=round(float(score), 6), supported=check.supported,
                best_support=tuple(SentenceRef.of(s) for s in verdict.support),
                unsupported_terms=check.unsupported_terms,
                components=(float(guard_score), float(stem_precision), float(single_source))))
        return ConsistencyResult(tuple(results))


class NLIConsistency(ConsistencyScorer):
    """Entailment minus contradiction from any sequence-classification NLI model."""

    def __init__(self, model: str, batch_size: int = 32, device: str = "cpu", threshold: float = 0.0,
                 segment: SegmentConfig = SegmentConfig(), loaded=None) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        if loaded is None:
            try:
                loaded = (AutoModelForSequenceClassification.from_pretrained(model),
                          AutoTokenizer.from_pretrained(model))
            except (OSError, ValueError) as error:
                raise RunError(f"NLI model {model!r} could not be loaded: {error}") from None
        self.model, self.tokenizer = loaded
        self.device = resolve_device(device, "the NLI checker's device")
        self.model = self.model.to(self.device).eval()
        self.batch_size, self.threshold, self.segment = batch_size, threshold, segment
        labels = {str(v).lower(): int(k) for k, v in self.model.config.id2label.items()}
        self.entailment = next((i for name, i in labels.items() if name.startswith("entail")), None)
        self.contradiction = next((i for name, i in labels.items() if name.startswith("contra")), None)
        if self.entailment is None or self.contradiction is None:
            raise ValueError(f"NLI model {model!r} must label its classes 'entailment' and 'contradiction' "
                             f"in config.id2label; it has {sorted(labels)}")

    @classmethod
    def from_config(cls, config: RunConfig) -> NLIConsistency:
        return cls(config.evaluation.nli_model, segment=config.segment)

    def _pair_scores(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        scores = []
        for start in range(0, len(premises), self.batch_size):
            encoded = self.tokenizer(premises[start:start + self.batch_size],
                                     hypotheses[start:start + self.batch_size], padding=True,
                                     truncation=True, max_length=512, return_tensors="pt").to(self.device)
            with torch.inference_mode():
                probs = self.model(**encoded).logits.float().softmax(-1)
            scores.append((probs[:, self.entailment] - probs[:, self.contradiction]).cpu().numpy())
        return np.concatenate(scores) if scores else np.zeros(0)

    def score(self, summary: str, cluster: Cluster) -> ConsistencyResult:
        sentences = draft_sentences(summary, self.segment.language)
        sources = segment_cluster(cluster, self.segment).sentences
        if not sentences or not sources:
            return ConsistencyResult(())
        # Every (source sentence, summary sentence) pair in one batched pass.
        premises = [s.text for _ in sentences for s in sources]
        hypotheses = [h for h in sentences for _ in sources]
        matrix = self._pair_scores(premises, hypotheses).reshape(len(sentences), len(sources))
        doc_ids = list(dict.fromkeys(s.doc_id for s in sources))
        results = []
        for sentence, row in zip(sentences, matrix):
            per_document = tuple(
                (doc, float(max(row[i] for i, s in enumerate(sources) if s.doc_id == doc))) for doc in doc_ids)
            best = int(np.argmax(row))
            score = float(row[best])
            results.append(SentenceConsistency(
                sentence=sentence, score=round(score, 6), supported=score > self.threshold,
                best_support=(SentenceRef.of(sources[best]),),
                per_document=per_document))
        return ConsistencyResult(tuple(results))
