"""The cross-outlet comparison: what all, some or one outlet report, what each leaves out, and the
words only one outlet uses."""
from summarizer.compare.outlets import compare

__all__ = ["compare"]
