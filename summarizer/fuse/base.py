"""The generator interface every fusion backend implements, and the requests it takes."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from summarizer.config_schema import FuseConfig


@dataclass(frozen=True)
class Passage:
    """One source sentence offered to the generator, labelled with its document."""

    doc_label: str
    text: str


@dataclass(frozen=True)
class FusionRequest:
    """Fuse ``passages`` into one sentence (``unit="group"``) or a summary (``"cluster"``)."""

    passages: tuple[Passage, ...]
    unit: str
    target_words: int


class Generator(ABC):
    """A fusion backend: counts tokens with its own tokenizer and generates in batches."""

    name: str = ""
    #: the unit this kind of model does best when ``fuse.unit`` is "auto"
    preferred_unit: str = "group"

    def __init__(self, config: FuseConfig) -> None:
        self.config = config
        #: running count of tokens this backend generated (throughput reporting)
        self.generated_tokens = 0

    @property
    def model_id(self) -> str:
        return self.config.model or self.name

    #: whether the backend writes text; the extractive one does not, and is never asked to
    generates: bool = True

    def unit(self) -> str:
        return self.preferred_unit if self.config.unit == "auto" else self.config.unit

    @abstractmethod
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Token counts of ``texts`` under this backend's tokenizer."""

    def choose(self, requests: list[FusionRequest]) -> list[tuple[str, ...]]:
        """Per request, candidate texts best first; a writing backend's one draft (or none)."""
        return [(text,) if text else () for text in self.generate(requests)]

    def generate(self, requests: list[FusionRequest]) -> list[str]:
        """One output text per request, in request order (backends that generate override this)."""
        raise NotImplementedError(f"the {self.name!r} backend generates no text")
