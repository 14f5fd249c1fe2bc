"""summarizer: neutral, cited multi-document news summaries.

    from summarizer import Summarizer, summarize
"""
from summarizer.api import Summarizer, summarize

__version__ = "0.1.0"

__all__ = ["Summarizer", "__version__", "summarize"]
