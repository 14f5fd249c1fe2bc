"""Sentence embeddings (the bundled all-MiniLM-L6-v2) and the similarity every stage shares."""
