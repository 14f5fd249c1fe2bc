"""Full-length news articles with human references, for content selection on long inputs (issue #15).

Our development clusters with references (NeuS) are three 60-word excerpts; the clusters users
bring are full articles. FRANK valid carries 75 CNN/DailyMail articles (about 30 sentences each)
with their human highlights and 74 BBC articles with their one-sentence XSum summary: the only
full-length news with human references we have. This writes one single-document cluster per
article in the NeuS format the harness reads, optionally cut to each article's first ``--sentences``
sentences (segmented as the pipeline does), so a scorer can be compared at several document lengths:

    python eval/frank_articles.py --data ../shared/data/frank/valid.jsonl --dataset cnndm --output /tmp/cnndm.jsonl
    python eval/frank_articles.py --data ../shared/data/frank/valid.jsonl --dataset cnndm --sentences 6 --output /tmp/cnndm-6.jsonl
    python -m summarizer eval --data /tmp/cnndm.jsonl --systems pipeline --words 100 --set fuse.backend=extractive

Single documents: cross-outlet corroboration says nothing here, so this measures what the
scorers make of position, centrality and length on long articles, not what they make of outlets.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from summarizer.config import RunConfig
from summarizer.evaluation.frank import DATASETS, load_frank
from summarizer.segment import segment_cluster
from summarizer.types import Cluster, Document


def article_records(data: str, dataset: str, sentences: int | None = None) -> list[dict]:
    """One NeuS-format record per distinct article of ``dataset`` in FRANK ``data`` (file order)."""
    segment = RunConfig().segment
    records, seen = [], set()
    for example in load_frank(data):
        if example.dataset != dataset or example.article_id in seen or not example.reference:
            continue
        seen.add(example.article_id)
        text = example.article
        if sentences is not None:
            cluster = Cluster(cluster_id=example.article_id, documents=(Document(doc_id="article", text=text),))
            text = " ".join(s.text for s in segment_cluster(cluster, segment).sentences[:sentences])
        records.append({"id": f"{dataset}-{example.article_id[:12]}", "documents": [{"title": "", "text": text}],
                        "reference": {"title": "", "text": example.reference}})
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="FRANK JSONL (../shared/data/frank/valid.jsonl)")
    parser.add_argument("--dataset", choices=DATASETS, default="cnndm")
    parser.add_argument("--sentences", type=int, default=None, help="keep each article's first N sentences")
    parser.add_argument("--output", type=Path, required=True, help="NeuS-format JSONL to write")
    args = parser.parse_args(argv)
    if args.sentences is not None and args.sentences < 1:
        parser.error("--sentences must be at least 1")
    records = article_records(args.data, args.dataset, args.sentences)
    args.output.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    print(f"{len(records)} articles → {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
