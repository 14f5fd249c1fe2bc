"""The labels every output format shows a reader beside each summary sentence (issue #20)."""
from __future__ import annotations

from summarizer.types import Origin, Summary, SummarySentence

# What a reader is told a summary sentence is, in every format. Generated, fused and cut-back
# sentences get the same label: a cut-back is model text too, and "shortened" made a model's slip
# ("aiding North Korean") read as a source's.
MODEL_TEXT = "model text, checked against the sources"
QUOTED = "quoted from a source"


def sentence_label(sentence: SummarySentence) -> str:
    """``MODEL_TEXT`` or ``QUOTED``; a quoted sentence the neutral stage edited says what it left out
    and whose first mention it gave in full."""
    if sentence.origin is not Origin.EXTRACTED:
        return MODEL_TEXT
    label = QUOTED
    if sentence.edits:
        label += ", without " + ", ".join(f"“{edit}”" for edit in sentence.edits)
    if sentence.full_names:
        label += ", naming " + ", ".join(f"“{name}”" for name in sentence.full_names) + " in full"
    return label


def label_line(summary: Summary) -> str:
    """The top line's count: "6 sentences: 2 model text, checked against the sources; 4 quoted from a source"."""
    total = len(summary.sentences)
    model = sum(s.origin is not Origin.EXTRACTED for s in summary.sentences)
    return (f"{total} sentence{'s' if total != 1 else ''}: {model} {MODEL_TEXT}; "
            f"{total - model} {QUOTED}")
