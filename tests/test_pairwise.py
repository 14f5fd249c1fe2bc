"""Retrieval's pairwise similarity: the whole matrix for ordinary clusters, row blocks for very long
ones (retrieve/pairwise.py), with the same answers."""
import numpy as np
from helpers import PACT, embed, select

from summarizer.config import RunConfig
from summarizer.retrieve import pairwise as pairwise_module
from summarizer.retrieve.pairwise import PairwiseSimilarity
from summarizer.embed.similarity import Similarity

THRESHOLD = 0.55


def _both(encoder, cluster=PACT):
    embedded = embed(cluster, encoder, RunConfig())
    similarity = Similarity(encoder, 0.3)
    args = (embedded.sentences, embedded.vectors, embedded.texts, similarity, THRESHOLD)
    # blocks of 3 rows: several blocks, the last one short
    return PairwiseSimilarity(*args), PairwiseSimilarity(*args, dense_limit=0, block_rows=3), similarity, embedded


def test_blocks_give_what_the_whole_matrix_gives(encoder):
    dense, blocked, similarity, embedded = _both(encoder)
    assert dense.matrix is not None and blocked.matrix is None
    full = similarity.between(embedded.vectors, embedded.vectors, embedded.texts, embedded.texts)
    n = len(embedded.texts)
    np.testing.assert_allclose(blocked.block(range(n), range(n)), full, atol=1e-6)
    np.testing.assert_allclose(blocked.best_in_document, dense.best_in_document, atol=1e-6)
    own = np.array([s.doc_id for s in embedded.sentences])
    for row in range(n):
        dense_close, dense_values = dense.close_to(row)
        blocked_close, blocked_values = blocked.close_to(row)
        assert list(blocked_close) == list(dense_close)
        others = np.flatnonzero(own != own[row])  # a group holds one sentence per document
        assert set(dense_close) == {int(i) for i in others if full[row, i] >= THRESHOLD}
        np.testing.assert_allclose(blocked_values, dense_values, atol=1e-6)


def test_each_sentence_s_own_document_is_not_its_corroboration(encoder):
    dense, _, _, embedded = _both(encoder)
    own = [dense.doc_ids.index(s.doc_id) for s in embedded.sentences]
    assert np.isnan(dense.best_in_document[np.arange(len(own)), own]).all()
    assert not np.isnan(np.delete(dense.best_in_document.ravel(),
                                  np.ravel_multi_index((np.arange(len(own)), own), dense.best_in_document.shape))).any()


def test_a_cluster_past_the_dense_limit_gets_the_same_selection(encoder, monkeypatch):
    expected = select(PACT, encoder)
    monkeypatch.setattr(pairwise_module, "DENSE_LIMIT", 2)
    monkeypatch.setattr(pairwise_module, "BLOCK_ROWS", 4)
    blocked = select(PACT, encoder)
    assert [g.representative.text for g in blocked.groups] == [g.representative.text for g in expected.groups]
    assert [[m.text for m in g.members] for g in blocked.groups] == [[m.text for m in g.members] for g in expected.groups]


def test_a_sentence_keeps_at_most_a_few_close_pairs_per_document(encoder):
    """Near-identical repeated sentences ("Item 7 is here.") are all above the threshold of each
    other: a sentence keeps its CLOSE_PER_DOCUMENT x documents closest (one document of 20,000
    such sentences held 400 million pairs, 20 GB, before)."""
    from helpers import make_cluster

    cluster = make_cluster(*[tuple(f"Item {i} of the list is here today." for i in range(12)) for _ in range(2)])
    dense, blocked, similarity, embedded = _both(encoder, cluster)
    cap = pairwise_module.CLOSE_PER_DOCUMENT * 2
    full = similarity.between(embedded.vectors, embedded.vectors, embedded.texts, embedded.texts)
    for row in range(len(embedded.texts)):
        close, values = dense.close_to(row)
        assert list(blocked.close_to(row)[0]) == list(close) and len(close) == cap
        other = full[row, 12:] if row < 12 else full[row, :12]
        assert values.min() >= np.sort(other)[-cap]  # the closest ones
