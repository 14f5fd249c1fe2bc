"""The headline that leads a summary: one outlet's title, the one the others agree with most."""
from __future__ import annotations

import re

import numpy as np

from summarizer.neutral.lexicon import Lexicon
from summarizer.text import content_stems, document_frequency, is_question, word_count
from summarizer.types import EmbeddedCluster, Headline


def choose_headline(embedded: EmbeddedCluster, colour: frozenset[str], lexicon: Lexicon) -> Headline | None:
    """The outlets' headline that the others' headlines and stories agree with most.

    Score: mean closeness to the other headlines + closeness to the cluster's mean sentence
    + 0.3 × the share of its content words that at least two documents use (NeuS val: titles
    chosen this way put ROUGE-1 up by 2.5 points and one-outlet wording down by 6, eval/README.md).
    Questions, headlines of fewer than three words and headlines carrying one outlet's loaded
    words are used only when no other headline is left. A headline with scare quotes (one to
    three words in quotation marks that nobody is said to have said: "Against Common 'Aggression'")
    is never used: its quotation marks are the outlet's comment, and without them it would state the
    outlet's word as fact. ``Headline.basis`` tells readers how the headline was chosen.
    """
    segmented, vectors, title_vectors = embedded.segmented, embedded.vectors, embedded.title_vectors
    documents = [d for d in segmented.cluster.documents if d.title.strip()]
    if not documents or len(title_vectors) != len(documents):
        return None
    centroid = vectors.mean(axis=0) if len(vectors) else np.zeros(title_vectors.shape[1])
    outlets = document_frequency(content_stems(f"{d.title} {d.text}") for d in segmented.cluster.documents)

    def score(i: int) -> tuple[bool, float]:
        title = documents[i].title.strip()
        others = [j for j in range(len(documents)) if j != i]
        agreement = float(np.mean([title_vectors[i] @ title_vectors[j] for j in others])) if others else 0.0
        stems = content_stems(title)
        shared = float(np.mean([outlets[s] >= 2 for s in stems])) if stems else 0.0
        usable = (word_count(title) >= 3 and not is_question(title)
                  and not lexicon.loaded_count(title, colour))
        return usable, agreement + float(title_vectors[i] @ centroid) + 0.3 * shared

    allowed = [i for i in range(len(documents)) if not scare_quotes(documents[i].title)]
    if not allowed:
        return None
    best = max(allowed, key=lambda i: (score(i), -i))
    title = documents[best].title.strip()
    while title.endswith(".."):  # NeuS titles carry a period appended to their own ("Memo..")
        title = title[:-1]
    name = documents[best].name
    basis = (f"headline of {name}, the only outlet with one" if len(documents) == 1 else
             f"headline of {name}, the only one of the outlets' {len(documents)} without scare quotes"
             if len(allowed) == 1 else f"headline of {name}, the closest to the other outlets' headlines and stories")
    return Headline(text=title, doc_id=documents[best].doc_id, basis=basis)


# One to three words in quotation marks (straight, after cleaning), not after a colon or a verb of saying.
_QUOTED = re.compile(r"""(?<![\w])(['"])(\w[\w'-]*(?: [\w'-]+){0,2})\1(?![\w])""")
_SAYING = re.compile(r"\b(?:says?|said|tells?|told|calls?|called|asks?|warns?|vows?)\b|:", re.IGNORECASE)


def scare_quotes(title: str) -> bool:
    """Quotation marks around a short phrase nobody in the headline is said to have said."""
    return any(not _SAYING.search(title[:match.start()]) for match in _QUOTED.finditer(title))
