"""Training pairs for a fine-tuned fuser (issue #14, lever 3): reference sentences our guard
supports, each beside the source sentences it fuses.

For every reference sentence of a NeuS-format cluster, the guard (unchanged, as the pipeline uses
it) finds its supporting source sentences. A pair is kept only where a fuser trained on it would
learn faithful fusion, not invention: the guard supports the sentence, its support holds sentences
of two or more outlets (the first of each outlet, at most three, as the pipeline offers a fact),
the sentence is fusion by the JSON ``fused`` definition, and it keeps every content word of the
first source sentence that another of them also has (the pipeline's rule for a fused sentence).
Each stage's count is printed, so the yield can be judged before anything is trained:

    python scripts/build_fusion_pairs.py --data ../shared/data/neus/train.jsonl --limit 300 --output /tmp/pairs.jsonl

Output lines: ``{"id", "sources": [...], "target"}``. The script reads train only.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from summarizer.config import load_config
from summarizer.embed.encoder import embed_clusters, get_encoder
from summarizer.evaluation.fragments import bigram_sets, is_fused
from summarizer.ingest import read_clusters
from summarizer.segment import segment_cluster
from summarizer.embed.similarity import Similarity
from summarizer.text import content_stems
from summarizer.verify import FaithfulnessGuard, SourceIndex
from summarizer.verify.policy import corroborated_stems, draft_sentences

#: most outlets' sentences offered for one fact, as the pipeline's fusion prompts hold
MAX_SOURCES = 3
STAGES = ("reference sentences", "supported by the guard", "support from two or more outlets", "fused",
          "keeps the corroborated content")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="NeuS-format JSONL with a reference per cluster")
    parser.add_argument("--output", type=Path, required=True, help="pairs as JSONL")
    parser.add_argument("--limit", type=int, default=None, help="first N clusters only")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    config = load_config(None, args.set)
    encoder = get_encoder(config.embedding)
    guard = FaithfulnessGuard(Similarity(encoder, config.retrieve.lexical_weight), config.guard)
    counts = dict.fromkeys(STAGES, 0)
    started = time.perf_counter()
    with args.output.open("w", encoding="utf-8") as out:
        for cluster in read_clusters(args.data, config.ingest, args.limit):
            segmented = segment_cluster(cluster, config.segment)
            index = SourceIndex.of(embed_clusters([segmented], encoder)[0])
            all_bigrams = bigram_sets([s.text for s in segmented.sentences])
            references = [s for text in cluster.references for s in draft_sentences(text, config.segment.language)]
            counts["reference sentences"] += len(references)
            for reference, verdict in zip(references, guard.check(references, index)):
                if not verdict.check.supported:
                    continue
                counts["supported by the guard"] += 1
                first_per_outlet = {}
                for sentence in verdict.support:
                    first_per_outlet.setdefault(sentence.doc_id, sentence)
                if len(first_per_outlet) < 2:
                    continue
                counts["support from two or more outlets"] += 1
                if not is_fused(reference, all_bigrams, tuple(first_per_outlet)):
                    continue
                counts["fused"] += 1
                sources = [s.text for s in first_per_outlet.values()][:MAX_SOURCES]
                if not corroborated_stems(sources[0], sources[1:]) <= content_stems(reference):
                    continue
                counts["keeps the corroborated content"] += 1
                out.write(json.dumps({"id": cluster.cluster_id, "sources": sources, "target": reference},
                                     ensure_ascii=False) + "\n")
    for stage in STAGES:
        print(f"{counts[stage]:6d}  {stage}")
    print(f"{time.perf_counter() - started:.0f} s; pairs in {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
