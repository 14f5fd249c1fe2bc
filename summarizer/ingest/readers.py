"""Readers: a path → ``Item``s (a cluster each, or why a record could not be read).

Registered by name in ``summarizer.registries.READERS``; ``ingest.items.iter_items`` picks one by
what the path is. Every reader turns a bad record into an error item and goes on.
"""
from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from summarizer.config_schema import IngestConfig
from summarizer.ingest.records import (Decoded, InputError, bom_encoding, cluster_from_record, decode_bytes,
                                       document_too_long, finish_cluster, make_document, record_id)
from summarizer.text import printable
from summarizer.types import Document, Item

# Hub datasets are named explicitly so that a mistyped folder never becomes a network request.
HUB_PREFIX = "hf:"
DATASET_BUILDERS = {".parquet": "parquet", ".csv": "csv", ".arrow": "arrow", ".json": "json",
                    ".jsonl": "json", ".ndjson": "json"}


def read_bounded(path: Path, where: str, config: IngestConfig) -> bytes:
    """A file's bytes, refused unread when they cannot fit ``ingest.max_chars_per_document`` (four
    bytes a character at most, in UTF-8 and UTF-32): a stray 5 GB file is not loaded to be rejected."""
    size = path.stat().st_size
    if size > 4 * config.max_chars_per_document:
        raise document_too_long(where, f"{size:,} bytes", config)
    return path.read_bytes()


def read_folder(path: Path, config: IngestConfig) -> Iterator[Item]:
    """A folder of text files is one cluster, one document per file, in name order."""
    cluster_id, where = printable(path.resolve().name), printable(str(path))
    try:
        entries = sorted(p for p in path.iterdir() if not p.name.startswith("."))
        files = [p for p in entries if p.is_file()]
    except OSError as error:
        yield Item(cluster_id, None, f"{path}: the folder cannot be read ({error.strerror or error})", where)
        return
    if not files:
        yield Item(cluster_id, None, f"{path}: the folder has no files; put one article per text file in it", where)
        return
    stems = Counter(p.stem for p in files)
    documents: list[Document] = []
    # A device, pipe or broken link is never read (/dev/zero has no end, a pipe may never answer),
    # but it is named; a subfolder is another story, not part of this one.
    warnings = [f"{printable(str(p))}: " + ("a folder; skipped (each folder is one cluster)" if p.is_dir() else
                                           "not a regular file (a device, pipe or broken link); skipped")
                for p in entries if not p.is_file()]
    try:
        for file in files:
            doc_id = printable(file.stem if stems[file.stem] == 1 else file.name)
            name = printable(str(file))  # file names reach terminals and pages: no escapes in them
            try:
                # too long is the cluster's error, as a too-long text is (make_document): raise the limit
                data = read_bounded(file, name, config)
            except OSError as error:  # unreadable (permissions, a vanished file): one document lost, not all
                warnings.append(f"{name}: cannot be read ({error.strerror or error}); skipped")
                continue
            try:
                decoded = decode_bytes(data, name)
            except InputError as error:
                warnings.append(f"{error}; skipped")
                continue
            if decoded.warning:
                warnings.append(decoded.warning)
            documents.append(make_document(doc_id, decoded.text, "", name, config))
        yield Item(cluster_id, finish_cluster(cluster_id, documents, (), warnings, config, where), where=where)
    except InputError as error:
        yield Item(cluster_id, None, str(error), where)


def read_file(path: Path, config: IngestConfig) -> Iterator[Item]:
    """A single article file: summarised as a one-document cluster."""
    cluster_id, where = printable(path.stem), printable(str(path))
    try:
        decoded = decode_bytes(read_bounded(path, where, config), where)
        doc = make_document(cluster_id, decoded.text, "", where, config)
        warnings = [decoded.warning] if decoded.warning else []
        yield Item(cluster_id, finish_cluster(cluster_id, [doc], (), warnings, config, where), where=where)
    except InputError as error:
        yield Item(cluster_id, None, str(error), where)
    except OSError as error:
        yield Item(cluster_id, None, f"{path}: cannot be read ({error.strerror or error})", where)


@dataclass(frozen=True)
class ParsedLine:
    """One JSONL line decoded and parsed: its record, or why it is none (``blank``: an empty line)."""

    record: object = None
    error: str | None = None
    warning: str | None = None  # the decoding fallback used, if any
    blank: bool = False


def parse_line(raw: bytes | str, where: str) -> ParsedLine:
    """Decode and parse one JSONL line; never raises on bad input."""
    try:
        # a str line comes from a decoded UTF-16/32 file or a dataset: its first may keep a byte-order mark
        decoded = decode_bytes(raw, where) if isinstance(raw, bytes) else Decoded(raw.removeprefix("\ufeff"))
        if not decoded.text.strip():
            return ParsedLine(blank=True)
        return ParsedLine(json.loads(decoded.text), warning=decoded.warning)
    except InputError as error:
        return ParsedLine(error=str(error))
    except json.JSONDecodeError as error:
        return ParsedLine(error=f"{where}: not valid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return ParsedLine(error=f"{where}: not valid JSON (nested too deeply)")


def line_record_id(parsed: ParsedLine, fallback_id: str, config: IngestConfig) -> str:
    """The id a parsed line's item gets: its record's, or ``fallback_id`` for a line that is none."""
    return fallback_id if parsed.error is not None or parsed.blank else record_id(parsed.record, fallback_id, config)


def item_from_line(raw: bytes | str, fallback_id: str, where: str, config: IngestConfig) -> Item | None:
    """One JSONL line → an Item (None for a blank line); never raises on bad input."""
    parsed = parse_line(raw, where)
    if parsed.blank:
        return None
    cluster_id = line_record_id(parsed, fallback_id, config)
    if parsed.error is not None:
        return Item(cluster_id, None, parsed.error, where)
    try:
        cluster = cluster_from_record(parsed.record, cluster_id, where, config)
    except InputError as error:
        return Item(cluster_id, None, str(error), where)
    if parsed.warning:
        cluster = replace(cluster, warnings=(parsed.warning, *cluster.warnings))
    return Item(cluster_id, cluster, where=where)


PEEK_BYTES = 1 << 16  # bytes looked at to tell a UTF-16/32 file from a UTF-8 file with one such line


def whole_file_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 when the file starting with ``head`` is written in it (a byte-order mark,
    and its first line break is followed by the wide encoding's zero byte): such a file (Windows
    tools write them) is split into lines after decoding, since its line breaks are two or four
    bytes. A UTF-8 file whose first line alone was written in UTF-16 is read line by line."""
    unicode = bom_encoding(head)
    newline = head.find(b"\n")
    if unicode is None or (newline != -1 and head[newline + 1:newline + 2] != b"\x00"):
        return None
    return unicode


def read_jsonl(path: Path, config: IngestConfig) -> Iterator[Item]:
    """One cluster per JSON line, read lazily; a bad line is an error item naming its line."""
    with path.open("rb", buffering=PEEK_BYTES) as handle:
        unicode = whole_file_encoding(handle.peek(PEEK_BYTES))
        lines = io.TextIOWrapper(handle, encoding=unicode, errors="replace", newline="") if unicode else handle
        for number, raw in enumerate(lines, start=1):
            item = item_from_line(raw, f"{printable(path.stem)}-{number}", f"{path}:{number}", config)
            if item is not None:
                yield item


def read_stdin(path: str | Path, config: IngestConfig) -> Iterator[Item]:
    """Standard input (``-``): JSON Lines of clusters when it starts with "{", else one article.

    Read in bounded pieces (redteam H2: ``yes | … run -`` grew to 7.6 GB before a traceback): JSON
    Lines line by line as they come, an article only up to the bytes its character limit allows."""
    import sys

    stream = sys.stdin.buffer
    head = stream.read(PEEK_BYTES)
    # A byte-order mark decides the encoding before the "{" test, even where the only line break
    # is the last byte (UTF-16 with one record) or the mark is UTF-8's (redteam W3).
    unicode = whole_file_encoding(head)
    newline = head.find(b"\n")
    if unicode is None and bom_encoding(head) and (newline == -1 or newline >= len(head) - 4):
        unicode = bom_encoding(head)  # one wide-encoded line, its break (if any) the last character
    elif unicode is None and head.startswith(b"\xef\xbb\xbf"):
        unicode = "utf-8-sig"
    if unicode is None and head.lstrip().startswith(b"{"):
        for number, raw in enumerate(_byte_lines(head, stream, 4 * config.max_chars_per_cluster), start=1):
            item = item_from_line(raw, f"stdin-{number}", f"<stdin>:{number}", config)
            if item is not None:
                yield item
        return
    limit = 4 * config.max_chars_per_document  # UTF-8 takes at most four bytes a character
    data = head + stream.read(max(0, limit + 1 - len(head)))
    if unicode is not None and data.decode(unicode, errors="replace").lstrip().startswith("{"):
        data += stream.read()  # a wide encoding cannot be split into lines before it is decoded
        for number, raw in enumerate(data.decode(unicode, errors="replace").splitlines(keepends=True), start=1):
            item = item_from_line(raw, f"stdin-{number}", f"<stdin>:{number}", config)
            if item is not None:
                yield item
        return
    if len(data) > limit:
        yield Item("stdin", None, str(document_too_long("<stdin>", f"more than {limit:,} bytes", config)), "<stdin>")
        return
    try:
        decoded = decode_bytes(data, "<stdin>")
        document = make_document("stdin", decoded.text, "", "<stdin>", config)
        warnings = [decoded.warning] if decoded.warning else []
        yield Item("stdin", finish_cluster("stdin", [document], (), warnings, config, "<stdin>"), where="<stdin>")
    except InputError as error:
        yield Item("stdin", None, str(error), "<stdin>")


def _byte_lines(head: bytes, stream, longest: int) -> Iterator[bytes]:
    """The lines of ``head`` and then of ``stream``, each with its line break, read 64 KiB at a time.
    A line longer than ``longest`` bytes is cut there (its record is then no JSON: an error item)
    and the rest of it skipped, so no line is held whole however long."""
    pending, skipping = head, False
    while True:
        *complete, pending = pending.split(b"\n")
        for line in complete:
            if not skipping:
                yield line + b"\n"
            skipping = False
        if len(pending) > longest:
            if not skipping:
                yield pending[:longest]
            pending, skipping = b"", True
        chunk = stream.read(PEEK_BYTES)
        if not chunk:
            break
        pending += chunk
    if pending and not skipping:
        yield pending


def open_dataset(path: str, streaming: bool = True):
    """Records of a local JSON/JSONL/Parquet/CSV/Arrow file, or of ``hf:NAME[:SPLIT]`` on the hub
    (split "train" unless named, e.g. ``hf:multi_news:validation``).

    The one place datasets are opened, so every command reads the same inputs the same way.
    """
    import datasets

    local = Path(path)
    split = "train"
    if not local.exists() and not path.startswith(HUB_PREFIX):
        raise InputError(f"{path}: no such file (for a Hugging Face hub dataset write {HUB_PREFIX}NAME)")
    try:
        if local.exists():
            builder = DATASET_BUILDERS.get(local.suffix.lower(), "json")
            return datasets.load_dataset(builder, data_files=str(local), split=split, streaming=streaming)
        name, _, named_split = path.removeprefix(HUB_PREFIX).partition(":")
        return datasets.load_dataset(name, split=named_split or split, streaming=streaming)
    except Exception as error:  # datasets raises many unrelated types for an unreadable source
        what = "could not be read as a dataset" if local.exists() else "could not be loaded from the hub"
        raise InputError(f"{path}: {what} ({type(error).__name__}: {error}). Local files need a "
                         ".jsonl/.json/.parquet/.csv suffix; hub names need network access") from None


def read_dataset(path: str | Path, config: IngestConfig) -> Iterator[Item]:
    """Anything ``datasets.load_dataset`` reads: local Parquet/CSV/JSON, or ``hf:NAME[:SPLIT]``."""
    name = str(path)
    records = enumerate(open_dataset(name))
    while True:
        try:
            number, record = next(records)
        except StopIteration:
            return
        except Exception as error:  # streaming datasets parse lazily: a broken file fails here, not at open
            yield Item(printable(Path(name).stem), None, f"{name}: could not be read as a dataset "
                                                         f"({type(error).__name__}: {error})", name)
            return
        cluster_id = record_id(record, f"{printable(Path(name).stem)}-{number}", config)
        where = f"{name}[{number}]"
        try:
            yield Item(cluster_id, cluster_from_record(record, cluster_id, where, config), where=where)
        except InputError as error:
            yield Item(cluster_id, None, str(error), where)
