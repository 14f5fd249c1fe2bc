"""Ingest: paths → ``Item``s of cleaned ``Cluster``s (``items.iter_items``, the one input path)."""
from summarizer.ingest.clean import clean_text
from summarizer.ingest.items import detect_reader, iter_items, read_clusters
from summarizer.ingest.records import InputError, cluster_from_record
from summarizer.text import normalize

__all__ = ["InputError", "clean_text", "cluster_from_record", "detect_reader", "iter_items", "normalize",
           "read_clusters"]
