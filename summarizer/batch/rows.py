"""The row rules of a batch job, one copy for both engines (local and Ray): which rows this run
summarises, and which id each record gets. Either engine resumes the other's output because both
decide here.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal


def in_shard(cluster_id: str, shard: tuple[int, int]) -> bool:
    """Whether ``cluster_id`` belongs to shard ``index`` of ``count`` (CRC32 of the id)."""
    index, count = shard
    return count == 1 or zlib.crc32(cluster_id.encode("utf-8")) % count == index


@dataclass(frozen=True)
class RowDecision:
    """What becomes of one row: summarised (``take``) under ``cluster_id``, as an error record when
    ``error`` says why (a duplicate id), or left to another shard or to the earlier run."""

    verdict: Literal["take", "other shard", "done"]
    cluster_id: str
    error: str = ""


class RowRules:
    """Rows in input order: a repeated id is an error record under an id of its own (never a
    collision), then rows of other shards are skipped, then ids the output already has."""

    def __init__(self, done: set[str], belongs: Callable[[str], bool]) -> None:
        self.done, self.belongs = done, belongs
        self.seen: set[str] = set()

    def decide(self, cluster_id: str, where: str) -> RowDecision:
        error = ""
        if cluster_id in self.seen:
            cluster_id, error = (f"{cluster_id} (duplicate at {where})",
                                 f"{where}: duplicate id {cluster_id!r} (an earlier record has it); "
                                 "give each cluster its own id")
        else:
            self.seen.add(cluster_id)
        if not self.belongs(cluster_id):
            return RowDecision("other shard", cluster_id, error)
        if cluster_id in self.done:
            return RowDecision("done", cluster_id, error)
        return RowDecision("take", cluster_id, error)
