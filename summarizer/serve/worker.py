"""The service's one model worker: the models loaded once, requests taken from a bounded queue,
those waiting together summarised as one batch.

One thread owns the models (torch runs its own threads inside each call; two callers at once
would only fight over the cores). The HTTP side puts a ``Task`` on the queue and awaits its
``Future``: a full queue is refused at once (the server answers 503), and a future cancelled
while it waits (the client went away, or its time ran out) is dropped unrun.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Literal

from summarizer.config_schema import RunConfig
from summarizer.runtime import release_free_memory
from summarizer.types import Cluster

log = logging.getLogger(__name__)

#: pipelines kept for configs other than the served one (request overrides), least recently used dropped
_PIPELINES_KEPT = 4


class Busy(Exception):
    """The queue is full: try again later."""


@dataclass(frozen=True)
class Task:
    """One request's work: summarise ``cluster``, or list its cross-outlet facts, under ``config``."""

    kind: Literal["summary", "facts"]
    cluster: Cluster
    config: RunConfig


@dataclass
class Counters:
    """What the worker has done since it started (``GET /healthz``)."""

    running: int = 0  # tasks of the pass under way
    completed: int = 0
    failed: int = 0
    dropped: int = 0  # cancelled before they ran: the client went away or its time ran out
    batches: int = 0
    largest_batch: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def as_dict(self) -> dict[str, int]:
        with self.lock:
            return {"running": self.running, "completed": self.completed, "failed": self.failed, "dropped": self.dropped,
                    "batches": self.batches, "largest_batch": self.largest_batch}


class ModelWorker:
    """Loads the pipeline for ``config`` once and runs tasks from a queue of ``queue_size`` places,
    up to ``batch_size`` of them per pass."""

    def __init__(self, config: RunConfig, queue_size: int, batch_size: int) -> None:
        from summarizer.pipeline import Pipeline

        self.config = config
        self.base = Pipeline(config)
        self._pipelines: OrderedDict[RunConfig, object] = OrderedDict()
        self.batch_size = batch_size
        self.queue: queue.Queue[tuple[Task, Future] | None] = queue.Queue(maxsize=queue_size)
        self.counters = Counters()
        self._thread = threading.Thread(target=self._loop, name="summarizer-model-worker", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def submit(self, task: Task) -> Future:
        """Queue ``task``; ``Busy`` when the queue is full."""
        future: Future = Future()
        try:
            self.queue.put_nowait((task, future))
        except queue.Full:
            raise Busy from None
        return future

    def close(self) -> None:
        """Stop after the tasks already queued."""
        self.queue.put(None)
        self._thread.join(timeout=60)

    def _loop(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            jobs = [first]
            while len(jobs) < self.batch_size:  # whatever waits now joins this pass
                try:
                    job = self.queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self.queue.put(None)  # stop after this pass
                    break
                jobs.append(job)
            live = [(task, future) for task, future in jobs if future.set_running_or_notify_cancel()]
            with self.counters.lock:
                self.counters.dropped += len(jobs) - len(live)
                self.counters.running = len(live)
            groups: dict[tuple[str, RunConfig], list[tuple[Task, Future]]] = {}
            for task, future in live:
                groups.setdefault((task.kind, task.config), []).append((task, future))
            for group in groups.values():
                self._run(group)
            with self.counters.lock:
                self.counters.running = 0
            release_free_memory()  # resident memory flat over a server's life (summarizer/runtime.py)

    def _run(self, group: list[tuple[Task, Future]]) -> None:
        """One pass over tasks of one kind and config; a failure is retried task by task, so one
        bad cluster fails its own request only."""
        try:
            results = self._results([task for task, _ in group])
        except Exception as error:  # noqa: BLE001 (reported to each caller, never to the loop)
            if len(group) > 1:
                for job in group:
                    self._run([job])
                return
            log.exception("request failed in the model worker")
            with self.counters.lock:
                self.counters.failed += 1
            group[0][1].set_exception(error)
            return
        with self.counters.lock:
            self.counters.completed += len(group)
            self.counters.batches += 1
            self.counters.largest_batch = max(self.counters.largest_batch, len(group))
        for (_, future), result in zip(group, results):
            future.set_result(result)

    def _results(self, tasks: list[Task]) -> list:
        pipeline = self._pipeline(tasks[0].config)
        if tasks[0].kind == "facts":
            from summarizer.api import facts_in_cluster

            return [facts_in_cluster(t.cluster, t.config, pipeline.encoder, by_input_position=True) for t in tasks]
        return list(pipeline.summarize_batch([t.cluster for t in tasks]).summaries)

    def _pipeline(self, config: RunConfig):
        """The pipeline for ``config``: the served one, or one sharing its loaded models."""
        if config == self.config:
            return self.base
        if config not in self._pipelines:
            from summarizer.pipeline import Pipeline

            # Request overrides never name a model (serve/inputs.py): the same generator serves,
            # unless the request asked for the extractive backend, which loads nothing.
            same_generator = config.fuse == self.config.fuse
            self._pipelines[config] = Pipeline(config, self.base.generator if same_generator else None)
            while len(self._pipelines) > _PIPELINES_KEPT:
                self._pipelines.popitem(last=False)
        self._pipelines.move_to_end(config)
        return self._pipelines[config]
