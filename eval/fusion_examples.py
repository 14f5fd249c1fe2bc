"""Fused sentences beside the source sentences they came from, failures included (issue #14).

Runs the pipeline (default configuration unless --set says otherwise) over a NeuS-format file
and writes a Markdown file a reader can judge: every fused sentence (the JSON ``fused`` field:
at least 20% new bigrams against its closest source sentence, citing two or more documents),
then model sentences that passed the guard but count as no fusion, then candidates the guard
or the checks refused, each with the fact's source sentences and the reason.

    python eval/fusion_examples.py --data ../shared/data/neus/val.jsonl --out eval/results/fusion-examples.md
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from summarizer.config import load_config
from summarizer.evaluation.fragments import bigram_sets, is_fused
from summarizer.ingest import read_clusters
from summarizer.pipeline import Pipeline
from summarizer.types import Origin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--per-kind", type=int, default=30, help="most examples of each kind")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    config = load_config(None, args.set)
    clusters = read_clusters(args.data, config.ingest, args.limit)
    pipeline = Pipeline(config)
    kinds: dict[str, list[str]] = {"fused": [], "model text, not counted as fused": [], "refused": []}
    counts = {"sentences": 0}
    for start in range(0, len(clusters), 16):
        for summary in pipeline.summarize_batch(clusters[start:start + 16]).summaries:
            sets = bigram_sets(summary.selection.embedded.texts)
            for group, sentence in zip(summary.selection.groups, summary.sentences):
                counts["sentences"] += 1
                sources = "\n".join(f"  - `{m.doc_id}`: {m.text}" for m in group.members)
                if sentence.origin is not Origin.EXTRACTED:
                    kind = "fused" if is_fused(sentence.text, sets, sentence.cited_docs) \
                        else "model text, not counted as fused"
                    kinds[kind].append(f"**{summary.cluster_id}** ({sentence.origin.value}, cites "
                                       f"{', '.join(sentence.cited_docs)}): {sentence.text}\n{sources}")
                elif sentence.rejected_text:
                    kinds["refused"].append(f"**{summary.cluster_id}**: ~~{sentence.rejected_text}~~ "
                                            f"({sentence.check.reason})\n{sources}")
    lines = [f"# Fusion examples: {args.data}, {len(clusters)} clusters, {counts['sentences']} summary sentences",
             "", f"Command: `python eval/fusion_examples.py {' '.join(argv if argv is not None else sys.argv[1:])}`",
             f"Backend: {config.fuse.backend}. Counts: "
             + ", ".join(f"{kind} {len(items)}" for kind, items in kinds.items()), ""]
    for kind, items in kinds.items():
        lines += [f"## {kind} ({len(items)}; first {min(len(items), args.per_kind)} shown)", ""]
        lines += [f"{i + 1}. {item}\n" for i, item in enumerate(items[:args.per_kind])]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[:4]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
