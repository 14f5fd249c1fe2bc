"""Throughput of the pipeline against a naive Hugging Face baseline, side by side in one run.

For each model: clusters/s and generated tokens/s for retrieval alone, fusion alone and end to
end (``Pipeline.summarize_many`` in batches), and for the baseline: the same model run with
Hugging Face defaults on the naively concatenated documents (``pipeline("summarization")`` for
seq2seq, ``generate`` on a plain prompt for causal models) with the same generation length.
Output lengths are fixed (min_new_tokens = max_new_tokens) so that runs compare.

Models: ``default`` (the embedded SmolLM2-135M) and ``bart-base-random`` (a BART-base-shaped
seq2seq with random weights, built from a config: no checkpoint can be downloaded here).

    python eval/bench_throughput.py --data ../shared/data/neus/val.jsonl --clusters 32 --batch-size 8
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.align.stage import align_cluster  # noqa: E402
from summarizer.config import load_config  # noqa: E402
from summarizer.embed.encoder import bundled_model_path, embed_clusters, get_encoder  # noqa: E402
from summarizer.fuse.requests import draft_unit, fusion_requests  # noqa: E402
from summarizer.ingest import read_clusters  # noqa: E402
from summarizer.pipeline import Pipeline  # noqa: E402
from summarizer.retrieve import retrieve  # noqa: E402
from summarizer.segment import segment_cluster  # noqa: E402


def random_bart(directory: Path, device: str) -> Path:
    """BART-base shape (6+6 layers, d_model 768) with random weights and the MiniLM tokenizer."""
    from transformers import AutoTokenizer, BartConfig, BartForConditionalGeneration

    tokenizer = AutoTokenizer.from_pretrained(bundled_model_path())
    tokenizer.model_input_names = ["input_ids", "attention_mask"]  # BART takes no token_type_ids
    torch.manual_seed(0)
    config = BartConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id,
                        bos_token_id=tokenizer.cls_token_id, eos_token_id=tokenizer.sep_token_id,
                        decoder_start_token_id=tokenizer.sep_token_id, forced_bos_token_id=None,
                        forced_eos_token_id=None, max_position_embeddings=1024)
    BartForConditionalGeneration(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def bench_model(name: str, overrides: list[str], clusters, batch_size: int, new_tokens: int) -> list[dict]:
    config = load_config(None, overrides + [f"fuse.batch_size={batch_size}", f"fuse.max_new_tokens={new_tokens}",
                                            f"fuse.summary_max_new_tokens={new_tokens}",
                                            f"fuse.min_new_tokens={new_tokens}"])
    pipeline = Pipeline(config)
    generator = pipeline.generator
    encoder = pipeline.encoder
    rows = []

    def retrieval_only():
        encoder.clear_cache()  # measure embedding work, not remembered vectors
        selections = []
        for start in range(0, len(clusters), batch_size):
            segmented = [segment_cluster(c, config.segment) for c in clusters[start:start + batch_size]]
            selections += [retrieve(e, align_cluster(e, config.align), config.retrieve, pipeline.similarity,
                                    pipeline.lexicon, generator.count_tokens) for e in embed_clusters(segmented, encoder)]
        return selections

    selections, seconds = timed(retrieval_only)
    rows.append({"model": name, "stage": "retrieval", "seconds": seconds, "tokens": 0})
    unit = draft_unit(generator)
    requests = [r for s in selections for r in fusion_requests(s, unit, config.fuse)]
    before = generator.generated_tokens
    _, seconds = timed(lambda: generator.generate(requests))
    rows.append({"model": name, "stage": "fusion", "seconds": seconds, "tokens": generator.generated_tokens - before,
                 "requests": len(requests)})
    encoder.clear_cache()
    batches, seconds = timed(lambda: [pipeline.summarize_batch(clusters[i:i + batch_size])
                                      for i in range(0, len(clusters), batch_size)])
    rows.append({"model": name, "stage": "end to end", "seconds": seconds,
                 "tokens": sum(b.stats.counters["fuse.generated_tokens"] for b in batches)})

    # Baseline: the same weights, ``generate`` with Hugging Face defaults on all documents
    # concatenated (transformers 5 removed pipeline("summarization"); this is what it ran).
    texts = [" ".join(d.text for d in c.documents) for c in clusters]
    model, tokenizer = generator.model, generator.tokenizer
    limit = min(tokenizer.model_max_length, getattr(model.config, "max_position_embeddings", 1024), 1024)

    def naive():
        produced = 0
        for start in range(0, len(texts), batch_size):
            batch = texts[start:start + batch_size]
            if not model.config.is_encoder_decoder:
                batch = [f"Summarize these news articles:\n{t}\nSummary:" for t in batch]
            inputs = tokenizer(batch, return_tensors="pt", padding=True, truncation=True, max_length=limit,
                               return_token_type_ids=False).to(model.device)
            with torch.inference_mode():
                output = model.generate(**inputs, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                                        pad_token_id=tokenizer.pad_token_id)
            new = output.shape[1] - (0 if model.config.is_encoder_decoder else inputs["input_ids"].shape[1])
            produced += new * output.shape[0]
        return produced

    tokens, seconds = timed(naive)
    rows.append({"model": name, "stage": "baseline (generate, HF defaults, concatenated)", "seconds": seconds,
                 "tokens": tokens})
    for row in rows:
        row["clusters_per_second"] = len(clusters) / row["seconds"]
        row["tokens_per_second"] = row["tokens"] / row["seconds"] if row["tokens"] else None
    baseline = rows[-1]["clusters_per_second"]
    for row in rows:
        row["end_to_end_vs_baseline"] = round(row["clusters_per_second"] / baseline, 2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "neus" / "val.jsonl"))
    parser.add_argument("--clusters", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--new-tokens", type=int, default=60)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--output", default=str(ROOT / "eval" / "results" / "throughput-cpu.json"))
    args = parser.parse_args()

    clusters = read_clusters(args.data, load_config().ingest, args.clusters)
    get_encoder(load_config().embedding)  # loaded once, outside the timings
    rows = bench_model("default (SmolLM2-135M)", [f"fuse.device={args.device}"], clusters, args.batch_size,
                       args.new_tokens)
    with tempfile.TemporaryDirectory() as folder:
        bart = random_bart(Path(folder), args.device)
        rows += bench_model("bart-base-random", ["fuse.backend=seq2seq", f"fuse.model={bart}",
                                                 f"fuse.device={args.device}"], clusters, args.batch_size,
                            args.new_tokens)
    result = {"date": dt.date.today().isoformat(), "data": args.data, "clusters": len(clusters),
              "batch_size": args.batch_size, "new_tokens": args.new_tokens, "device": args.device,
              "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "torch": torch.__version__,
                          "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else None},
              "command": " ".join([Path(sys.executable).name, *sys.argv]), "rows": rows}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    print("| model | stage | seconds | clusters/s | generated tokens/s | × baseline (clusters/s) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        tokens = f"{row['tokens_per_second']:.1f}" if row["tokens_per_second"] else "–"
        print(f"| {row['model']} | {row['stage']} | {row['seconds']:.1f} | {row['clusters_per_second']:.2f} | "
              f"{tokens} | {row['end_to_end_vs_baseline']:.2f} |")


if __name__ == "__main__":
    main()
