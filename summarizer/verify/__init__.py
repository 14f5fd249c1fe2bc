"""Verification: the faithfulness guard (``guard``) and what stands when it rejects (``policy``)."""
from summarizer.verify.guard import (FaithfulnessGuard, Repair, SourceIndex, Verdict, clean_draft,
                                     looks_like_fragment, normalized_sources, role_phrases)
from summarizer.verify.policy import GuardPolicy, draft_sentences, extracted

__all__ = ["FaithfulnessGuard", "GuardPolicy", "Repair", "SourceIndex", "Verdict", "clean_draft", "draft_sentences",
           "extracted", "looks_like_fragment", "normalized_sources", "role_phrases"]
