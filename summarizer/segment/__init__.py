"""Segmentation: each document into sentences with character spans (``sentences``)."""
from summarizer.segment.sentences import segment_cluster, segment_document, split_sentences

__all__ = ["segment_cluster", "segment_document", "split_sentences"]
