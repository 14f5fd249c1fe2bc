"""A batch job's output file: append-only JSON Lines, checked before it is touched, resumable."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from summarizer.ingest import InputError
from summarizer.render.paths import open_beside

log = logging.getLogger(__name__)


def _is_our_record(record: object) -> bool:
    """A line this runner writes: a summary record (it has a schema version) or {"id", "error"}."""
    return (isinstance(record, dict) and isinstance(record.get("id"), str)
            and ("schema_version" in record or set(record) == {"id", "error"}))


def recover_output(path: Path, retry_errors: bool = False) -> set[str]:
    """The ids an earlier run wrote to ``path`` (without those of error records, with
    ``retry_errors``), after removing a torn last line left by a killed run.

    Every line is checked before anything is changed: a file this runner did not write (notes, a
    settings file, the input itself) is refused whole and left as it is.
    """
    if not path.exists():
        return set()
    data = path.read_bytes()
    complete = data.rfind(b"\n") + 1
    latest: dict[str, bool] = {}  # id -> whether its last record is a summary
    repeated = False
    for number, line in enumerate(data[:complete].splitlines(), start=1):
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            record = None
        if not _is_our_record(record):
            raise InputError(f"{path}:{number}: not a record this runner wrote; the file was left as it is: choose "
                             "another --output (or remove the file if it is an output you no longer need)")
        repeated |= record["id"] in latest
        latest[record["id"]] = "error" not in record
    tail = data[complete:]
    if tail:
        # Our writer writes whole lines, so a line without its newline is one a kill cut short; a
        # whole JSON value without one (what json.dump writes: a settings file) is no torn line.
        if not tail.startswith(b'{"id": ') or _parses(tail):
            raise InputError(f"{path}: its last line is not a record this runner wrote; the file was left as it is: "
                             "choose another --output")
        log.warning("%s: removing a partial last line left by an interrupted run", path)
        with path.open("rb+") as handle:
            handle.truncate(complete)
    if repeated:  # a --retry-errors run killed before its compaction left an id twice (redteam D4)
        log.warning("%s: an id has two records (an interrupted --retry-errors run); keeping the last", path)
        compact_output(path)
    return {key for key, summarised in latest.items() if summarised or not retry_errors}


def _parses(data: bytes) -> bool:
    try:
        json.loads(data)
        return True
    except (ValueError, RecursionError):
        return False


def has_repeated_ids(path: Path) -> bool:
    """Whether some id has two records in ``path`` (a retried error and its new record)."""
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            key = json.loads(line)["id"]
            if key in seen:
                return True
            seen.add(key)
    return False


def compact_output(path: Path) -> None:
    """Keep the last record of each id (a retried error's new record), in first-seen order; the
    file is rewritten beside itself and renamed over it, so a crash leaves one whole version."""
    records: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            records[json.loads(line)["id"]] = line
    out, temporary = open_beside(path, ".compact")
    with out:
        out.writelines(records.values())
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


class AppendOnlyWriter:
    """Writes whole lines with one ``write`` each on an O_APPEND descriptor, fsync'd per batch."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, record: dict | str) -> None:
        """Append one record (a dict, or an already serialised JSON line)."""
        line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
        data = (line + "\n").encode("utf-8")
        written = os.write(self.fd, data)
        if written != len(data):  # a full disk; the torn line is removed on the next run
            raise OSError(f"{self.path}: only {written} of {len(data)} bytes could be written (is the disk full?); "
                          "free space and run the same command again to continue")

    def sync(self) -> None:
        os.fsync(self.fd)

    def close(self) -> None:
        os.close(self.fd)
