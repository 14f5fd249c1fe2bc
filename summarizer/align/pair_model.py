"""The "same fact" decision for one pair of sentences: logistic regressions over pair views.

``scripts/train_pair_model.py`` fits the ``pair`` part on MSRP's training portion (news sentence
pairs from different outlets, judged by people: same meaning or not) and the ``context`` part on the
hand-labelled clusters of eval/alignment/devset.json, and writes ``PairModel`` as JSON; the fitted
file ships with the package (``pair_msrp.json``; its description says what it was trained on).
The alignment stage reads the probability, so one number means the same wherever "same fact?" is
asked. This module needs only numpy: the config loader checks ``align.pair_model`` with it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from summarizer.align.pairs import CONTEXT_FEATURES, PAIR_FEATURES

BUNDLED_MODEL = Path(__file__).with_name("pair_msrp.json")


@dataclass(frozen=True)
class Logistic:
    """Standardised features times weights plus bias, through the logistic function."""

    feature_names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        """P(same fact) for each row of ``features`` (rows × ``feature_names``)."""
        features = np.atleast_2d(np.asarray(features, dtype=np.float64))
        z = (features - np.array(self.mean)) / np.array(self.scale) @ np.array(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    @classmethod
    def from_dict(cls, data: dict) -> Logistic:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


@dataclass(frozen=True)
class PairModel:
    """Two decisions of "same fact". ``pair`` reads one pair alone (``PAIR_FEATURES``; fitted on
    MSRP's human judgements; ``cross_encoder`` names the cross-encoder its last view reads). ``context``
    reads the pair within its story (``CONTEXT_FEATURES``: similarity corrected for hubness, and
    overlap of the words that are rare in the cluster; fitted on the hand-labelled clusters of
    eval/alignment/devset.json), and decides wherever a story gives that context."""

    pair: Logistic
    context: Logistic
    description: str = ""
    #: the cross-encoder adapter whose logit is the pair view ``cross`` (``cross.py``): a path, relative to
    #: the model file's folder unless absolute
    cross_encoder: str = "pair_cross_msrp.safetensors"

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


def fit_logistic(features: np.ndarray, labels: np.ndarray, names: tuple[str, ...], l2: float = 1.0) -> Logistic:
    """L2-regularised logistic regression by Newton's method (a dozen steps on standardised features:
    the few lines scikit-learn's LogisticRegression would take, without the dependency)."""
    features = np.asarray(features, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale == 0] = 1.0
    x = np.hstack([(features - mean) / scale, np.ones((len(features), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - labels) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    # Ten decimals: the last bits of a sum vary with the order BLAS adds in; the file should not.
    return Logistic(tuple(names), tuple(round(float(v), 10) for v in mean), tuple(round(float(v), 10) for v in scale),
                    tuple(round(float(v), 10) for v in w[:-1]), round(float(w[-1]), 10))


@lru_cache(maxsize=4)
def load_pair_model(path: str = "") -> PairModel:
    """The model at ``path`` (empty: the bundled one), checked against ``PAIR_FEATURES``; its
    ``cross_encoder`` resolved to a path that exists."""
    source = Path(path) if path else BUNDLED_MODEL
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        model = PairModel(Logistic.from_dict(data["pair"]), Logistic.from_dict(data["context"]),
                          data.get("description", ""), str(source.parent / data["cross_encoder"]))
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise ValueError(f"{source}: not a pair model file ({type(error).__name__}: {error}); write one with "
                         "scripts/train_pair_model.py") from None
    for part, names in ((model.pair, PAIR_FEATURES), (model.context, CONTEXT_FEATURES)):
        if part.feature_names != names:
            raise ValueError(f"{source}: its features {list(part.feature_names)} are not this version's "
                             f"{list(names)}; retrain it with scripts/train_pair_model.py")
    if not Path(model.cross_encoder).is_file():
        raise ValueError(f"{source}: its cross-encoder {model.cross_encoder} is missing; write one with "
                         "scripts/train_cross_encoder.py")
    return model
