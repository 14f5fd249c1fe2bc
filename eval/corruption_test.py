"""What the consistency checker catches: synthetic corruptions of NeuS val source sentences (issue #21).

For each cluster, up to ``--per-cluster`` source sentences (8–40 words, not opening with a word that
points back, quotation marks balanced) are taken in a seeded random order; each is corrupted by every rule of
``summarizer.evaluation.corruptions`` that applies, and the unaltered sentence is kept too. Every
version is scored as a one-sentence summary against the cluster by the checker
(``evaluation.consistency``). Sentences cut out of a longer quotation (an unbalanced quote
mark) are not taken: the guard refuses them as they are. Reported per kind: how many the checker's verdict calls unsupported
(caught; for the unaltered sentences, false alarms) and the ROC AUC of its score between the
unaltered sentences and that kind.

    python eval/corruption_test.py --data ../shared/data/neus/val.jsonl --output eval/results/corruptions-neus-val.json \
        --rows /tmp/corruption-rows.json
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from summarizer.config import load_config
from summarizer.evaluation.corruptions import KINDS, corrupt, lower_case_words, names_in, numbers_in
from summarizer.evaluation.ranking import roc_auc
from summarizer.ingest import iter_items
from summarizer.registries import CONSISTENCY
from summarizer.segment import segment_cluster
from summarizer.segment.quotes import has_open_quotation
from summarizer.text import content_stems, leans_on_previous, word_count


def test_set(path: str, config, per_cluster: int, seed: int, limit: int | None) -> list[dict]:
    """Every corruption (and unaltered sentence) of the clusters in ``path``, with its cluster."""
    rng = random.Random(seed)
    rows = []
    for number, item in enumerate(iter_items(path, config.ingest)):
        if limit is not None and number >= limit:
            break
        if item.cluster is None:
            continue
        cluster = item.cluster
        sentences = segment_cluster(cluster, config.segment).sentences
        text = " ".join(d.text for d in cluster.documents)
        common = lower_case_words(text)
        names, numbers = names_in(text, common), numbers_in(text)
        # whole claims: no sentence pointing back, none cut out of a longer quotation
        usable = [s for s in sentences if 8 <= word_count(s.text) <= 40 and not leans_on_previous(s.text)
                  and not has_open_quotation(s.text)]
        rng.shuffle(usable)
        for sentence in usable[:per_cluster]:
            stems = content_stems(sentence.text)
            others = [s for s in sentences if s.doc_id != sentence.doc_id] or list(sentences)
            unrelated = min(others, key=lambda s: (len(stems & content_stems(s.text)), s.doc_id, s.index))
            for version in corrupt(sentence.text, names, numbers, unrelated.text, rng, common):
                rows.append({"cluster": cluster, "id": item.cluster_id, "kind": version.kind, "text": version.text,
                             "source": version.source})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="NeuS-format JSONL (shared/data/neus/val.jsonl)")
    parser.add_argument("--per-cluster", type=int, default=2, help="source sentences corrupted per cluster")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--output", type=Path, default=None, help="results as JSON (the table, no sentences)")
    parser.add_argument("--rows", type=Path, default=None,
                        help="every scored sentence as JSON, for reading (holds the data's text: keep it out of git)")
    args = parser.parse_args(argv)
    config = load_config(None, args.set)
    rows = test_set(args.data, config, args.per_cluster, args.seed, args.limit)
    checker = CONSISTENCY.build(config.evaluation.consistency, config)
    started = time.perf_counter()
    for row in rows:
        result = checker.score(row["text"], row.pop("cluster"))
        row["supported"] = bool(result.sentences) and all(s.supported for s in result.sentences)
        row["score"] = result.summary_score
    seconds = time.perf_counter() - started
    originals = [r for r in rows if r["kind"] == "original"]
    table = {}
    for kind in ("original",) + KINDS:
        chosen = [r for r in rows if r["kind"] == kind]
        if not chosen:
            continue
        flagged = sum(not r["supported"] for r in chosen) / len(chosen)
        entry = {"n": len(chosen), "flagged": round(flagged, 4)}
        if kind != "original":
            scores = np.array([r["score"] for r in originals + chosen])
            labels = np.array([1] * len(originals) + [0] * len(chosen))
            entry["auc"] = round(roc_auc(scores, labels), 4)
        table[kind] = entry
    altered = [r for r in rows if r["kind"] != "original"]
    summary = {"data": args.data, "per_cluster": args.per_cluster, "seed": args.seed, "checker": config.evaluation.consistency,
               "sentences_scored": len(rows), "seconds": round(seconds, 1),
               "caught_all_kinds": round(sum(not r["supported"] for r in altered) / max(1, len(altered)), 4),
               "false_alarms": table["original"]["flagged"], "by_kind": table}
    print(f"{len(rows)} sentences scored in {seconds:.1f} s ({len(rows) / seconds:.1f}/s)")
    print("| kind | n | flagged unsupported | AUC (score, against the unaltered) |")
    print("| --- | ---: | ---: | ---: |")
    for kind, entry in table.items():
        print(f"| {kind} | {entry['n']} | {100 * entry['flagged']:.1f}% | {entry.get('auc', '')} |")
    print(f"all corruptions caught: {100 * summary['caught_all_kinds']:.1f}%; false alarms: "
          f"{100 * summary['false_alarms']:.1f}%")
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.rows:
        examples = [{k: r[k] for k in ("id", "kind", "text", "source", "supported", "score")} for r in rows]
        args.rows.write_text(json.dumps(examples, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
