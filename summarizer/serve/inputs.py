"""A request's body read into a cluster and a config: documents as texts, mappings or URLs, and
the few settings a caller may change.

A caller is not the operator: a request may change what a summary says (its length, order,
thresholds), never what the server loads or reads (models, paths, devices), its limits, or its
address checks. URLs are fetched by the one hardened fetcher (``ingest.web``), several at a time.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from summarizer.config import merged_config
from summarizer.config_schema import RunConfig
from summarizer.errors import UsageError
from summarizer.ingest.records import InputError, finish_cluster, make_document
from summarizer.ingest.web import fetch, is_url
from summarizer.types import Cluster, Document

#: settings a request may change: what the summary says, never what the server loads or reads
REQUEST_SETTINGS = {
    "retrieve": {"summary_words", "length_ratio", "min_summary_words", "headline", "order", "selector",
                 "mmr_lambda", "length_exponent", "redundancy_threshold", "min_sentence_words",
                 "max_sentence_words", "weight_corroboration", "weight_centrality", "weight_position",
                 "weight_title"},
    "fuse": {"backend"},  # only to "extractive" (nothing to load) or the served backend
    "neutral": {"drop_loaded_words", "max_outlets_for_colour", "extra_loaded_words", "full_names"},
    "compare": {"enabled", "max_facts", "max_terms", "only_here_confidence", "left_out_confidence"},
    "align": {"same_fact_probability", "min_similarity"},
    "guard": {"min_similarity", "min_content_overlap", "support_top_k", "min_length_ratio"},
}
_DOCUMENT_FIELDS = {"text", "title", "outlet", "date", "url"}
_BODY_FIELDS = {"documents", "config", "id"}
#: URLs of one request fetched at once
_FETCHERS = 8


class BadRequest(UsageError):
    """The request cannot be served as sent; the message says what to fix. ``status``: 400 when the
    body is no JSON object, 422 when its content cannot be used."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RequestInput:
    """What a request asks for: its documents as a cluster, under its config."""

    cluster: Cluster
    config: RunConfig


def parse_body(body: bytes) -> dict[str, Any]:
    """The request's JSON object, or a ``BadRequest`` saying what is wrong with it."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise BadRequest(f"the body is not JSON in UTF-8 ({str(error)[:150]}); send "
                         '{"documents": ["first article ...", "https://..."]}', 400) from None
    if not isinstance(data, dict):
        raise BadRequest(f'the body must be a JSON object such as {{"documents": [...]}}, not {type(data).__name__}',
                         400)
    unknown = sorted(set(data) - _BODY_FIELDS)
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}; the body takes {sorted(_BODY_FIELDS)}")
    return data


def request_config(base: RunConfig, overrides: Any) -> RunConfig:
    """``base`` with the request's ``config`` (``{"retrieve": {"summary_words": 80}}``), each key
    checked against ``REQUEST_SETTINGS`` and validated as ``--set`` is."""
    if overrides is None:
        return base
    if not isinstance(overrides, dict):
        raise BadRequest('"config" must be an object such as {"retrieve": {"summary_words": 80}}')
    for section, values in overrides.items():
        if not isinstance(values, dict):
            raise BadRequest(f'config.{section} must be an object such as {{"summary_words": 80}}')
        for key in values:
            if key not in REQUEST_SETTINGS.get(section, ()):
                allowed = ", ".join(f"{s}.{k}" for s in REQUEST_SETTINGS for k in sorted(REQUEST_SETTINGS[s]))
                raise BadRequest(f"config.{section}.{key} cannot be set by a request (the server's operator sets "
                                 f"it); a request may set: {allowed}")
    backend = overrides.get("fuse", {}).get("backend")
    if backend is not None and backend not in ("extractive", base.fuse.backend):
        raise BadRequest(f"config.fuse.backend={backend!r}: this server runs {base.fuse.backend!r}; a request may "
                         "choose it or 'extractive'")
    return merged_config(base, overrides)


def read_request(data: dict[str, Any], config: RunConfig) -> RequestInput:
    """The request's documents read into a cluster, its URLs fetched; a ``BadRequest`` names the
    document (``documents[2]``) and what to fix."""
    config = request_config(config, data.get("config"))
    entries = data.get("documents")
    if not isinstance(entries, list) or not entries:
        raise BadRequest('"documents" must be a non-empty list: texts, {"title", "text", "outlet", "date"} '
                         "objects or URLs")
    limit = config.ingest.max_documents
    if len(entries) > limit:
        raise BadRequest(f"{len(entries)} documents is over this server's limit of {limit}")
    cluster_id = data.get("id", "request")
    if not isinstance(cluster_id, str) or not cluster_id.strip() or len(cluster_id) > 200:
        raise BadRequest('"id" must be a short non-empty string')
    urls = {i: _url_of(entry, i) for i, entry in enumerate(entries)}
    urls = {i: url for i, url in urls.items() if url}
    with ThreadPoolExecutor(max_workers=min(_FETCHERS, max(1, len(urls)))) as pool:
        pages = dict(zip(urls, pool.map(lambda url: _fetched(url, config), urls.values())))
    documents: list[Document] = []
    warnings: list[str] = []
    for i, entry in enumerate(entries):
        try:
            if i in pages:
                page = pages[i]
                if isinstance(page, InputError):
                    raise page
                if page.decoded.warning:
                    warnings.append(page.decoded.warning)
                fields = entry if isinstance(entry, dict) else {}
                documents.append(make_document(f"d{i}", page.decoded.text, fields.get("title", ""), page.url,
                                               config.ingest, fields.get("outlet", ""), fields.get("date", "")))
            else:
                documents.append(_document(entry, i, config))
        except InputError as error:
            warnings.append(str(error))
    if not documents:
        raise BadRequest("no document could be read: " + "; ".join(warnings))
    # A pasted text that names no outlet is "Article 3" to an editor, not its id "d2".
    documents = [d if d.outlet not in ("", d.doc_id) else replace(d, outlet=f"Article {int(d.doc_id[1:]) + 1}") for d in documents]
    try:
        cluster = finish_cluster(cluster_id, documents, (), warnings, config.ingest, "request")
    except InputError as error:
        raise BadRequest(str(error)) from None
    return RequestInput(cluster, config)


def _url_of(entry: Any, position: int) -> str:
    if isinstance(entry, str) and "\n" not in entry.strip() and is_url(entry):
        return entry.strip()
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - _DOCUMENT_FIELDS)
        if unknown:
            raise BadRequest(f"documents[{position}]: unknown field {unknown[0]!r}; a document takes "
                             f"{sorted(_DOCUMENT_FIELDS)}")
        for key in _DOCUMENT_FIELDS:
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise BadRequest(f"documents[{position}].{key} must be a string")
        url = (entry.get("url") or "").strip()
        if url and entry.get("text"):
            raise BadRequest(f"documents[{position}]: give its \"text\" or its \"url\", not both")
        if url and not is_url(url):
            raise BadRequest(f"documents[{position}].url: only http:// and https:// addresses are fetched")
        return url
    if not isinstance(entry, str):
        raise BadRequest(f"documents[{position}]: expected a text, a URL or an object, got {type(entry).__name__}")
    return ""


def _fetched(url: str, config: RunConfig):
    try:
        return fetch(url, config.ingest)
    except InputError as error:
        return error


def _document(entry: str | dict, position: int, config: RunConfig) -> Document:
    where = f"documents[{position}]"
    if isinstance(entry, str):
        return make_document(f"d{position}", entry, "", where, config.ingest)
    text = entry.get("text") or entry.get("title") or ""
    return make_document(f"d{position}", text, entry.get("title") or "", where, config.ingest,
                         entry.get("outlet") or "", entry.get("date") or "")
