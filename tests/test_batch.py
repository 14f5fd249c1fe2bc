"""The resumable batch runner: error records, resume, torn lines, shards, and SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from helpers import PACT, ROOT, SHARED_DATA

from summarizer.batch.runner import run_batch
from summarizer.config import load_config

EXTRACTIVE = load_config(None, ["fuse.backend=extractive"])


def _write_clusters(path, count, bad_lines=()):
    with path.open("w") as handle:
        for i in range(count):
            docs = [{"title": "", "text": d.text} for d in PACT.documents]
            handle.write(json.dumps({"id": f"c{i:03d}", "documents": docs}) + "\n")
        for line in bad_lines:
            handle.write(line + "\n")


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_errors_are_recorded_and_a_rerun_adds_nothing(tmp_path, encoder):
    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_clusters(data, 6, bad_lines=['{"id": "broken", "documents": 5}', "{not json"])
    stats = run_batch(str(data), str(out), EXTRACTIVE, batch_size=4, progress=False)
    assert (stats.written, stats.errors) == (6, 2)
    records = {r["id"]: r for r in _lines(out)}
    assert len(records) == 8
    assert "must be a list" in records["broken"]["error"]
    assert "not valid JSON" in records["in-8"]["error"]
    assert records["c000"]["sentences"] and records["c000"]["sentences"][0]["citations"]
    again = run_batch(str(data), str(out), EXTRACTIVE, batch_size=4, progress=False)
    assert (again.written, again.errors, again.skipped_done) == (0, 0, 8)
    assert len(_lines(out)) == 8


def test_run_and_batch_write_the_same_records_with_one_id_key(tmp_path, encoder, capsys):
    from summarizer.cli import main

    data, out, run_out = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "run.jsonl"
    _write_clusters(data, 2, bad_lines=["{not json"])
    run_batch(str(data), str(out), EXTRACTIVE, batch_size=2, progress=False)
    code = main(["run", str(data), "--set", "fuse.backend=extractive", "--set", "output.include_timings=false",
                 "--format", "json", "--output", str(run_out), "--quiet"])
    assert code == 1  # one input line failed
    batch_records, run_records = _lines(out), _lines(run_out)
    for record in batch_records + run_records:
        assert next(iter(record)) == "id" and "cluster_id" not in record
    assert run_records[2] == batch_records[2] == {"id": "in-3", "error": run_records[2]["error"]}
    for batch_record, run_record in zip(batch_records[:2], run_records[:2]):
        run_record.pop("config")
        batch_record["timings_seconds"] = None
        assert batch_record == run_record  # a batch line is the run record without the config


def test_torn_last_line_is_removed_and_redone(tmp_path, encoder):
    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_clusters(data, 3)
    run_batch(str(data), str(out), EXTRACTIVE, limit=2, progress=False)
    with out.open("a") as handle:
        handle.write('{"id": "c002", "summary": "half a li')
    stats = run_batch(str(data), str(out), EXTRACTIVE, progress=False)
    assert stats.written == 1
    assert [r["id"] for r in _lines(out)] == ["c000", "c001", "c002"]


def test_shards_split_the_work(tmp_path, encoder):
    data = tmp_path / "in.jsonl"
    _write_clusters(data, 10)
    ids = []
    for index in range(3):
        out = tmp_path / f"part-{index}.jsonl"
        run_batch(str(data), str(out), EXTRACTIVE, shard=(index, 3), progress=False)
        ids += [r["id"] for r in _lines(out)]
    assert sorted(ids) == [f"c{i:03d}" for i in range(10)]


def _kill_and_resume(data, out, extra_args, kill_after, timeout=600):
    """Start the real CLI and SIGKILL it at each point of ``kill_after``, restarting after each;
    then let it finish. A point is an int (once that many output lines exist) or a float
    (after that many seconds, which can land during start-up or model loading)."""
    command = [sys.executable, "-m", "summarizer", "batch", str(data), "--output", str(out), "-q", *extra_args]
    for point in kill_after:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if isinstance(point, float):
            time.sleep(point)
        deadline = time.monotonic() + timeout
        while isinstance(point, int) and time.monotonic() < deadline and process.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= point:
                break
            time.sleep(0.01)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stderr.close()
    final = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert final.returncode == 0, final.stderr
    return final


def _assert_each_once(out, expected_ids):
    raw = out.read_bytes()
    assert raw.endswith(b"\n")
    ids = [json.loads(line)["id"] for line in raw.decode().splitlines()]  # every line parses
    assert sorted(ids) == sorted(expected_ids)  # each id exactly once


@pytest.mark.slow  # real processes killed mid-write (or a Ray instance): 20-30 s each
def test_sigkill_at_several_points_loses_and_repeats_nothing(tmp_path):
    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_clusters(data, 60)
    _kill_and_resume(data, out, ["--set", "fuse.backend=extractive", "--batch-size", "1"], kill_after=[3, 17, 31])
    _assert_each_once(out, [f"c{i:03d}" for i in range(60)])


@pytest.mark.slow  # real processes killed mid-write (or a Ray instance): 20-30 s each
def test_sigkill_at_random_moments_loses_and_repeats_nothing(tmp_path):
    """Five kills in a row at seeded random moments: during start-up and model loading (a time)
    or mid-job (a random number of further lines); then every id once, no partial line."""
    import random

    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_clusters(data, 40)
    chance = random.Random(20261125)
    points, lines = [], 0
    for _ in range(5):
        if chance.random() < 0.4:
            points.append(round(chance.uniform(0.5, 6.0), 2))
        else:
            lines += chance.randint(1, 6)
            points.append(lines)
    _kill_and_resume(data, out, ["--set", "fuse.backend=extractive", "--batch-size", "2"], kill_after=points)
    _assert_each_once(out, [f"c{i:03d}" for i in range(40)])


@pytest.mark.slow
def test_sigkill_on_neus_val_with_the_embedded_default(tmp_path):
    source = SHARED_DATA / "neus" / "val.jsonl"
    if not source.is_file():
        pytest.skip(f"NeuS data not found at {source} (only present in the development checkout)")
    data, out = tmp_path / "val-24.jsonl", tmp_path / "out.jsonl"
    lines = source.read_text().splitlines()[:24]
    data.write_text("\n".join(lines) + "\n")
    final = _kill_and_resume(data, out, ["--batch-size", "4"], kill_after=[4, 12])
    assert "already done" in final.stderr and "clusters/s" in final.stderr
    _assert_each_once(out, [json.loads(line)["id"] for line in lines])


@pytest.mark.slow  # real processes killed mid-write (or a Ray instance): 20-30 s each
def test_ray_engine_on_a_local_ray_instance(tmp_path, encoder, tiny_bart):
    """The Ray Data engine with a tiny random seq2seq model loaded once per actor."""
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install -e '.[ray]')")
    import pyarrow as pa
    import pyarrow.parquet as pq

    from summarizer.batch.ray_engine import run_ray

    data, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_clusters(data, 6, bad_lines=["{bad json"])
    with data.open("ab") as handle:  # a Windows-1252 line: invalid UTF-8 aborted the whole Ray job once
        docs = [{"title": "", "text": d.text.replace("Port Vale", "Zürich")} for d in PACT.documents]
        handle.write(json.dumps({"id": "latin", "documents": docs}, ensure_ascii=False).encode("cp1252") + b"\n")
    config = load_config(None, ["fuse.backend=seq2seq", f"fuse.model={tiny_bart}", "fuse.max_new_tokens=8",
                                "fuse.summary_max_new_tokens=8"])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        stats = run_ray(str(data), str(out), config, batch_size=4, progress=False)
        assert (stats.written, stats.errors) == (7, 1)
        records = _lines(out)
        assert sorted(r["id"] for r in records if "error" not in r) == [f"c{i:03d}" for i in range(6)] + ["latin"]
        latin = next(r for r in records if r["id"] == "latin")
        assert "not valid UTF-8" in latin["warnings"][0] and "Zürich" in json.dumps(latin, ensure_ascii=False)
        assert all(r["sentences"][0]["citations"] for r in records if "error" not in r)
        assert {r["model"]["backend"] for r in records if "error" not in r} == {"seq2seq"}
        ray.shutdown()
        again = run_ray(str(data), str(out), config, batch_size=4, progress=False)
        assert (again.written, again.errors) == (0, 0)  # resumable: nothing is done twice
        assert not ray.is_initialized()  # and a rerun with nothing to do starts no Ray instance
        assert len(_lines(out)) == 8
        assert next(r for r in _lines(out) if "error" in r)["id"] == "in-7"  # the local runner's id
        # Parquet records without ids, begun by the local runner and finished on Ray: each id once,
        # the ids the local runner gives
        table = tmp_path / "clusters.parquet"
        pq.write_table(pa.Table.from_pylist([{"documents": docs}] * 5), table, row_group_size=2)
        mixed = tmp_path / "mixed.jsonl"
        run_batch(str(table), str(mixed), config, limit=2, progress=False)
        stats = run_ray(str(table), str(mixed), config, batch_size=2, progress=False, num_cpus=1)
        assert (stats.written, stats.skipped_done) == (3, 2)
        # Ray's read tasks finish in any order (docs/usage.md promises ids, not order): each id once
        assert sorted(r["id"] for r in _lines(mixed)) == [f"clusters-{i}" for i in range(5)]
    finally:
        ray.shutdown()
