"""The learned salience scorer's model file: a ridge regression over ``FEATURE_NAMES``.

``scripts/train_salience.py`` fits it on NeuS train and writes ``LinearSalience`` as JSON; the
fitted file ships with the package (``salience_neus.json``). The config loader reads it to check
``retrieve.salience_model`` before anything heavy loads, so this module needs only numpy.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

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


@dataclass(frozen=True)
class LinearSalience:
    """Standardised features times weights plus bias: a ridge regression's prediction."""

    feature_names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    description: str = ""
    #: the longest document, in sentences, of the domain the model was fitted on (the 99th
    #: percentile of its training documents): past it the position features take values the fit
    #: never saw, and ``retrieve.scorer: auto`` uses the unsupervised blend instead. None: no limit
    #: known (a model written before the field existed).
    document_sentences: int | None = None

    def predict(self, features: np.ndarray) -> np.ndarray:
        if features.shape[1] != len(self.feature_names):
            raise ValueError(f"salience model expects {len(self.feature_names)} features, got {features.shape[1]}")
        return ((features - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights) + self.bias

    def to_json(self) -> str:
        return json.dumps({"feature_names": list(self.feature_names), "mean": list(self.mean),
                           "scale": list(self.scale), "weights": list(self.weights), "bias": self.bias,
                           "description": self.description, "document_sentences": self.document_sentences},
                          indent=2) + "\n"

    @classmethod
    def from_file(cls, path: str | Path) -> "LinearSalience":
        """Read a model written by ``scripts/train_salience.py``; a stale or broken file is named."""
        path = Path(path).expanduser()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(tuple(data["feature_names"]), tuple(map(float, data["mean"])),
                        tuple(map(float, data["scale"])), tuple(map(float, data["weights"])),
                        float(data["bias"]), str(data.get("description", "")), data.get("document_sentences"))
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
        if model.document_sentences is not None and (
                isinstance(model.document_sentences, bool) or not isinstance(model.document_sentences, int)
                or model.document_sentences < 1):
            raise ValueError(f"salience model {str(path)!r}: document_sentences must be a whole number ≥ 1 "
                             f"or null, not {model.document_sentences!r}")
        if any(s <= 0 for s in model.scale):
            raise ValueError(f"salience model {str(path)!r}: every scale must be > 0")
        return model


@lru_cache(maxsize=8)
def load_salience_model(path: str = "") -> LinearSalience:
    """The model at ``path`` (empty: the bundled one trained on NeuS train), read once per process."""
    return LinearSalience.from_file(path or BUNDLED_MODEL)
