"""Segmentation: each document into sentences with character spans (``sentences``)."""
from summarizer.segment.sentences import document_blocks, segment_cluster, segment_document, split_sentences

__all__ = ["document_blocks", "segment_cluster", "segment_document", "split_sentences"]
