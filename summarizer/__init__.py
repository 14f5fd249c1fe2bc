"""summarizer: neutral, cited multi-document news summaries."""

__version__ = "0.1.0"
