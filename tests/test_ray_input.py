"""The Ray engine's input plan: the rows, ids, duplicates and shards of the local runner, without Ray."""
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import PACT

from summarizer.batch import ray_input
from summarizer.batch.ray_engine import actor_layout
from summarizer.batch.ray_input import item_of_row, plan_input, read_chunk
from summarizer.batch.runner import in_shard, run_batch
from summarizer.config import load_config
from summarizer.ingest import InputError, iter_items

EXTRACTIVE = load_config(None, ["fuse.backend=extractive"])
DOCS = [{"title": "", "text": d.text} for d in PACT.documents]


def _records():
    """Records with and without ids, a duplicate id, and one that is not a cluster."""
    return [{"id": "a", "documents": DOCS}, {"documents": DOCS}, {"id": "b", "documents": DOCS},
            {"id": "a", "documents": DOCS}, {"documents": DOCS}, {"id": "bad", "documents": []}]


def _write_jsonl(path):
    lines = [json.dumps(r) for r in _records()]
    lines.insert(2, "")  # a blank line still counts as a line number
    lines.insert(4, "{not json")
    path.write_text("\n".join(lines) + "\n")


def _write_parquet(path):
    records = _records()
    table = pa.Table.from_pylist([{"id": r.get("id"), "documents": r["documents"]} for r in records])
    pq.write_table(table, path, row_group_size=2)  # three row groups: three read tasks


def _planned_items(path, done=frozenset(), shard=(0, 1)):
    plan = plan_input(str(path), EXTRACTIVE.ingest, set(done), lambda cluster_id: in_shard(cluster_id, shard))
    rows = [row for chunk in plan.chunks for row in read_chunk(plan.path, plan.kind, chunk)]
    assert plan.total == len(rows)  # the progress bar's total is what the actors receive
    return plan, [item_of_row(r["id"], r["where"], r["line"], r["error"], EXTRACTIVE.ingest) for r in rows]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_the_plan_gives_the_local_runners_ids_and_errors(tmp_path, encoder, monkeypatch, suffix):
    monkeypatch.setattr(ray_input, "CHUNK_ROWS", 2)  # several chunks from a small file
    data = tmp_path / f"in{suffix}"
    (_write_jsonl if suffix == ".jsonl" else _write_parquet)(data)
    out = tmp_path / "out.jsonl"
    run_batch(str(data), str(out), EXTRACTIVE, progress=False)
    local = [json.loads(line) for line in out.read_text().splitlines()]
    plan, items = _planned_items(data)
    assert len(plan.chunks) > 1
    assert [item.cluster_id for item in items] == [record["id"] for record in local]
    errors = {item.cluster_id: item.error for item in items if item.cluster_id in
              {r["id"] for r in local if "error" in r}}
    assert all(errors.values()) and any("duplicate id 'a'" in e for e in errors.values())
    # the clusters themselves are those the local reader builds
    read = list(iter_items(str(data), EXTRACTIVE.ingest))
    assert len(read) == len(items)
    for planned, item in zip(items, read):
        assert planned.where == item.where
        assert planned.cluster == item.cluster or "duplicate" in planned.error
    fallback = "in-2" if suffix == ".jsonl" else "in-1"  # line numbers from 1, dataset rows from 0
    assert fallback in [item.cluster_id for item in items]


def test_the_plan_skips_what_the_output_has_and_other_shards(tmp_path):
    data = tmp_path / "in.jsonl"
    _write_jsonl(data)
    _, everything = _planned_items(data)
    ids = [item.cluster_id for item in everything]
    plan, rest = _planned_items(data, done=ids[:3])
    assert [item.cluster_id for item in rest] == ids[3:] and plan.skipped_done == 3
    shards = [[item.cluster_id for item in _planned_items(data, shard=(i, 2))[1]] for i in range(2)]
    assert sorted(shards[0] + shards[1]) == sorted(ids) and not set(shards[0]) & set(shards[1])


def test_the_ray_engine_names_what_it_cannot_read(tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text("id,text\n1,hello\n")
    with pytest.raises(InputError, match="JSONL .* or Parquet"):
        plan_input(str(csv), EXTRACTIVE.ingest, set(), lambda _: True)
    fake = tmp_path / "fake.parquet"
    fake.write_text("not parquet")
    with pytest.raises(InputError, match="fake.parquet: could not be read as Parquet"):
        plan_input(str(fake), EXTRACTIVE.ingest, set(), lambda _: True)


def test_actor_layout_fills_cpu_clusters_and_gives_each_gpu_an_actor():
    assert actor_layout({"CPU": 16.0}, None, None) == (15, 1.0, 0)  # one CPU left for reading
    assert actor_layout({"CPU": 16.0}, None, 4) == (3, 4, 0)
    assert actor_layout({"CPU": 2.0}, None, 4) == (1, 4, 0)  # never fewer than one actor
    assert actor_layout({"CPU": 64.0, "GPU": 8.0}, None, None) == (8, 1.0, 1)
    assert actor_layout({"CPU": 16.0}, 2, None) == (2, 1.0, 0)


@pytest.mark.parametrize("flags, message", [
    (["--num-cpus", "2"], "add --engine ray"),
    (["--engine", "ray", "--concurrency", "0"], "--concurrency must be ≥ 1"),
    (["--engine", "ray", "--num-cpus", "nan"], "--num-cpus nan: give a number of CPUs > 0"),
])
def test_ray_sizing_flags_are_checked_before_anything_starts(tmp_path, capsys, flags, message):
    from summarizer.cli import main

    data = tmp_path / "in.jsonl"
    _write_jsonl(data)
    assert main(["batch", str(data), "-o", str(tmp_path / "out.jsonl"), *flags]) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "out.jsonl").exists()


def test_a_utf16_file_is_named_for_the_ray_engine(tmp_path):
    """The local runner reads a UTF-16 JSONL file; Ray's byte-offset chunks cannot, so the plan
    says so at once instead of making every line an error record."""
    data = tmp_path / "wide.jsonl"
    data.write_bytes("".join(json.dumps(r) + "\n" for r in _records()[:2]).encode("utf-16"))
    with pytest.raises(InputError, match="written in UTF-16; the Ray engine reads UTF-8 JSON Lines"):
        plan_input(str(data), EXTRACTIVE.ingest, set(), lambda cluster_id: True)
    assert [item.cluster_id for item in iter_items(str(data), EXTRACTIVE.ingest)][0] == "a"
