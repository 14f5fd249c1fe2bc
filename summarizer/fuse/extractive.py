"""The extractive backend: no model; each selected fact is its best-worded source sentence."""
from __future__ import annotations

from summarizer.fuse.base import GENERATORS, FusionRequest, Generator


@GENERATORS.register("extractive")
class ExtractiveGenerator(Generator):
    name = "extractive"

    @property
    def generates(self) -> bool:
        return False

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def generate(self, requests: list[FusionRequest]) -> list[str]:
        # The pipeline never asks; the representative sentence is the output.
        return ["" for _ in requests]
