"""Latency of `python -m summarizer run` on one cluster: cold and warm, next to a baseline.

Runs the real CLI in fresh processes (what a user waits for, Python start-up included):
  * default backend, cold: an empty model cache, so the GGUF conversion is paid;
  * default backend, warm: the cache filled by the cold run, ``--runs`` times;
  * extractive backend, warm: same pipeline without generation, the baseline in the same run
    (these machines are noisy; compare the ratio, not absolute seconds across days);
  * default backend, warm, float32 and bfloat16 forced: fuse.dtype=auto picks the faster of the
    two on CPUs with native bfloat16 (measured on the cold run), this shows whether it chose well.

Warm runs of the systems are interleaved (one of each, ``--runs`` times) so that a drift in the
machine's speed hits them all alike.

Writes a JSON result file and prints a Markdown table.

    python eval/bench_latency.py --input ../shared/data/seeds --runs 3
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_run(path: str, cache: str, extra: list[str]) -> tuple[float, dict]:
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": cache}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "summarizer", "run", path, "--format", "json", "-q", *extra],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"run failed ({result.returncode}): {result.stderr}")
    return seconds, json.loads(result.stdout)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            return next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        return platform.processor()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=str(ROOT / "examples" / "bridge"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "eval" / "results" / "latency.json"))
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as cache:
        cold, record = timed_run(args.input, cache, [])
        rows.append({"system": "default (cold)", "seconds": [round(cold, 2)], "stages": record["timings_seconds"],
                     "words": record["word_count"]})
        systems = (("default (warm)", []), ("extractive (warm, baseline)", ["--set", "fuse.backend=extractive"]),
                   ("default (warm, float32)", ["--set", "fuse.dtype=float32"]),
                   ("default (warm, bfloat16)", ["--set", "fuse.dtype=bfloat16"]))
        runs: dict[str, list] = {name: [] for name, _ in systems}
        for _ in range(args.runs):
            for name, extra in systems:
                runs[name].append(timed_run(args.input, cache, extra))
        for name, _ in systems:
            rows.append({"system": name, "seconds": [round(s, 2) for s, _ in runs[name]],
                         "stages": runs[name][-1][1]["timings_seconds"], "words": runs[name][-1][1]["word_count"]})
        choices_file = Path(cache) / "cpu-dtypes.json"
        dtype_choice = json.loads(choices_file.read_text()) if choices_file.exists() else {}
    baseline = statistics.median(rows[2]["seconds"])
    for row in rows:
        row["median_seconds"] = statistics.median(row["seconds"])
        row["ratio_to_baseline"] = round(row["median_seconds"] / baseline, 2)
    result = {"date": dt.date.today().isoformat(), "input": args.input, "runs": args.runs,
              "machine": {"platform": platform.platform(), "cpu": cpu_model(), "cpus": os.cpu_count(),
                          "python": platform.python_version()},
              "auto_dtype_choice": dtype_choice,
              "command": " ".join([Path(sys.executable).name, *sys.argv]), "rows": rows}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")

    print(f"{result['machine']['cpu']}; fuse.dtype=auto chose: {dtype_choice}")
    print("| system | wall seconds (median) | runs | × baseline | fuse stage s | words |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['system']} | {row['median_seconds']:.2f} | {', '.join(map(str, row['seconds']))} | "
              f"{row['ratio_to_baseline']:.2f} | {row['stages']['fuse']:.2f} | {row['words']} |")


if __name__ == "__main__":
    main()
