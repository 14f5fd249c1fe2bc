"""The ``serve`` command: check the options, load the models, listen."""
from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path

from summarizer.config import load_config
from summarizer.errors import UsageError

log = logging.getLogger(__name__)


def _token(path: str | None) -> str:
    if not path:
        return ""
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--token-file {path}: cannot be read ({error})") from None
    if len(token) < 16 or any(c.isspace() for c in token):
        raise UsageError(f"--token-file {path}: the token must be one word of at least 16 characters, e.g. "
                         "`python -c \"import secrets; print(secrets.token_urlsafe(32))\" > token.txt`")
    return token


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(args: argparse.Namespace) -> int:
    """Load the models once and serve the API and the editor's page until interrupted."""
    from summarizer.serve.app import ServiceSettings

    for name, value, low in (("--port", args.port, 1), ("--queue-size", args.queue_size, 1),
                             ("--batch-size", args.batch_size, 1), ("--max-body-mb", args.max_body_mb, 1)):
        if value < low or (name == "--port" and value > 65535):
            raise UsageError(f"{name} {value}: out of range")
    if not args.timeout > 0:
        raise UsageError(f"--timeout {args.timeout}: give seconds > 0")
    settings = ServiceSettings(token=_token(args.token_file), queue_size=args.queue_size,
                               batch_size=args.batch_size, request_timeout=args.timeout,
                               max_body_bytes=args.max_body_mb * 1_000_000)
    config = load_config(args.config, args.overrides)
    # The server fetches for its callers: their URLs must not reach this machine or its network.
    config = replace(config, ingest=replace(config.ingest, refuse_private_addresses=not args.allow_private_addresses))
    if not _loopback(args.host) and not settings.token:
        log.warning("listening on %s without --token-file: anyone who can reach it may use it", args.host)
    import uvicorn

    from summarizer.runtime import size_torch_threads
    from summarizer.serve.app import create_app

    threads = size_torch_threads()
    started = time.perf_counter()
    app = create_app(config, settings)
    log.info("models ready in %.1f s (%s backend, %d torch threads); serving on http://%s:%d/",
             time.perf_counter() - started, config.fuse.backend, threads, args.host, args.port)
    sys.stderr.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning" if args.quiet else "info",
                server_header=False, timeout_graceful_shutdown=10)
    return 0
