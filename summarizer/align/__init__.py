"""Cross-outlet fact alignment: which sentences of different outlets state the same fact.

The stage itself is ``summarizer.align.stage.align_cluster``; this package's root holds only its
records, which ``summarizer.types`` carries in a ``Selection``.
"""
from summarizer.align.records import Alignment, Fact, FactMember

__all__ = ["Alignment", "Fact", "FactMember"]
