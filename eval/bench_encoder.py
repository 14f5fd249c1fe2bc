"""Sentence-encoder time: the pipeline's batch-independent encoding beside free batching, one run.

Free batching (the encoder before 2026-11-30): SDPA attention, texts sorted longest first, 64 per
pass, padded to the longest of each pass: fast, but a text's vector changed in its last bits with
its batch-mates, so scores depended on --batch-size. The pipeline's encoder pads each text to a
32-token bucket, runs passes of ``embedding.batch_size`` rows and eager attention.

    python eval/bench_encoder.py --data ../shared/data/neus/val.jsonl --clusters 50 --runs 5
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.config import load_config  # noqa: E402
from summarizer.embed.encoder import SentenceEncoder  # noqa: E402
from summarizer.ingest import read_clusters  # noqa: E402
from summarizer.segment import segment_cluster  # noqa: E402


def free_batching(encoder: SentenceEncoder, model, texts: list[str]) -> np.ndarray:
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    for start in range(0, len(order), 64):
        rows = order[start:start + 64]
        encoded = encoder.tokenizer([texts[i] for i in rows], padding=True, truncation=True, max_length=256,
                                    return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
        out[rows] = pooled.numpy()
    return out


def main() -> None:
    from transformers import AutoModel

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "neus" / "val.jsonl"))
    parser.add_argument("--clusters", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=str(ROOT / "eval" / "results" / "encoder-batching.json"))
    args = parser.parse_args()
    config = load_config()
    clusters = read_clusters(args.data, config.ingest, args.clusters)
    per_cluster = [[s.text for s in segment_cluster(c, config.segment).sentences] for c in clusters]
    everything = [t for texts in per_cluster for t in texts]
    encoder = SentenceEncoder(config.embedding)
    sdpa = AutoModel.from_pretrained(encoder.path).eval()
    timings: dict[str, list[float]] = {}
    for _ in range(args.runs):  # alternated, so both see the same machine load
        for name, run in (("free batching, all sentences at once", lambda: free_batching(encoder, sdpa, everything)),
                          ("batch-independent, all sentences at once", lambda: encoder.encode(everything)),
                          ("free batching, one cluster per call",
                           lambda: [free_batching(encoder, sdpa, t) for t in per_cluster]),
                          ("batch-independent, one cluster per call", lambda: [encoder.encode(t) for t in per_cluster])):
            encoder.clear_cache()
            started = time.perf_counter()
            run()
            timings.setdefault(name, []).append(time.perf_counter() - started)
    rows = [{"variant": name, "median_seconds": round(statistics.median(t), 3), "runs": [round(x, 3) for x in t]}
            for name, t in timings.items()]
    result = {"date": dt.date.today().isoformat(), "data": args.data, "clusters": len(clusters),
              "sentences": len(everything), "machine": {"platform": platform.platform(), "torch": torch.__version__},
              "command": " ".join([Path(sys.executable).name, *sys.argv]), "rows": rows}
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    print(f"{len(everything)} sentences of {len(clusters)} clusters, median of {args.runs} alternated runs")
    print("| variant | seconds |\n| --- | --- |")
    for row in rows:
        print(f"| {row['variant']} | {row['median_seconds']:.2f} |")


if __name__ == "__main__":
    main()
