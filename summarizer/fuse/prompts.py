"""Prompts for instruction-tuned models and packing for seq2seq inputs."""
from __future__ import annotations

from summarizer.fuse.base import FusionRequest

SYSTEM = ("You are a careful news editor. You restate facts from news reports in plain, neutral "
          "words. You never add facts, names, places or numbers that the reports do not give.")


# Small models copy better than they compose: the group prompt asks for a merge of at most
# three sentences in their own words, which measured fewer invented facts than asking for
# "the fact they share" (that wording made SmolLM2 talk about "the reports").
MAX_GROUP_PASSAGES = 3


def instruction(request: FusionRequest) -> str:
    """The user message for one request."""
    if request.unit == "group":
        passages = request.passages[:MAX_GROUP_PASSAGES]
        lines = "\n".join(f"{i}. {p.text}" for i, p in enumerate(passages, start=1))
        return (f"{lines}\n\nCombine sentences 1 to {len(passages)} into a single sentence, "
                "copying their wording.")
    lines = "\n".join(f"- {p.text}" for p in request.passages)
    return (f"Excerpts from several news reports about one event:\n{lines}\n\nWrite a neutral "
            f"summary of about {request.target_words} words that states only facts given in the "
            "excerpts, attributing claims to who made them. Output only the summary.")


def pack_documents(request: FusionRequest, separator: str) -> str:
    """Seq2seq input: each document's passages together, documents joined by ``separator``."""
    by_doc: dict[str, list[str]] = {}
    for passage in request.passages:
        by_doc.setdefault(passage.doc_label, []).append(passage.text)
    return separator.join(" ".join(texts) for texts in by_doc.values())
