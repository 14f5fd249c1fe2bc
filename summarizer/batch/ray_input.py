"""What the Ray engine reads: a plan of the input rows still to do, and a Ray Data source for it.

The driver scans the input once (JSONL line by line; Parquet through its id column only) and
decides, row by row and exactly as the local runner does, which rows this run summarises: the
same ids (a record's own, else ``{stem}-{line}`` / ``{stem}-{row}``), the same duplicate rule,
the same shards, the same skipping of ids already in the output. The plan is a list of chunks
(a byte range of the JSONL file, or one Parquet row group) with the rows wanted in each; each
chunk becomes one Ray read task that reads only its part of the file on whichever node runs it.
So the driver holds ids, never texts, and the progress bar knows its total before the first
cluster.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.batch.rows import RowRules
from summarizer.config_schema import IngestConfig
from summarizer.ingest import InputError
from summarizer.ingest.readers import PEEK_BYTES, line_record_id, parse_line, record_id, whole_file_encoding
from summarizer.text import printable
from summarizer.types import Item

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
# A read task's share of the input: small enough that actors start early and a large file is
# spread over the cluster, large enough that per-task overhead stays negligible.
CHUNK_BYTES = 32 << 20
CHUNK_ROWS = 2048


@dataclass(frozen=True)
class Row:
    """One input row this run summarises: its id, where it is (for messages), and why it is
    already an error (a duplicate id), if it is."""

    number: int
    cluster_id: str
    error: str = ""


@dataclass
class Chunk:
    """A part of the input one read task reads: JSONL bytes [start, end) whose first line is
    ``first_number``, or Parquet row group ``start`` (``end`` unused) whose first row is
    ``first_number``; ``rows`` are the wanted ones, in input order."""

    start: int
    end: int
    first_number: int
    rows: list[Row] = field(default_factory=list)


@dataclass
class Plan:
    """The rows to summarise, chunked, and what was left out and why."""

    path: str
    kind: str  # "jsonl" or "parquet"
    chunks: list[Chunk] = field(default_factory=list)
    skipped_done: int = 0
    other_shards: int = 0

    @property
    def total(self) -> int:
        return sum(len(chunk.rows) for chunk in self.chunks)


class _Chooser:
    """The batch job's row rules (``batch/rows.py``, as the local runner applies them), one id after
    another in input order, counted into the plan."""

    def __init__(self, plan: Plan, done: set[str], in_shard) -> None:
        self.plan, self.rules = plan, RowRules(done, in_shard)

    def choose(self, number: int, cluster_id: str, where: str) -> Row | None:
        decision = self.rules.decide(cluster_id, where)
        self.plan.other_shards += decision.verdict == "other shard"
        self.plan.skipped_done += decision.verdict == "done"
        return Row(number, decision.cluster_id, decision.error) if decision.verdict == "take" else None


def plan_input(path: str, config: IngestConfig, done: set[str], in_shard) -> Plan:
    """The plan of ``path`` (JSONL or Parquet) for this run; an InputError for any other input."""
    local = Path(path)
    suffix = local.suffix.lower()
    if not local.is_file() or suffix not in JSONL_SUFFIXES + PARQUET_SUFFIXES:
        raise InputError(f"{path}: --engine ray reads a JSONL (.jsonl, .ndjson) or Parquet (.parquet) file of "
                         "clusters; use --engine local for folders, CSV, JSON and hf: datasets")
    if suffix in JSONL_SUFFIXES:
        return _plan_jsonl(local, config, done, in_shard)
    return _plan_parquet(local, config, done, in_shard)


def _plan_jsonl(path: Path, config: IngestConfig, done: set[str], in_shard) -> Plan:
    plan = Plan(str(path), "jsonl")
    chooser = _Chooser(plan, done, in_shard)
    stem = printable(path.stem)
    chunk, offset = Chunk(0, 0, 1), 0
    with path.open("rb", buffering=PEEK_BYTES) as handle:
        unicode = whole_file_encoding(handle.peek(PEEK_BYTES))
        if unicode:  # Ray's tasks read chunks at byte offsets of lines, which need one-byte line breaks
            raise InputError(f"{path}: written in {unicode.upper()}; the Ray engine reads UTF-8 JSON Lines: "
                             f"convert it (iconv -f {unicode.upper()} -t UTF-8) or use --engine local, which reads it")
        for number, raw in enumerate(handle, start=1):
            if offset - chunk.start >= CHUNK_BYTES or len(chunk.rows) >= CHUNK_ROWS:
                chunk.end = offset
                plan.chunks.append(chunk)
                chunk = Chunk(offset, 0, number)
            offset += len(raw)
            where = f"{path}:{number}"
            parsed = parse_line(raw, where)
            if parsed.blank:
                continue  # a blank line is no record (as in the local runner)
            row = chooser.choose(number, line_record_id(parsed, f"{stem}-{number}", config), where)
            if row is not None:
                chunk.rows.append(row)
    chunk.end = offset
    plan.chunks.append(chunk)
    plan.chunks = [c for c in plan.chunks if c.rows]
    return plan


def _parquet_file(path: Path):
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises its own types for a file that is not Parquet
        raise InputError(f"{path}: could not be read as Parquet ({type(error).__name__}: {error})") from None


def _plan_parquet(path: Path, config: IngestConfig, done: set[str], in_shard) -> Plan:
    plan = Plan(str(path), "parquet")
    chooser = _Chooser(plan, done, in_shard)
    parquet = _parquet_file(path)
    stem = printable(path.stem)
    has_ids = config.id_field in parquet.schema_arrow.names
    number = 0  # rows are numbered from 0, as the local runner's dataset reader numbers them
    for group in range(parquet.num_row_groups):
        chunk = Chunk(group, 0, number)
        size = parquet.metadata.row_group(group).num_rows
        ids = (parquet.read_row_group(group, columns=[config.id_field]).column(0).to_pylist() if has_ids
               else [None] * size)
        for value in ids:
            cluster_id = record_id({config.id_field: value}, f"{stem}-{number}", config)
            row = chooser.choose(number, cluster_id, f"{path}[{number}]")
            if row is not None:
                chunk.rows.append(row)
            number += 1
        if chunk.rows:
            plan.chunks.append(chunk)
    return plan


def read_chunk(plan_path: str, kind: str, chunk: Chunk) -> Iterator[dict]:
    """The wanted rows of one chunk as ``{"id", "where", "line", "error"}`` records; ``line`` is
    the JSONL line's bytes, or the Parquet record as JSON, for ``item_of_row``."""
    wanted = {row.number: row for row in chunk.rows}
    if kind == "jsonl":
        with open(plan_path, "rb") as handle:
            handle.seek(chunk.start)
            remaining, number = chunk.end - chunk.start, chunk.first_number
            while remaining > 0 and (raw := handle.readline()):
                remaining -= len(raw)
                if number in wanted:
                    yield _record(wanted[number], f"{plan_path}:{number}", raw)
                number += 1
        return
    table = _parquet_file(Path(plan_path)).read_row_group(chunk.start)
    for index, record in enumerate(table.to_pylist()):
        number = chunk.first_number + index
        if number in wanted:
            # default=str: Parquet dates and timestamps become ISO text, which ingest reads as dates
            line = json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")
            yield _record(wanted[number], f"{plan_path}[{number}]", line)


def _record(row: Row, where: str, line: bytes) -> dict:
    return {"id": row.cluster_id, "where": where, "line": line, "error": row.error}


def item_of_row(cluster_id: str, where: str, line: bytes, error: str, config: IngestConfig) -> Item | None:
    """The Item the local runner builds for this row (None for a blank line)."""
    from summarizer.ingest.readers import item_from_line

    if error:
        return Item(cluster_id, None, error, where)
    return item_from_line(line, cluster_id, where, config)


def datasource(plan: Plan):
    """A Ray Data source with one read task per chunk of ``plan``."""
    import pyarrow as pa
    from ray.data import Datasource, ReadTask
    from ray.data.block import BlockMetadata

    class PlanSource(Datasource):
        def estimate_inmemory_data_size(self) -> int | None:
            return None

        def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None,
                           data_context=None) -> list[ReadTask]:
            tasks = []
            for chunk in plan.chunks:
                def read(chunk: Chunk = chunk) -> Iterator[pa.Table]:
                    yield pa.Table.from_pylist(list(read_chunk(plan.path, plan.kind, chunk)),
                                               schema=ROW_SCHEMA)
                metadata = BlockMetadata(num_rows=len(chunk.rows), size_bytes=None, exec_stats=None,
                                         input_files=(plan.path,))
                tasks.append(ReadTask(read, metadata, schema=ROW_SCHEMA))
            return tasks

    ROW_SCHEMA = pa.schema([("id", pa.string()), ("where", pa.string()), ("line", pa.binary()),
                            ("error", pa.string())])
    return PlanSource()
