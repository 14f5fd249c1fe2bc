"""Concept-coverage selection (``retrieve.selector: concepts``): the ICSI summariser's integer program.

Gillick & Favre (2009), "A Scalable Global Model for Summarization": concepts are word bigrams
(stemmed, not both stopwords), each worth the number of documents that use it; the summary is the
set of facts that covers the most concept weight within the word budget, each concept counted
once, so redundancy costs length and earns nothing. Solved exactly with ``scipy.optimize.milp``
(HiGHS), which is deterministic for the same problem.

Only concepts at least ``min_documents`` documents use are counted (2 for clusters of under ten
documents, 3 from ten on, as ICSI did on ten-document DUC clusters), and only the
``MAX_FACTS`` most salient facts are offered, so the program stays small on clusters of 100
articles. A tiny salience term breaks ties between equally covering choices.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from summarizer.text import STOPWORDS, stem, words

#: the most salient facts the program chooses among
MAX_FACTS = 200
#: weight of salience against one document's worth of concept (ties only)
TIE_BREAK = 1e-3


def concepts(text: str) -> frozenset[tuple[str, str]]:
    """A sentence's concepts: its stemmed word bigrams, leaving out those of two stopwords."""
    tokens = [w.lower() for w in words(text)]
    return frozenset((stem(a), stem(b)) for a, b in zip(tokens, tokens[1:])
                     if not (a in STOPWORDS and b in STOPWORDS))


def choose_by_concepts(texts: list[str], documents: list[str], salience: np.ndarray, lengths: list[int],
                       tokens: list[int], word_budget: int, token_budget: int) -> list[int]:
    """Indices (into ``texts``, the facts offered) of the facts that cover the most concept weight
    within both budgets, most salient first."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    if not texts:
        return []
    offered = sorted(range(len(texts)), key=lambda k: (-salience[k], k))[:MAX_FACTS]
    frequency: dict[tuple[str, str], int] = defaultdict(int)
    for document in documents:
        for concept in concepts(document):
            frequency[concept] += 1
    min_documents = 1 if len(documents) < 2 else 2 if len(documents) < 10 else 3
    fact_concepts = [sorted(c for c in concepts(texts[k]) if frequency[c] >= min_documents) for k in offered]
    # a fact with no shared concept covers nothing: it is not offered
    offered, fact_concepts = [k for k, cs in zip(offered, fact_concepts) if cs], [cs for cs in fact_concepts if cs]
    if not offered:
        return []
    index = {c: i for i, c in enumerate(sorted({c for cs in fact_concepts for c in cs}))}
    n_facts, n_concepts = len(offered), len(index)
    # variables: one per offered fact (chosen or not), then one per concept (covered or not)
    objective = np.concatenate([-TIE_BREAK * np.asarray([salience[k] for k in offered], dtype=float),
                                -np.array([float(frequency[c]) for c in sorted(index, key=index.get)])])
    # constraints as sparse rows (row, column, value) with an upper bound each
    entries: list[tuple[int, int, float]] = []
    upper: list[float] = []

    def constraint(cells: list[tuple[int, float]], bound: float) -> None:
        entries.extend((len(upper), column, value) for column, value in cells)
        upper.append(bound)

    constraint([(j, float(lengths[k])) for j, k in enumerate(offered)], float(word_budget))
    constraint([(j, float(tokens[k])) for j, k in enumerate(offered)], float(token_budget))
    occurs: dict[int, list[int]] = defaultdict(list)
    for j, cs in enumerate(fact_concepts):
        for c in cs:
            occurs[index[c]].append(j)
            constraint([(j, 1.0), (n_facts + index[c], -1.0)], 0.0)  # a chosen fact's concepts are covered
    for i, facts in occurs.items():  # a concept counts only if a chosen fact has it
        constraint([(n_facts + i, 1.0)] + [(j, -1.0) for j in facts], 0.0)
    row, column, value = zip(*entries)
    matrix = coo_matrix((value, (row, column)), shape=(len(upper), n_facts + n_concepts)).tocsr()
    result = milp(objective, integrality=np.ones(n_facts + n_concepts),
                  bounds=Bounds(0, 1), constraints=LinearConstraint(matrix, -np.inf, np.array(upper)))
    if result.x is None:
        return []
    chosen = [offered[j] for j in range(n_facts) if result.x[j] > 0.5]
    return sorted(chosen, key=lambda k: (-salience[k], k))
