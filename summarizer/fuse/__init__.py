"""Fusion: generators chosen by name through ``GENERATORS``."""
from summarizer.fuse.base import GENERATORS, FusionRequest, Generator, Passage
from summarizer.fuse import embedded, extractive, hf  # noqa: F401  (register the backends)

__all__ = ["GENERATORS", "FusionRequest", "Generator", "Passage"]
