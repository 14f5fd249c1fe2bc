"""Ingest: paths → cleaned Clusters."""
from summarizer.ingest.clean import clean_text, normalize
from summarizer.ingest.readers import (READERS, InputError, PartialInputError, cluster_from_record,
                                       read_clusters)

__all__ = ["READERS", "InputError", "PartialInputError", "clean_text", "cluster_from_record",
           "normalize", "read_clusters"]
