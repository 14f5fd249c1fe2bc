"""Evaluation: metrics (ROUGE, consistency, neutrality, coverage), systems and the harness."""
from summarizer.evaluation.modules import module_path

__all__ = ["module_path"]
