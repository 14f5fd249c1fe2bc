"""Salience retrieval across all versions of a story.

Every sentence of every outlet is scored (``scoring``); near-duplicate sentences across outlets
are grouped into facts (``grouping``); facts are chosen by MMR within a token budget and put in
reading order (``select``); the headline the outlets agree with most leads (``headline``).
"""
from summarizer.retrieve.grouping import leans_on_previous
from summarizer.retrieve.scoring import Signals, cluster_signals
from summarizer.retrieve.select import TokenCounter, retrieve, summary_length

__all__ = ["Signals", "TokenCounter", "cluster_signals", "leans_on_previous", "retrieve", "summary_length"]
