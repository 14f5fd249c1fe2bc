"""The extractive backend: no model; each selected fact is its best-worded source sentence."""
from __future__ import annotations

from summarizer.fuse.base import Generator
from summarizer.text import word_count


class ExtractiveGenerator(Generator):
    name = "extractive"
    generates = False

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [word_count(t) for t in texts]
