"""The service's targets (issue #33), measured against their baselines in one run:

  * warm request latency on the seeds (five full articles), default and extractive backends;
  * throughput on NeuS-size clusters with 16 concurrent clients, beside `batch` on the same clusters
    (both after their models are loaded; the default backend);
  * resident memory of the server after 10 and after 1,000 requests (each with a new sentence);
  * `run` on the seeds quiet and beside two busy processes (fair share on 2 cores: 3×).

    python eval/bench_serve.py --seeds ../shared/data/seeds --clusters ../shared/data/neus/val.jsonl

Writes eval/results/serve.json and prints a Markdown table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Service:
    """`python -m summarizer serve` on a free port, ready once /healthz answers."""

    def __init__(self, *options: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen([sys.executable, "-m", "summarizer", "serve", "--port", str(self.port),
                                         "--quiet", *options], cwd=ROOT, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    sys.exit(f"serve exited with {self.process.returncode}")
                time.sleep(0.3)
        sys.exit("serve did not start within 300 s")

    def post(self, data: dict) -> dict:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/v1/summaries", json.dumps(data).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as answer:
            return json.loads(answer.read())

    def resident_mib(self) -> float:
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def latency(service: Service, documents: list[str], runs: int) -> dict[str, float]:
    seconds = {}
    for name, config in (("default", {}), ("extractive", {"fuse": {"backend": "extractive"}})):
        service.post({"documents": documents, "config": config})  # warm: first request of this config
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            service.post({"documents": documents, "config": config})
            times.append(time.perf_counter() - started)
        seconds[name] = statistics.median(times)
    return seconds


def throughput(service: Service, clusters: list[dict], clients: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(lambda c: service.post({"documents": c["documents"], "id": str(c["id"])}), clusters))
    return len(clusters) / (time.perf_counter() - started)


def batch_throughput(clusters: list[dict]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "clusters.jsonl"
        data.write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "summarizer", "batch", str(data), "--output",
                               str(Path(folder) / "out.jsonl"), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    rate = re.search(r"([\d.]+) clusters/s", done.stderr)
    if done.returncode != 0 or not rate:
        sys.exit(f"batch failed: {done.stderr[-500:]}")
    return float(rate.group(1))


def memory(documents: list[str], requests: int) -> dict[str, float]:
    service = Service("--set", "fuse.backend=extractive")
    try:
        marks = {}
        for k in range(1, requests + 1):
            service.post({"documents": [f"{d}\n\nUpdate {k}: the council will meet again next week." for d in documents]})
            if k in (10, 100, requests):
                marks[str(k)] = round(service.resident_mib(), 1)
        return marks
    finally:
        service.stop()


def run_under_load(seeds: str, runs: int) -> dict[str, float]:
    def once() -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "summarizer", "run", seeds, "--quiet"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    quiet = statistics.median(once() for _ in range(runs))
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        loaded = statistics.median(once() for _ in range(runs))
    finally:
        for process in busy:
            process.kill()
    return {"quiet_s": round(quiet, 2), "loaded_s": round(loaded, 2), "ratio": round(loaded / quiet, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default=str(ROOT.parent / "shared" / "data" / "seeds"))
    parser.add_argument("--clusters", default=str(ROOT.parent / "shared" / "data" / "neus" / "val.jsonl"))
    parser.add_argument("--count", type=int, default=48, help="NeuS clusters for the throughput comparison")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory-requests", type=int, default=1000)
    parser.add_argument("--output", default=str(ROOT / "eval" / "results" / "serve.json"))
    args = parser.parse_args()
    documents = [p.read_text(encoding="utf-8") for p in sorted(Path(args.seeds).glob("*.txt"))]
    with open(args.clusters, encoding="utf-8") as handle:
        clusters = [json.loads(line) for _, line in zip(range(args.count), handle)]
    service = Service()
    try:
        seconds = latency(service, documents, args.runs)
        served = throughput(service, clusters, args.clients)
    finally:
        service.stop()
    batch = batch_throughput(clusters)
    result = {"date": dt.date.today().isoformat(), "command": " ".join(sys.argv),
              "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
              "warm_latency_s": {k: round(v, 2) for k, v in seconds.items()},
              "throughput_clusters_per_s": {"serve_16_clients": round(served, 2), "batch": round(batch, 2),
                                            "share_of_batch": round(served / batch, 2)},
              "resident_mib_after_requests": memory(documents, args.memory_requests),
              "run_under_load": run_under_load(args.seeds, args.runs)}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
