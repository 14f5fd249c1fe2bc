"""Sentence × sentence similarity as retrieval reads it, in memory that grows with the input.

Retrieval asks three things of it: each sentence's best match in each document (corroboration),
the sentences at or above the grouping threshold beside a seed (grouping), and the similarity of
given pairs (a fact's members, MMR's redundancy). Up to ``DENSE_LIMIT`` sentences (every NeuS
cluster, the seeds, 100 full articles) the whole matrix is held, as before. Beyond, it is computed
``BLOCK_ROWS`` rows at a time: a block gives its rows' best match per document and the pairs
grouping can use (at or above the grouping threshold, other documents, at most
``CLOSE_PER_DOCUMENT`` × documents per row: kept, sparse), and is dropped; pairs asked later
are computed on demand. A 1,000-article cluster (about 32,000 sentences) then holds blocks of a few hundred MB
instead of several 4 GB n × n matrices at once. Every pair is still looked at once (n² products,
in BLAS blocks); what no longer grows with n² is memory.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summarizer.embed.similarity import Similarity, StemIndicator, blend, overlap_cosine, set_cosine
from summarizer.segment import document_blocks
from summarizer.text import content_stems
from summarizer.types import Sentence

#: most sentences whose full similarity matrix is held (4,096² float32 is 64 MB)
DENSE_LIMIT = 4096
#: rows per block beyond it
BLOCK_ROWS = 1024
#: pairs kept per sentence beyond DENSE_LIMIT: this many times the documents (grouping takes one a document)
CLOSE_PER_DOCUMENT = 4
#: pairs up to which a block's lexical overlap is counted on the stem sets directly
SMALL_BLOCK = 256


class PairwiseSimilarity:
    """Blended similarity of a cluster's sentences (``Similarity.between`` of every pair)."""

    def __init__(self, sentences: Sequence[Sentence], vectors: np.ndarray, texts: list[str],
                 similarity: Similarity, threshold: float, dense_limit: int | None = None,
                 block_rows: int | None = None) -> None:
        dense_limit = DENSE_LIMIT if dense_limit is None else dense_limit
        block_rows = BLOCK_ROWS if block_rows is None else block_rows
        self.vectors, self.similarity = vectors, similarity
        self.threshold = threshold
        blocks = document_blocks(sentences)
        self.doc_ids = list(dict.fromkeys(d for d, _, _ in blocks))
        column = {d: k for k, d in enumerate(self.doc_ids)}
        self._block_columns = [column[d] for d, _, _ in blocks]
        self._block_starts = [first for _, first, _ in blocks]
        n = len(texts)
        #: n × documents: each sentence's best match in each document (NaN for its own document)
        self.best_in_document = np.full((n, len(self.doc_ids)), -1.0)
        self._own = np.array([column[s.doc_id] for s in sentences], dtype=int)
        self.matrix: np.ndarray | None = None
        if n <= dense_limit:
            self.matrix = similarity.between(vectors, vectors, texts, texts)
            self._reduce(0, self.matrix)
            return
        from scipy.sparse import csr_matrix

        # Stems indexed once for every block (the per-call vocabulary of lexical_similarity would
        # be rebuilt n / BLOCK_ROWS times).
        self._stem_sets = [content_stems(t) for t in texts]
        self._stems = StemIndicator(self._stem_sets)
        rows_found, columns_found, values_found = [], [], []
        for start in range(0, n, block_rows):
            end = min(n, start + block_rows)
            rows = self._blended(slice(start, end), slice(None))
            self._reduce(start, rows)
            r, c = np.nonzero(self._kept(start, rows))
            rows_found.append(r + start)
            columns_found.append(c)
            values_found.append(rows[r, c])
        self._close = csr_matrix((np.concatenate(values_found), (np.concatenate(rows_found),
                                                                 np.concatenate(columns_found))), shape=(n, n))

    def _kept(self, start: int, rows: np.ndarray) -> np.ndarray:
        """Which of a block's pairs grouping can use: at or above the threshold, in another
        document (a group holds one sentence per document), and per row at most
        ``CLOSE_PER_DOCUMENT`` × documents, the closest. Without the last two, one document of
        20,000 near-identical short sentences ("Item 17 is here.") kept 400 million pairs (20 GB)."""
        close = (rows >= self.threshold) & (self._own[None, :] != self._own[start:start + len(rows), None])
        cap = CLOSE_PER_DOCUMENT * len(self.doc_ids)
        crowded = np.flatnonzero(close.sum(axis=1) > cap)
        if crowded.size:
            values = np.where(close[crowded], rows[crowded], -np.inf)
            closest = np.argpartition(-values, cap - 1, axis=1)[:, :cap]
            limited = np.zeros((len(crowded), close.shape[1]), dtype=bool)
            np.put_along_axis(limited, closest, True, axis=1)
            close[crowded] = limited
        return close

    def _reduce(self, start: int, rows: np.ndarray) -> None:
        if not len(rows):
            return
        end = start + len(rows)
        self.best_in_document[start:end][:, self._block_columns] = np.maximum.reduceat(
            rows, self._block_starts, axis=1)
        self.best_in_document[np.arange(start, end), self._own[start:end]] = np.nan

    def block(self, rows: Sequence[int], columns: Sequence[int]) -> np.ndarray:
        """Similarity of each of ``rows`` to each of ``columns`` (sentence indices)."""
        rows, columns = list(rows), list(columns)
        if self.matrix is not None:
            return self.matrix[np.ix_(rows, columns)]
        return self._blended(rows, columns)

    def _blended(self, rows, columns) -> np.ndarray:
        """``Similarity.between`` for the given rows and columns, from the stems indexed once."""
        cosine = self.vectors[rows] @ self.vectors[columns].T
        weight = self.similarity.lexical_weight
        if not weight:
            return cosine
        if isinstance(rows, list) and len(rows) * len(columns) <= SMALL_BLOCK:
            lexical = self._small_set_cosine(rows, columns)  # a fact's few members: sets beat sparse set-up
        else:
            lexical = set_cosine(self._stems, rows, columns)
        return blend(cosine, lexical, weight)

    def _small_set_cosine(self, rows: list[int], columns: list[int]) -> np.ndarray:
        sets, sizes = self._stem_sets, self._stems.sizes
        overlap = np.array([[len(sets[i] & sets[j]) for j in columns] for i in rows], dtype=np.float32)
        return overlap_cosine(overlap, sizes[rows], sizes[columns])

    def close_to(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices (ascending) and similarities of the sentences grouping may join to ``row``: of
        other documents, at or above ``threshold``, at most ``CLOSE_PER_DOCUMENT`` × documents (``_kept``)."""
        if self.matrix is not None:
            values = self.matrix[row]
            indices = np.flatnonzero(self._kept(row, self.matrix[row:row + 1])[0])
            return indices, values[indices]
        start, end = self._close.indptr[row], self._close.indptr[row + 1]
        indices = self._close.indices[start:end]
        order = np.argsort(indices, kind="stable")
        return indices[order], self._close.data[start:end][order]
