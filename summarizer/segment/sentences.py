"""Sentence segmentation for news text, keeping each sentence's character span."""
from __future__ import annotations

import re
from functools import lru_cache

from summarizer.config_schema import SegmentConfig
from summarizer.types import Cluster, Document, SegmentedCluster, Sentence

_HAS_WORD = re.compile(r"\w")


@lru_cache(maxsize=4)
def _segmenter(language: str):
    import pysbd

    # clean=False keeps the text byte-identical, so spans can be located exactly.
    return pysbd.Segmenter(language=language, clean=False)


_TOKEN = re.compile(r"\S+")
_CLAUSE_END = re.compile(r"[,;:)\]]$|^[-–—]$")


def _split_long(sentence: str, start: int, max_words: int) -> list[tuple[str, tuple[int, int]]]:
    """Cut an over-long "sentence" (a list, a transcript, text without punctuation) into pieces
    of at most ``max_words`` words, at a clause boundary where one is near the limit."""
    tokens = list(_TOKEN.finditer(sentence))
    if len(tokens) <= max_words:
        return [(sentence, (start, start + len(sentence)))]
    pieces = []
    first = 0
    while first < len(tokens):
        last = min(first + max_words, len(tokens)) - 1
        if last < len(tokens) - 1:
            # Prefer the latest clause boundary in the last two thirds of the piece.
            for k in range(last, first + max_words // 3, -1):
                if _CLAUSE_END.search(tokens[k].group(0)):
                    last = k
                    break
        begin, end = tokens[first].start(), tokens[last].end()
        pieces.append((sentence[begin:end], (start + begin, start + end)))
        first = last + 1
    return pieces


def split_sentences(text: str, language: str = "en", max_words: int = 120) -> list[tuple[str, tuple[int, int]]]:
    """Split ``text`` into (sentence, (start, end)) pairs with ``text[start:end] == sentence``.

    Newlines are hard boundaries: news paragraphs never continue a sentence across them,
    and pysbd handles abbreviations ("Mr Kim", "U.S."), quotes and dashes within a line.
    A "sentence" longer than ``max_words`` words is cut into pieces (see ``_split_long``).
    """
    segmenter = _segmenter(language)
    pieces: list[tuple[str, tuple[int, int]]] = []
    offset = 0
    for paragraph in text.split("\n"):
        cursor = 0
        for raw in segmenter.segment(paragraph) if paragraph.strip() else []:
            sentence = raw.strip()
            if not sentence:
                continue
            start = paragraph.find(sentence, cursor)
            if start < 0:  # pysbd altered the text after all; fall back to the cursor
                start = cursor
            end = start + len(sentence)
            cursor = end
            if _HAS_WORD.search(sentence):
                pieces.extend(_split_long(text[offset + start:offset + end], offset + start, max_words))
        offset += len(paragraph) + 1
    return pieces


def segment_document(document: Document, language: str = "en", max_words: int = 120) -> list[Sentence]:
    return [
        Sentence(doc_id=document.doc_id, index=i, text=text, span=span)
        for i, (text, span) in enumerate(split_sentences(document.text, language, max_words))
    ]


def segment_cluster(cluster: Cluster, config: SegmentConfig) -> SegmentedCluster:
    """Segment every document of the cluster; sentence indices restart per document."""
    sentences: list[Sentence] = []
    for document in cluster.documents:
        sentences.extend(segment_document(document, config.language, config.max_sentence_words))
    return SegmentedCluster(cluster=cluster, sentences=tuple(sentences))
