"""Per-sentence salience features and the learned linear scorer that reads them.

The features extend the unsupervised signals with what NeuS training data showed to matter:
how much of a sentence's vocabulary the other outlets share, the raw closeness to the
headlines, length and form. ``scripts/train_salience.py`` fits a ridge regression from these
features to each sentence's ROUGE against the reference and writes ``LinearSalience`` as JSON;
the fitted file ships with the package (``salience_neus.json``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from summarizer.text import content_stems, is_question, word_count
from summarizer.types import SegmentedCluster

FEATURE_NAMES = (
    "corroboration",  # soft count of other outlets carrying the fact (Signals)
    "centrality",  # min-max scaled closeness to the cluster centroid (Signals)
    "position",  # 1 / sqrt(1 + index) (Signals)
    "title",  # min-max scaled closeness to the closest headline (Signals)
    "support",  # share of other documents with a sentence above the grouping threshold
    "title_similarity",  # unscaled closeness to the closest headline
    "centroid_similarity",  # unscaled dot product with the cluster's mean embedding
    "first_sentence",
    "relative_position",  # index / sentences in its document
    "length",  # words / 30, capped at 60 words
    "shared_stems",  # mean over content stems of the share of documents using the stem
    "stems_in_other_documents",  # share of content stems some other document also uses
    "quote",
    "digit",
    "question",
)

BUNDLED_MODEL = Path(__file__).with_name("salience_neus.json")
_QUOTE = re.compile(r"[\"“”]")
_DIGIT = re.compile(r"\d")


def sentence_features(segmented: SegmentedCluster, vectors: np.ndarray, title_similarity: np.ndarray,
                      corroboration: np.ndarray, centrality: np.ndarray, position: np.ndarray,
                      title: np.ndarray, support: np.ndarray) -> np.ndarray:
    """One row of ``FEATURE_NAMES`` per sentence of ``segmented`` (shape n × len(FEATURE_NAMES))."""
    sentences = segmented.sentences
    if not sentences:
        return np.zeros((0, len(FEATURE_NAMES)))
    doc_ids = [d.doc_id for d in segmented.cluster.documents]
    per_document = {d: [s for s in sentences if s.doc_id == d] for d in doc_ids}
    document_stems = {d: frozenset().union(*(content_stems(s.text) for s in members))
                      for d, members in per_document.items()}
    centroid = vectors.mean(axis=0)
    others = max(1, len(doc_ids) - 1)
    rows = []
    for i, sentence in enumerate(sentences):
        stems = content_stems(sentence.text)
        users = [sum(stem in document_stems[d] for d in doc_ids) for stem in stems]
        elsewhere = [any(stem in document_stems[d] for d in doc_ids if d != sentence.doc_id) for stem in stems]
        text = sentence.text.rstrip()
        rows.append((
            corroboration[i], centrality[i], position[i], title[i], support[i] / others,
            title_similarity[i], float(vectors[i] @ centroid), float(sentence.index == 0),
            sentence.index / max(1, len(per_document[sentence.doc_id])),
            min(word_count(text), 60) / 30,
            float(np.mean(users)) / len(doc_ids) if users else 0.0,
            float(np.mean(elsewhere)) if elsewhere else 0.0,
            float(bool(_QUOTE.search(text))), float(bool(_DIGIT.search(text))),
            float(is_question(text)),
        ))
    return np.asarray(rows, dtype=np.float64)


@dataclass(frozen=True)
class LinearSalience:
    """Standardised features times weights plus bias: a ridge regression's prediction."""

    feature_names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    description: str = ""

    def predict(self, features: np.ndarray) -> np.ndarray:
        if features.shape[1] != len(self.feature_names):
            raise ValueError(f"salience model expects {len(self.feature_names)} features, got {features.shape[1]}")
        return ((features - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights) + self.bias

    def to_json(self) -> str:
        return json.dumps({"feature_names": list(self.feature_names), "mean": list(self.mean),
                           "scale": list(self.scale), "weights": list(self.weights), "bias": self.bias,
                           "description": self.description}, indent=2) + "\n"

    @classmethod
    def from_file(cls, path: str | Path) -> "LinearSalience":
        """Read a model written by ``scripts/train_salience.py``; a stale or broken file is named."""
        path = Path(path).expanduser()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(tuple(data["feature_names"]), tuple(map(float, data["mean"])),
                        tuple(map(float, data["scale"])), tuple(map(float, data["weights"])),
                        float(data["bias"]), str(data.get("description", "")))
        except FileNotFoundError:
            raise ValueError(f"salience model {str(path)!r} does not exist; train one with "
                             "scripts/train_salience.py or leave retrieve.salience_model empty") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(f"salience model {str(path)!r} is not a model written by "
                             f"scripts/train_salience.py: {error}") from None
        if model.feature_names != FEATURE_NAMES:
            raise ValueError(f"salience model {str(path)!r} was trained on features {list(model.feature_names)}, "
                             f"this version computes {list(FEATURE_NAMES)}: retrain it with scripts/train_salience.py")
        if not (len(model.mean) == len(model.scale) == len(model.weights) == len(FEATURE_NAMES)):
            raise ValueError(f"salience model {str(path)!r}: mean, scale and weights need one value per feature")
        if any(s <= 0 for s in model.scale):
            raise ValueError(f"salience model {str(path)!r}: every scale must be > 0")
        return model


@lru_cache(maxsize=8)
def load_salience_model(path: str = "") -> LinearSalience:
    """The model at ``path`` (empty: the bundled one trained on NeuS train), read once per process."""
    return LinearSalience.from_file(path or BUNDLED_MODEL)
