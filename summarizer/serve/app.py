"""The HTTP service (Starlette on uvicorn): the API, the editor's page, health and version.

Every model call goes through the one ``ModelWorker``; this module reads and checks requests,
waits for the worker's answer (dropping the work when the client goes away or its time runs
out) and renders the answer in the format asked for. No exception text or trace reaches a client.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass
from importlib import resources

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.schemas import SchemaGenerator

from summarizer import __version__
from summarizer.config_schema import RunConfig
from summarizer.errors import UsageError
from summarizer.serve.inputs import BadRequest, parse_body, read_request
from summarizer.serve.worker import Busy, ModelWorker, Task

log = logging.getLogger(__name__)

_SECURE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
_FORMATS = {"json": "application/json", "html": "text/html; charset=utf-8",
            "markdown": "text/markdown; charset=utf-8", "text": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class ServiceSettings:
    """How the service takes work (``serve``'s options)."""

    token: str = ""  # a bearer token every POST must carry; empty: none
    queue_size: int = 32  # requests waiting for the model worker; one more is answered 503
    batch_size: int = 8  # most waiting requests summarised in one pass
    request_timeout: float = 300.0  # seconds a request may wait and run
    max_body_bytes: int = 10_000_000


class _Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _asset(name: str) -> str:
    return resources.files("summarizer.assets").joinpath(name).read_text(encoding="utf-8")


def _page_policy() -> str:
    """The editor page's Content-Security-Policy. The summary page it shows in a sandboxed frame
    inherits it, so the summary page's one inline script is allowed by its hash, nothing else."""
    from summarizer.render.html import page_script

    digest = base64.b64encode(hashlib.sha256(page_script().encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; script-src 'self' 'sha256-{digest}'; style-src 'self' 'unsafe-inline'; "
            "connect-src 'self'; img-src data:; frame-src blob:; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


class _Service:
    """The endpoints, over one worker, one config and the service's settings."""

    def __init__(self, config: RunConfig, settings: ServiceSettings, worker: ModelWorker) -> None:
        self.config, self.settings, self.worker = config, settings, worker
        self.page = _asset("editor.html")
        self.static = {"editor.js": ("text/javascript; charset=utf-8", _asset("editor.js")),
                       "editor.css": ("text/css; charset=utf-8", _asset("editor.css"))}
        self.policy = _page_policy()
        self.schemas = SchemaGenerator({"openapi": "3.0.0", "info": {"title": "summarizer", "version": __version__}})

    def _check_token(self, request: Request) -> None:
        if not self.settings.token:
            return
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode("utf-8"), f"Bearer {self.settings.token}".encode()):
            raise _Refused(401, "missing or wrong bearer token (Authorization: Bearer <token>)",
                           {"WWW-Authenticate": "Bearer"})

    async def _body(self, request: Request) -> bytes:
        limit = self.settings.max_body_bytes
        too_large = _Refused(413, f"the body is over this server's limit of {limit:,} bytes")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    async def _outcome(self, request: Request, kind: str):
        """The request read, queued and waited for: (what it asked, the worker's answer)."""
        self._check_token(request)
        data = parse_body(await self._body(request))
        given = await run_in_threadpool(read_request, data, self.config)  # URL fetching and cleaning off the loop
        try:
            future = self.worker.submit(Task(kind, given.cluster, given.config))
        except Busy:
            raise _Refused(503, "the server is busy: try again shortly", {"Retry-After": "5"}) from None
        waiter = asyncio.wrap_future(future)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.request_timeout
        while not waiter.done():
            await asyncio.wait({waiter}, timeout=0.25)
            if waiter.done():
                break
            if await request.is_disconnected():
                future.cancel()  # still queued: dropped unrun; running: its answer is dropped
                raise _Refused(499, "the client went away")
            if loop.time() > deadline:
                future.cancel()
                raise _Refused(504, f"not finished within this server's {self.settings.request_timeout:g} s per request")
        return given, waiter.result()

    async def summaries(self, request: Request) -> Response:
        """
        summary: One neutral, cited summary of several outlets' articles.
        description: >-
          Body {"documents": [text | URL | {"title", "text", "outlet", "date", "url"}], "config"?:
          {"retrieve": {"summary_words": 80}}, "id"?}. Answers the JSON record `run --format json`
          writes, or ?format=html|markdown|text. 422: what to fix; 503: busy (Retry-After).
        """
        fmt = request.query_params.get("format", "json")
        if fmt not in _FORMATS:
            raise _Refused(400, f"format={fmt!r}: choose one of {', '.join(_FORMATS)}")
        given, summary = await self._outcome(request, "summary")
        from summarizer.render.formats import render

        text = await run_in_threadpool(render, summary, summary.selection.cluster, given.config, fmt)
        headers = {**_SECURE, "Content-Security-Policy": "sandbox"} if fmt == "html" else _SECURE
        return Response(text, media_type=_FORMATS[fmt], headers=headers)

    async def facts(self, request: Request) -> Response:
        """
        summary: Which sentences of different outlets state the same fact.
        description: >-
          Body as for /v1/summaries. Answers every fact (what `summarizer.align_facts` returns):
          members with their document's index in the request, sentence index and text.
        """
        given, found = await self._outcome(request, "facts")
        outlets = {d.doc_id: d.name for d in given.cluster.documents}

        def member(m) -> dict:
            return {"document": m.document, "sentence": m.sentence, "outlet": outlets[m.doc_id], "text": m.text}

        return JSONResponse({"id": given.cluster.cluster_id, "warnings": list(given.cluster.warnings),
                             "facts": [{"confidence": round(f.confidence, 4), "members": [member(m) for m in f.members],
                                        "also": [member(m) for m in f.also], "stated_by": list(f.stated_by)}
                                       for f in found]}, headers=_SECURE)

    async def health(self, request: Request) -> Response:
        """
        summary: Whether the model worker is alive, how many requests wait and run, what it has done.
        """
        alive = self.worker.alive
        body = {"status": "ok" if alive else "down", "queued": self.worker.queue.qsize(), **self.worker.counters.as_dict()}
        return JSONResponse(body, status_code=200 if alive else 503, headers=_SECURE)

    async def version(self, request: Request) -> Response:
        """
        summary: The program's version, the served backend and model, and whether POSTs need a token.
        """
        import torch

        return JSONResponse({"summarizer": __version__, "backend": self.config.fuse.backend,
                             "model": self.worker.base.generator.model_id, "torch_threads": torch.get_num_threads(),
                             "token_required": bool(self.settings.token)}, headers=_SECURE)

    async def editor(self, request: Request) -> Response:
        return Response(self.page, media_type="text/html; charset=utf-8",
                        headers={**_SECURE, "Content-Security-Policy": self.policy, "X-Frame-Options": "DENY"})

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.static:
            raise _Refused(404, f"no asset {name!r}")
        kind, text = self.static[name]
        return Response(text, media_type=kind, headers=_SECURE)

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(self.schemas.get_schema(routes=request.app.routes), headers=_SECURE)


async def _refused(request: Request, error: Exception) -> Response:
    """Every error as {"error": message}; an unexpected one by a reference into the server's log,
    never its text or trace."""
    if isinstance(error, _Refused):
        return JSONResponse({"error": error.message}, status_code=error.status, headers={**_SECURE, **error.headers})
    if isinstance(error, UsageError):  # BadRequest, a config value, an input the ingest refuses
        status = error.status if isinstance(error, BadRequest) else 422
        return JSONResponse({"error": str(error)}, status_code=status, headers=_SECURE)
    reference = uuid.uuid4().hex[:12]
    log.error("request %s failed", reference, exc_info=error)
    return JSONResponse({"error": f"internal error; the server's log has it as {reference}"}, status_code=500,
                        headers=_SECURE)


def create_app(config: RunConfig, settings: ServiceSettings, worker: ModelWorker | None = None) -> Starlette:
    """The ASGI application; ``worker`` loads the models for ``config`` unless given."""
    service = _Service(config, settings, worker or ModelWorker(config, settings.queue_size, settings.batch_size))
    routes = [Route("/", service.editor, include_in_schema=False),
              Route("/assets/{name}", service.asset, include_in_schema=False),
              Route("/healthz", service.health), Route("/v1/version", service.version),
              Route("/v1/summaries", service.summaries, methods=["POST"]),
              Route("/v1/facts", service.facts, methods=["POST"]),
              Route("/openapi.json", service.openapi, include_in_schema=False)]
    app = Starlette(routes=routes, exception_handlers={Exception: _refused, _Refused: _refused, UsageError: _refused})
    app.state.worker = service.worker
    return app
