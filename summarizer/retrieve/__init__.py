"""Salience retrieval across all versions of a story.

Every sentence of every outlet is scored (``scoring``); near-duplicate sentences across outlets
are grouped into facts (``grouping``); facts are chosen by MMR within a token budget and put in
reading order (``select``); the headline the outlets agree with most leads (``headline``).
"""
from summarizer.retrieve.scoring import Signals, cluster_signals
from summarizer.retrieve.select import TokenCounter, retrieve, summary_length
from summarizer.text import leans_on_previous  # a text rule (text.py), re-exported where retrieval uses it

__all__ = ["Signals", "TokenCounter", "cluster_signals", "leans_on_previous", "retrieve", "summary_length"]
