"""Word-graph candidate search: best-first (``WordGraph.candidates``) beside Yen's algorithm.

Collects the fact groups the wordgraph backend fuses (the sentences of each fact) on the given
inputs, then enumerates candidates for each group twice, with the same limits the backend uses:
with the shipped best-first search, and with the search it replaced (networkx
``shortest_simple_paths``, Yen's algorithm, then the same filters). Prints seconds per input and
whether every candidate Yen's search finds is among the shipped search's (it should be: both
enumerate paths cheapest first; the shipped one drops, where they start, the paths no candidate
can come from, so its 3,000 paths reach further).

    python eval/bench_wordgraph.py --input ../shared/data/seeds --input ../shared/data/neus/val.jsonl --limit 60
"""
from __future__ import annotations

import argparse
import time

import networkx as nx

from summarizer.config import load_config
from summarizer.fuse import choose, wordgraph
from summarizer.ingest import read_clusters
from summarizer.pipeline import Pipeline
from summarizer.text import word_count


def yen_candidates(graph: wordgraph.WordGraph, limit: int, max_paths: int, min_words: int,
                   max_words: int) -> list[str]:
    """The enumeration ``WordGraph.candidates`` used before the best-first search."""
    originals = {" ".join(t.lower() for t in tokens) for tokens in graph.sentences}
    found: list[str] = []
    try:
        for count, path in enumerate(nx.shortest_simple_paths(graph.graph, wordgraph.START, wordgraph.END,
                                                              weight="weight")):
            if count >= max_paths or len(found) >= limit:
                break
            tokens = [graph.nodes[n].form(first=i == 0) for i, n in enumerate(path[1:-1])]
            if wordgraph._acceptable(tokens, originals, min_words, max_words):
                found.append(wordgraph.detokenize(tokens))
    except nx.NetworkXNoPath:
        pass
    return found


class _Recording(wordgraph.WordGraph):
    groups: list[list[str]] = []

    def __init__(self, sentences) -> None:
        _Recording.groups.append(list(sentences))
        super().__init__(sentences)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", action="append", required=True, help="a folder or file, as `run` reads it")
    parser.add_argument("--limit", type=int, default=None, help="most clusters per input")
    args = parser.parse_args(argv)
    config = load_config(None, [])
    pipeline = Pipeline(config)
    choose.WordGraph = _Recording  # the backend builds its graphs through this name
    paths = config.fuse.graph_paths
    for source in args.input:
        _Recording.groups = []
        for cluster in read_clusters(source, config.ingest, args.limit):
            pipeline.summarize(cluster)
        seconds = {"best-first": 0.0, "yen": 0.0}
        contained = 0
        counts = {"best-first": 0, "yen": 0}
        for sentences in _Recording.groups:
            longest = max(word_count(s) for s in sentences)
            limits = dict(limit=paths, max_paths=paths, min_words=choose.MIN_WORDS, max_words=longest + longest // 4)
            graph = wordgraph.WordGraph(sentences)
            start = time.perf_counter()
            shipped = graph.candidates(**limits)
            seconds["best-first"] += time.perf_counter() - start
            start = time.perf_counter()
            reference = yen_candidates(graph, **limits)
            seconds["yen"] += time.perf_counter() - start
            contained += set(reference) <= set(shipped)
            counts["best-first"] += len(shipped)
            counts["yen"] += len(reference)
        print(f"{source}: {len(_Recording.groups)} fact groups; seconds best-first {seconds['best-first']:.2f}, "
              f"Yen {seconds['yen']:.2f}; candidates {counts['best-first']} / {counts['yen']}; "
              f"Yen's candidates all found by best-first in {contained} of {len(_Recording.groups)} groups")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
