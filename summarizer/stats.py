"""Per-stage timings and counters, kept by the step that does the work (as datatrove's steps do)."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class StageStats:
    """Wall time per stage and named counters ("guard.repaired", "fuse.generated_tokens") of one run."""

    seconds: dict[str, float] = field(default_factory=dict)
    counters: Counter[str] = field(default_factory=Counter)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the time spent inside the ``with`` block to ``stage``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started

    def count(self, name: str, amount: int = 1) -> None:
        self.counters[name] += amount

    def per_item(self, items: int) -> dict[str, float]:
        """Each stage's time shared equally among ``items`` (clusters of one batch), rounded."""
        return {stage: round(seconds / max(1, items), 4) for stage, seconds in self.seconds.items()}

    def merge(self, other: StageStats) -> None:
        for stage, seconds in other.seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        self.counters.update(other.counters)
