"""The harness's metrics, declared as data: column key, label, direction and display scale."""
from __future__ import annotations

from dataclasses import dataclass

from summarizer.evaluation.rouge import ROUGE_TYPES


@dataclass(frozen=True)
class Metric:
    """A metric declared as data: its column, label, direction and display scale."""

    key: str
    label: str
    higher_is_better: bool | None  # None: descriptive (length, say), neither better nor worse
    scale: float = 1.0

    @property
    def arrow(self) -> str:
        return {True: " ↑", False: " ↓", None: ""}[self.higher_is_better]


METRICS = (
    *(Metric(f"{r}_f", f"{r.replace('rouge', 'R-')} F1", True, 100) for r in ROUGE_TYPES),
    Metric("consistency_score", "consistency (summary)", True),
    Metric("consistency_mean", "consistency (mean)", True),
    Metric("consistency_min", "consistency (min)", True),
    Metric("supported_share", "supported sentences", True, 100),
    Metric("arousal_positive", "Arousal+", False),
    Metric("arousal_negative", "Arousal-", False),
    Metric("arousal_total", "Arousal sum", False),
    Metric("single_outlet_share", "single-outlet wording", False, 100),
    Metric("back_pointing_share", "back-pointing openers", False, 100),
    Metric("fused_share", "fused sentences", None, 100),
    Metric("fragment_coverage", "fragment coverage", None),
    Metric("fragment_density", "fragment density", None),
    Metric("compression", "compression", None),
    *(Metric(f"novel_{n}grams", f"novel {n}-grams", None, 100) for n in (1, 2, 3, 4)),
    Metric("documents_used", "documents used", True),
    Metric("coverage_evenness", "coverage evenness", True),
    Metric("words", "words", None),
)
