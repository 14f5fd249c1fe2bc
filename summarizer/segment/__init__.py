"""Sentence segmentation for news text, keeping each sentence's character span."""
from __future__ import annotations

import re
from functools import lru_cache

from summarizer.config import SegmentConfig
from summarizer.types import Cluster, Document, SegmentedCluster, Sentence

_HAS_WORD = re.compile(r"\w")


@lru_cache(maxsize=4)
def _segmenter(language: str):
    import pysbd

    # clean=False keeps the text byte-identical, so spans can be located exactly.
    return pysbd.Segmenter(language=language, clean=False)


def split_sentences(text: str, language: str = "en") -> list[tuple[str, tuple[int, int]]]:
    """Split ``text`` into (sentence, (start, end)) pairs with ``text[start:end] == sentence``.

    Newlines are hard boundaries: news paragraphs never continue a sentence across them,
    and pysbd handles abbreviations ("Mr Kim", "U.S."), quotes and dashes within a line.
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
                pieces.append((sentence, (offset + start, offset + end)))
        offset += len(paragraph) + 1
    return pieces


def segment_document(document: Document, language: str = "en") -> list[Sentence]:
    return [
        Sentence(doc_id=document.doc_id, index=i, text=text, span=span)
        for i, (text, span) in enumerate(split_sentences(document.text, language))
    ]


def segment_cluster(cluster: Cluster, config: SegmentConfig) -> SegmentedCluster:
    """Segment every document of the cluster; sentence indices restart per document."""
    sentences: list[Sentence] = []
    for document in cluster.documents:
        sentences.extend(segment_document(document, config.language))
    return SegmentedCluster(cluster=cluster, sentences=tuple(sentences))
