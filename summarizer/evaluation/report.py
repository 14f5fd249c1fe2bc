"""The evaluation run's report: the table, paired comparisons, provenance and plots."""
from __future__ import annotations

import platform
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.config_schema import RunConfig
from summarizer.evaluation.metrics import METRICS
from summarizer.render.paths import write_bytes_atomically

#: metrics compared pairwise between systems (each against the first)
PAIRED_METRICS = ("rouge1_f", "rouge2_f", "rougeLsum_f", "consistency_score", "single_outlet_share")


def paired_bootstrap(first: list[float], second: list[float], seed: int = 0,
                     resamples: int = 1000) -> dict[str, float]:
    """Mean of ``second - first`` over paired examples, its 95% percentile-bootstrap interval, and a
    two-sided p-value (twice the share of resampled means on the far side of zero; seeded)."""
    differences = np.asarray(second, dtype=float) - np.asarray(first, dtype=float)
    rng = np.random.default_rng(seed)
    means = differences[rng.integers(0, differences.size, size=(resamples, differences.size))].mean(axis=1)
    below, above = float(np.mean(means <= 0)), float(np.mean(means >= 0))
    return {"difference": float(differences.mean()), "low": float(np.percentile(means, 2.5)),
            "high": float(np.percentile(means, 97.5)), "p": min(1.0, 2 * min(below, above)),
            "n": int(differences.size)}


def paired_comparisons(rows: list[dict[str, Any]], systems: list[str], config: RunConfig) -> dict[str, Any]:
    """Each system after the first against the first, on the clusters both scored."""
    if len(systems) < 2:
        return {}
    by_system = {s: {r["id"]: r for r in rows if r["system"] == s} for s in systems}
    result: dict[str, Any] = {}
    for system in systems[1:]:
        comparisons = {}
        for key in PAIRED_METRICS:
            shared = [i for i, r in by_system[systems[0]].items() if r.get(key) is not None
                      and by_system[system].get(i, {}).get(key) is not None]
            if shared:
                comparisons[key] = paired_bootstrap([by_system[systems[0]][i][key] for i in shared],
                                                    [by_system[system][i][key] for i in shared], config.seed,
                                                    config.evaluation.bootstrap_resamples)
        result[system] = comparisons
    return result


def run_environment() -> dict[str, Any]:
    """What the numbers were measured with: versions, the git commit, the CPU and GPU."""
    import torch
    import transformers

    from summarizer import __version__
    from summarizer.fuse.hf_runtime import cpu_info

    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10,
                                cwd=here).stdout.strip() or None
        if commit and subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                     text=True, timeout=10, cwd=here).stdout.strip():
            commit += "-dirty"  # uncommitted changes: the commit alone does not reproduce the numbers
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"summarizer": __version__, "git_commit": commit, "python": platform.python_version(),
            "torch": torch.__version__, "transformers": transformers.__version__, "numpy": np.__version__,
            "platform": platform.platform(), "cpu": cpu_info().name or platform.processor() or platform.machine(),
            "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else None}


def render_report(summary: dict[str, Any]) -> str:

    shown = [m for m in METRICS if any(s["metrics"].get(m.key) for s in summary["systems"].values())]
    lines = [f"# Evaluation: {summary['run_name']}", "",
             f"Data: `{summary['data']}` ({summary['examples']} clusters"
             + (f", limit {summary['limit']}" if summary["limit"] else "") + f"). NRC-VAD lexicon: {summary['lexicon']}.",
             "Mean and 95% bootstrap CI per metric (ROUGE, supported sentences and single-outlet wording in %). "
             "↑ higher is better, ↓ lower is better.", "",
             "| system | n | " + " | ".join(f"{m.label}{m.arrow}" for m in shown)
             + " | s/example |",
             "| --- | --- | " + " | ".join("---" for _ in shown) + " | --- |"]
    for name, data in summary["systems"].items():
        cells = []
        for metric in shown:
            value = data["metrics"].get(metric.key)
            cells.append("–" if not value else
                         f"{value['mean'] * metric.scale:.2f} [{value['low'] * metric.scale:.2f}, "
                         f"{value['high'] * metric.scale:.2f}]")
        per = data["seconds_per_example"]
        lines.append(f"| {name} | {data['scored']} | " + " | ".join(cells) + f" | {per:.2f} |" if per is not None
                     else f"| {name} | 0 | " + " | ".join(cells) + " | – |")
    problems = {name: data["skipped"] for name, data in summary["systems"].items() if data["skipped"]}
    if problems:
        lines += ["", "## Skipped or problematic examples", ""]
        for name, items in problems.items():
            lines.append(f"- **{name}**: {len(items)}")
            lines += [f"  - {item}" for item in items[:20]]
            if len(items) > 20:
                lines.append(f"  - … {len(items) - 20} more in summary.json")
    paired = summary.get("paired") or {}
    if paired:
        first = next(iter(summary["systems"]))
        lines += ["", f"## Each system against {first} (paired bootstrap over the clusters both scored)", "",
                  "| system | metric | difference | 95% CI | p (two-sided) | n |", "| --- | --- | --- | --- | --- | --- |"]
        for name, comparisons in paired.items():
            for key, result in comparisons.items():
                scale = next(m.scale for m in METRICS if m.key == key)
                lines.append(f"| {name} | {next(m.label for m in METRICS if m.key == key)} | "
                             f"{result['difference'] * scale:+.2f} | [{result['low'] * scale:+.2f}, "
                             f"{result['high'] * scale:+.2f}] | {result['p']:.3f} | {result['n']} |")
    environment = summary.get("environment") or {}
    if environment:
        lines += ["", f"Run with summarizer {environment.get('summarizer')} (commit {environment.get('git_commit')}), "
                  f"Python {environment.get('python')}, torch {environment.get('torch')}, transformers "
                  f"{environment.get('transformers')} on {environment.get('cpu')}"
                  + (f" and {environment['gpu']}" if environment.get("gpu") else "") + "."]
    lines += ["", "![metric distributions](metrics.png)", "", "![length against arousal](length_vs_arousal.png)", ""]
    return "\n".join(lines)


def write_plots(rows: list[dict[str, Any]], systems: list[str], out_dir: Path, has_arousal: bool) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    panels = [m for m in METRICS if m.key in ("rouge1_f", "rouge2_f", "rougeLsum_f", "consistency_score",
                                               "single_outlet_share", "words")]
    figure, axes = plt.subplots(2, 3, figsize=(13, 7))
    for axis, metric in zip(axes.flat, panels):
        data = [[r[metric.key] * metric.scale for r in rows if r["system"] == s and r.get(metric.key) is not None]
                for s in systems]
        if any(data):
            axis.boxplot([d or [float("nan")] for d in data], tick_labels=systems)
        axis.set_title(metric.label)
        axis.tick_params(axis="x", rotation=30)
    figure.tight_layout()
    _save(figure, out_dir / "metrics.png")
    plt.close(figure)

    key, label = ("arousal_total", "NeuS arousal (sum)") if has_arousal else \
        ("single_outlet_share", "single-outlet wording share (arousal skipped: no lexicon)")
    figure, axis = plt.subplots(figsize=(7, 5))
    for system in systems:
        points = [(r["words"], r[key]) for r in rows if r["system"] == system and r.get(key) is not None]
        if points:
            axis.scatter(*zip(*points), label=system, s=12, alpha=0.6)
    axis.set_xlabel("summary length (words)")
    axis.set_ylabel(label)
    axis.legend()
    figure.tight_layout()
    _save(figure, out_dir / "length_vs_arousal.png")
    plt.close(figure)


def _save(figure, target: Path) -> None:
    """A figure written as every output is (a temporary file renamed into place): a link planted at
    "metrics.png" in the results folder is replaced, never written through."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    write_bytes_atomically(target, buffer.getvalue())
