"""summarizer: neutral, cited multi-document news summaries.

    from summarizer import Summarizer, align_facts, summarize
"""
from summarizer.api import Summarizer, align_facts, summarize

__version__ = "0.1.0"

__all__ = ["Summarizer", "__version__", "align_facts", "summarize"]
