"""Where summaries go: a stream (stdout or a file) or, for HTML of several clusters, a folder.

Each summary is written and flushed as soon as it is ready, so a failure later in the run
never loses what was already produced.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from summarizer.config_schema import RunConfig
from summarizer.errors import UsageError
from summarizer.render.paths import OutputLock, open_beside
from summarizer.render.formats import error_record, render, summary_record
from summarizer.render.html import page_name, render_html, write_page
from summarizer.render.index import IndexEntry, opening, render_index
from summarizer.types import Cluster, Summary


class OutputError(UsageError):
    """An output destination that cannot hold what the run produces."""


class StreamSink:
    """Text, Markdown, JSON (JSON Lines for several clusters) or one HTML page, to a stream.

    A regular output file is written as ``.NAME.*.partial`` beside it (a new file of a random name)
    and renamed over it on close,
    so an earlier file of that name is replaced only by a complete run's output (what a run that
    failed half-way produced is kept too: close renames it as well); a hard kill leaves the
    ``.partial`` file and the earlier output untouched. Devices and pipes are written directly.
    """

    def __init__(self, output: str | None, fmt: str, several: bool, config: RunConfig) -> None:
        self.target = Path(output) if output else None
        self.partial: Path | None = None
        self.lock: OutputLock | None = None
        if self.target is None:
            self.stream: TextIO = sys.stdout
        elif self.target.exists() and not self.target.is_file():
            self.stream = open(self.target, "w", encoding="utf-8")  # /dev/stdout, a FIFO
        else:
            # A batch writing this file holds its lock: replacing the file under it lost every record
            # the batch then wrote to the unlinked old one (redteam D3).
            self.lock = OutputLock(self.target) if self.target.is_file() else None
            self.stream, self.partial = open_beside(self.target, ".partial")
        self.fmt = fmt
        self.several = several
        self.config = config

    @property
    def lines(self) -> bool:
        """JSON Lines: always with jsonl, and for json when the input holds several clusters."""
        return self.fmt == "jsonl" or (self.several and self.fmt == "json")

    def write(self, summary: Summary, cluster: Cluster) -> None:
        if self.lines:
            self.stream.write(json.dumps(summary_record(summary, cluster, self.config), ensure_ascii=False) + "\n")
        else:
            if self.several and self.fmt == "text":
                self.stream.write(f"=== {cluster.cluster_id}\n")
            self.stream.write(render(summary, cluster, self.config, self.fmt))
        self.stream.flush()

    def error(self, cluster_id: str, message: str) -> None:
        if self.lines:
            self.stream.write(json.dumps(error_record(cluster_id, message), ensure_ascii=False) + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is sys.stdout:
            return
        self.stream.close()
        if self.partial is not None:
            os.replace(self.partial, self.target)
        if self.lock is not None:
            self.lock.release()


class HtmlFolderSink:
    """One page per cluster plus ``index.html``, each written atomically."""

    def __init__(self, directory: str, title: str) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise OutputError(f"--output {directory!r} is a file; HTML for several clusters needs a folder")
        self.title = title
        self.entries: list[IndexEntry] = []
        # Page names given in this run, case-folded: "Story" and "story" (or a second cluster with
        # one id) must not share a file, also where the file system ignores case (macOS, Windows).
        self.names_taken = {"index.html"}

    def write(self, summary: Summary, cluster: Cluster) -> None:
        name = page_name(cluster.cluster_id)
        stem, copy = name.removesuffix(".html"), 1
        while name.casefold() in self.names_taken:
            copy += 1
            name = f"{stem}-{copy}.html"
        self.names_taken.add(name.casefold())
        write_page(self.directory, name, render_html(summary, cluster))
        self._add(IndexEntry(cluster.cluster_id, name, opening(summary.text), len(cluster.documents)))

    def error(self, cluster_id: str, message: str) -> None:
        self._add(IndexEntry(cluster_id, None, f"error: {message}", 0))

    def _add(self, entry: IndexEntry) -> None:
        self.entries.append(entry)
        # Rewritten every few pages (not every page: that is quadratic on long runs), so an
        # interrupted run still has a usable index; close() writes the complete one.
        if len(self.entries) % 25 == 1:
            self._write_index()

    def _write_index(self) -> None:
        write_page(self.directory, "index.html", render_index(self.entries, self.title))

    def close(self) -> None:
        self._write_index()


def open_sink(output: str | None, fmt: str, several: bool, config: RunConfig, title: str):
    """The sink for a run: HTML of several clusters (or into a folder) goes to a folder of pages;
    ``-`` is standard output."""
    output = None if output == "-" else output
    if fmt == "html":
        folder = output is not None and (Path(output).is_dir() or output.endswith(("/", "\\")))
        if several and (output is None or output.lower().endswith((".html", ".htm"))):
            raise OutputError("the input holds several clusters: give --output FOLDER for one HTML page per "
                              "cluster plus index.html")
        if several or folder:
            return HtmlFolderSink(output, title)
    if output is not None and (output.endswith(("/", "\\")) or Path(output).is_dir()):
        raise OutputError(f"--output {output!r} is a folder; --format {fmt} writes one file: give its name "
                          "(a folder of pages is for --format html)")
    try:
        return StreamSink(output, fmt, several, config)
    except OSError as error:
        raise OutputError(f"--output {output!r} cannot be written ({error.strerror or error}); give a file in a "
                          "writable folder") from None
