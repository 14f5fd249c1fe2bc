"""The hand-labelled alignment dev set (eval/alignment/devset.json): reading it and its pair labels.

A labelled cluster names its input (a folder or a JSON Lines file, relative to the repository root)
and its facts: ``members`` state the fact as their main statement, ``also`` state it as a second
part. A pair of sentences is the same fact when both are members of one fact, undecided when both
are accepted (members or also) by one fact but not both members, and different otherwise.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from summarizer.config_schema import RunConfig
from summarizer.ingest import read_clusters
from summarizer.segment import segment_cluster
from summarizer.types import SegmentedCluster


@dataclass(frozen=True)
class LabelledFact:
    name: str
    members: frozenset[str]  # DOC:INDEX keys
    accepted: frozenset[str]  # members and 'also'


@dataclass(frozen=True)
class LabelledCluster:
    name: str
    segmented: SegmentedCluster
    keys: tuple[str, ...]  # DOC:INDEX of every sentence, in cluster order
    facts: tuple[LabelledFact, ...]

    def pair_label(self, i: int, j: int) -> int | None:
        """1: the same fact, 0: different facts, None: undecided (one states it as a second part)."""
        a, b = self.keys[i], self.keys[j]
        if any(a in f.members and b in f.members for f in self.facts):
            return 1
        if any(a in f.accepted and b in f.accepted for f in self.facts):
            return None
        return 0


def sentence_keys(segmented: SegmentedCluster) -> tuple[str, ...]:
    """DOC:INDEX of every sentence; DOC is shortened to three characters where every document id is
    longer (file-named documents such as the seeds' "000_6abad2aa2853e1db")."""
    docs = [d.doc_id for d in segmented.cluster.documents]
    short = {d: d[:3] if all(len(x) > 3 for x in docs) else d for d in docs}
    return tuple(f"{short[s.doc_id]}:{s.index}" for s in segmented.sentences)


def load_devset(path: str | Path, config: RunConfig, root: str | Path = ".") -> list[LabelledCluster]:
    """Every labelled cluster, segmented as ``config`` segments; labels that name a sentence the
    segmentation does not have, or a sentence that is a member of two facts, are errors."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))["clusters"]
    by_input: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        by_input[entry["input"]].append(entry)
    out = []
    for source, wanted in by_input.items():
        location = Path(root) / source
        if not location.exists():
            raise FileNotFoundError(f"{path}: input {source!r} not found from {Path(root).resolve()}")
        clusters = read_clusters(str(location), config.ingest)
        by_id = {c.cluster_id: c for c in clusters}
        for entry in wanted:
            cluster = by_id.get(entry["cluster"]) or (clusters[0] if len(clusters) == 1 else None)
            if cluster is None:
                raise ValueError(f"{path}: cluster {entry['cluster']!r} is not in {source}")
            segmented = segment_cluster(cluster, config.segment)
            keys = sentence_keys(segmented)
            facts = tuple(LabelledFact(f["name"], frozenset(f["members"]), frozenset(f["members"]) | set(f["also"]))
                          for f in entry["facts"])
            unknown = {k for f in facts for k in f.accepted} - set(keys)
            primary = [k for f in facts for k in f.members]
            if unknown:
                raise ValueError(f"{path}: {entry['cluster']}: no such sentences in today's segmentation: "
                                 f"{sorted(unknown)}")
            if len(primary) != len(set(primary)):
                raise ValueError(f"{path}: {entry['cluster']}: a sentence is a member of two facts")
            out.append(LabelledCluster(entry["cluster"], segmented, keys, facts))
    return out
