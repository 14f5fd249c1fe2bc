"""Where one warm `run` spends its time: imports, model loads, reading, each stage (issue #19).

Times each step in one process with ``time.perf_counter``, in the order a `run` does them:
torch, transformers with the model classes, the package, the sentence encoder, the fusion backend
(for the default, SmolLM2 from its cached safetensors and the spaCy parser), reading the input,
then the pipeline's own stage timings.

    python eval/profile_startup.py --input ../shared/data/seeds
"""
from __future__ import annotations

import argparse
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="a folder or file, as `run` takes it (its first cluster)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    marks = [("start", time.perf_counter())]
    import torch  # noqa: F401  (timed on purpose)
    marks.append(("import torch", time.perf_counter()))
    from transformers import BertModel, LlamaForCausalLM  # noqa: F401
    marks.append(("import transformers and the BERT and Llama model classes", time.perf_counter()))
    from summarizer.config import load_config
    from summarizer.embed.encoder import get_encoder
    from summarizer.ingest import read_clusters
    from summarizer.pipeline import Pipeline
    from summarizer.registries import GENERATORS
    marks.append(("the package's own modules", time.perf_counter()))
    config = load_config(None, args.set)
    get_encoder(config.embedding)
    marks.append(("sentence encoder load", time.perf_counter()))
    generator = GENERATORS.build(config.fuse.backend, config.fuse)
    marks.append((f"fusion backend {config.fuse.backend!r} load", time.perf_counter()))
    pipeline = Pipeline(config, generator=generator)
    marks.append(("the rest of the pipeline", time.perf_counter()))
    cluster = read_clusters(args.input, config.ingest, limit=1)[0]
    marks.append(("read the input", time.perf_counter()))
    summary = pipeline.summarize(cluster)
    marks.append(("the stages", time.perf_counter()))
    for (_, before), (name, after) in zip(marks, marks[1:]):
        print(f"{after - before:7.2f} s  {name}")
    print(f"{marks[-1][1] - marks[0][1]:7.2f} s  total")
    print("stages: " + ", ".join(f"{k} {v:.2f}" for k, v in summary.timings.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
