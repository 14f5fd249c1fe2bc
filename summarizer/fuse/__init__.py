"""Fusion: generators chosen by name through ``summarizer.registries.GENERATORS`` (imported lazily)."""
from summarizer.fuse.base import FusionRequest, Generator, Passage
from summarizer.registries import GENERATORS

__all__ = ["GENERATORS", "FusionRequest", "Generator", "Passage"]
