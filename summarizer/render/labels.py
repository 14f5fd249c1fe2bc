"""The labels every output format shows a reader beside each summary sentence: what it is (model
text or a quotation) and whose words it uses, with the other outlets that report its fact."""
from __future__ import annotations

from dataclasses import dataclass

from summarizer.text import word_count, words
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


@dataclass(frozen=True)
class Attribution:
    """Whose words a summary sentence uses, and which other outlets report its fact."""

    wording: tuple[str, ...]  # documents whose sentence supplies its word pairs, the main one first
    also: tuple[str, ...]  # the other cited documents, in document order
    shares: tuple[float, ...]  # per ``wording`` document: its share of the sentence's words


def _pairs(text: str) -> set[tuple[str, str]]:
    tokens = [w.lower() for w in words(text)]
    return set(zip(tokens, tokens[1:])) or {(t, "") for t in tokens}


def attribute(sentence: SummarySentence, texts: dict[str, str]) -> Attribution:
    """The cited outlet whose sentence shares most of ``sentence``'s word pairs leads; an outlet
    joins the wording only when it supplies pairs the ones before it do not (a fused sentence);
    the rest of the cited outlets corroborate. ``texts``: each document's cleaned text."""
    own = _pairs(sentence.text)
    supplied: dict[str, set] = {}
    for ref in sentence.citations:
        supplied.setdefault(ref.doc_id, set()).update(own & _pairs(texts[ref.doc_id][ref.span[0]:ref.span[1]]))
    order = sorted(supplied, key=lambda d: -len(supplied[d]))  # stable: document order among equals
    wording, covered, counts = [], set(), []
    for doc in order:
        new = supplied[doc] - covered
        if new or not wording:
            wording.append(doc)
            counts.append(len(new))
            covered |= new
    total = sum(counts) or 1
    return Attribution(tuple(wording), tuple(d for d in sentence.cited_docs if d not in wording),
                       tuple(c / total for c in counts))


def attribution_text(attribution: Attribution, name) -> str:
    """"BBC's wording; also reported by 000 and 003" (``name``: a document's name)."""
    words_of = " and ".join(name(d) for d in attribution.wording)
    text = f"{words_of}'s wording" if len(attribution.wording) == 1 else f"wording of {words_of}"
    if attribution.also:
        others = [name(d) for d in attribution.also]
        text += "; also reported by " + (", ".join(others[:-1]) + " and " + others[-1] if len(others) > 1
                                          else others[0])
    return text


def wording_shares(summary: Summary, attributions: list[Attribution]) -> dict[str, float]:
    """Each outlet's share of the summary's words (a sentence's words divided among its wording);
    ``attributions``: ``attribute`` of each sentence, computed once by the caller."""
    shares: dict[str, float] = {}
    total = sum(word_count(s.text) for s in summary.sentences) or 1
    for sentence, attribution in zip(summary.sentences, attributions):
        for doc, share in zip(attribution.wording, attribution.shares):
            shares[doc] = shares.get(doc, 0.0) + share * word_count(sentence.text) / total
    return {doc: round(value, 4) for doc, value in sorted(shares.items(), key=lambda kv: -kv[1])}
