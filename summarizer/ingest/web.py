"""Articles from the web: a URL, or a file listing URLs (one per line), read with a timeout and a
size limit (``ingest.url_timeout``, ``ingest.max_url_bytes``).

The standard library's ``urllib`` fetches (no extra dependency for a plain GET); the page then
goes through the same cleaning as a saved file (HTML to text, outlet name from ``og:site_name`` or
the title's suffix, else the site's host name). A URL that fails is named with the reason (HTTP
status, timeout, size) and skipped; the other articles of the list are still read.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse
from urllib.request import HTTPHandler, HTTPRedirectHandler, HTTPSHandler, Request, build_opener

from summarizer.config_schema import IngestConfig
from summarizer.ingest.records import Decoded, InputError, decode_bytes, finish_cluster, make_document
from summarizer.text import printable
from summarizer.types import Document, Item

_URL = re.compile(r"https?://\S+\Z", re.IGNORECASE)
#: how much of a file is read to decide whether it lists URLs
_SNIFF_BYTES = 65536


def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def lists_urls(path: Path) -> bool:
    """Whether a text file holds only URLs, one per line (blank lines and "#" comments allowed)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    lines = [line.strip() for line in head.splitlines() if line.strip() and not line.strip().startswith("#")]
    return bool(lines) and all(is_url(line) for line in lines)


@dataclass(frozen=True)
class Page:
    """A fetched page: its decoded text and the address it came from after redirects."""

    decoded: Decoded
    url: str


# What may be read as an article: HTML, plain text and XML; a missing type is sniffed like a file.
_TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml")


def fetch(url: str, config: IngestConfig) -> Page:
    """The page at ``url``, decoded by the charset the server names (else as a file is); an
    ``InputError`` naming the URL when it cannot be had within the timeout and size limit, or is
    no page or text (a script, an image, a compressed body)."""
    if not is_url(url):  # file:, ftp:, data: … : a URL list must not read local files (redteam S2)
        raise InputError(f"{url}: only http:// and https:// addresses are fetched")
    _check_address(url, config)
    handlers = [_CheckedRedirects(config)]
    if config.refuse_private_addresses:  # checked again at connect time, on the address connected to
        handlers += [_CheckedHTTPHandler(), _CheckedHTTPSHandler()]
    opener = build_opener(*handlers)
    try:
        request = Request(url, headers={"User-Agent": "summarizer (+https://pypi.org/project/summarizer)"})
        with opener.open(request, timeout=config.url_timeout) as response:  # http(s) only, redirects too
            kind = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
            encoding = response.headers.get("Content-Encoding", "identity").lower()
            if kind.startswith("text/javascript") or (kind and not kind.startswith(_TEXT_TYPES)):
                raise InputError(f"{url}: the server sends {kind}, not a page or text; give the article's address")
            if encoding not in ("", "identity"):  # we ask for none; a gzip body is no text (redteam W5)
                raise InputError(f"{url}: the server sends a {encoding}-compressed body, which is not read")
            data = _read_within(response, url, config)
            charset = response.headers.get_content_charset()
            announced = response.headers.get("Content-Length", "")
            final = response.geturl()  # where redirects led: what the document cites (redteam S3)
    except HTTPError as error:
        raise InputError(f"{url}: the server answered HTTP {error.code} {error.reason}") from None
    except (URLError, socket.timeout, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            reason = f"no answer within ingest.url_timeout={config.url_timeout:g} s"
        raise InputError(f"{url}: could not be fetched ({reason})") from None
    except (HTTPException, ValueError) as error:  # a broken status line, chunk or header; a bad address
        raise InputError(f"{url}: could not be fetched ({type(error).__name__}: {str(error)[:200]})") from None
    if len(data) > config.max_url_bytes:
        raise InputError(f"{url}: larger than ingest.max_url_bytes={config.max_url_bytes:,}; raise it with "
                         "--set ingest.max_url_bytes=N if this page really is one article")
    if announced.isdigit() and int(announced) > len(data):  # the server closed early (redteam W4)
        raise InputError(f"{url}: cut short: {len(data):,} of the {int(announced):,} bytes the server announced")
    if charset and charset.lower().replace("-", "").startswith(("utf16", "utf32")) and b"\x00" not in data[:4096]:
        charset = None  # a wide encoding without a single zero byte is a wrong header (redteam W5)
    if charset:
        try:
            return Page(Decoded(data.decode(charset)), final)
        except (LookupError, UnicodeError):  # "charset=undefined" raises UnicodeError itself
            pass  # a wrong or unknown charset header: decode as a saved file is
    return Page(decode_bytes(data, url), final)


def _read_within(response, url: str, config: IngestConfig) -> bytes:
    """The body, read as it arrives (``read1``), 64 KiB at most at a time, until it ends, passes
    ``ingest.max_url_bytes`` or the whole fetch passes ``ingest.url_timeout``: a server sending a
    byte a second was never cut off (the timeout bounds each read), and a large limit was allocated
    whole up front (redteam H1, H4)."""
    deadline = time.monotonic() + config.url_timeout
    chunks, size = [], 0
    while size <= config.max_url_bytes:
        if time.monotonic() > deadline:
            raise InputError(f"{url}: could not be fetched (not all received within "
                             f"ingest.url_timeout={config.url_timeout:g} s)")
        chunk = response.read1(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _check_address(url: str, config: IngestConfig) -> None:
    """With ``ingest.refuse_private_addresses``: refuse a host that resolves to a loopback, private,
    link-local, reserved or multicast address (this machine, its network, a cloud metadata service)."""
    if config.refuse_private_addresses:
        _public_addresses(urlparse(url).hostname or "", 80, url)


def _refused(address: str) -> bool:
    """Whether an address is this machine's, a private network's or otherwise not global; an IPv4
    address inside IPv6 (mapped, 6to4, NAT64 64:ff9b::/96) is judged as the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped or ip.sixtofour:
            ip = ip.ipv4_mapped or ip.sixtofour
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return not ip.is_global or ip.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public_addresses(host: str, port: int, url: str) -> list[tuple]:
    """``getaddrinfo``'s answers for ``host``, or an ``InputError`` when any of them is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise InputError(f"{url}: could not be fetched (the host does not resolve: {error})") from None
    for info in infos:
        if _refused(info[4][0]):
            raise InputError(f"{url}: refused: {host} is {info[4][0]}, an address of this machine or a private "
                             "network (ingest.refuse_private_addresses)")
    return infos


def _connect_checked(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **_):
    """``socket.create_connection`` to an address that was checked in this very call: a host whose
    name resolves to a public address when checked and to 127.0.0.1 when connecting (DNS
    rebinding) is connected only to the address that was checked."""
    host, port = address
    last_error: OSError | None = None
    for family, kind, proto, _name, target in _public_addresses(host, port, f"{host}:{port}"):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(target)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    raise last_error or OSError(f"{host}: no address to connect to")


class _CheckedHTTP(HTTPConnection):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked  # http.client sets socket.create_connection here


class _CheckedHTTPS(HTTPSConnection):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked


class _CheckedHTTPHandler(HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTP, req)


class _CheckedHTTPSHandler(HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPS, req)


class _CheckedRedirects(HTTPRedirectHandler):
    """Redirects are followed only to http(s) addresses (urllib would go on to ftp:), and with
    ``ingest.refuse_private_addresses`` only to public ones."""

    def __init__(self, config: IngestConfig) -> None:
        self.config = config

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(newurl):
            raise HTTPError(req.full_url, code, f"redirected to {newurl[:200]}, which is not http(s)", headers, fp)
        try:
            _check_address(newurl, self.config)
        except InputError as error:
            raise HTTPError(req.full_url, code, f"redirected: {error}", headers, fp) from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _name(url: str) -> str:
    """A document id from a URL: its host without "www." ("dailyledger.com"); "page" when it has none."""
    try:
        host = urlparse(url).hostname or "page"
    except ValueError:  # "http://[::1": no host to read
        host = "page"
    return printable(host.removeprefix("www."))


def _document(url: str, doc_id: str, config: IngestConfig, warnings: list[str]) -> Document:
    page = fetch(url, config)
    if page.decoded.warning:
        warnings.append(page.decoded.warning)
    if page.url != url:
        warnings.append(f"{url}: redirected to {page.url}, which the document cites")
    return make_document(doc_id, page.decoded.text, "", page.url, config)


def read_url(path: str | Path, config: IngestConfig) -> Iterator[Item]:
    """One URL: a one-document cluster, or an error item naming the URL."""
    url = str(path)
    cluster_id = _name(url)
    warnings: list[str] = []
    try:
        document = _document(url, cluster_id, config, warnings)
        yield Item(cluster_id, finish_cluster(cluster_id, [document], (), warnings, config, url), where=url)
    except InputError as error:
        yield Item(cluster_id, None, str(error), url)


def read_url_list(path: str | Path, config: IngestConfig) -> Iterator[Item]:
    """A file listing URLs: one cluster, one document per URL; a URL that fails is a warning."""
    path = Path(path)
    cluster_id, where = printable(path.stem), printable(str(path))
    urls = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip() and not line.strip().startswith("#")]
    if len(urls) > config.max_documents:  # counted before anything is fetched (redteam H3)
        yield Item(cluster_id, None, f"{where}: {len(urls)} URLs is over ingest.max_documents={config.max_documents}; "
                   "raise it with --set ingest.max_documents=N", where)
        return
    documents: list[Document] = []
    warnings: list[str] = []
    names: dict[str, int] = {}
    for url in urls:
        base = _name(url)
        names[base] = names.get(base, 0) + 1
        doc_id = base if names[base] == 1 else f"{base}-{names[base]}"
        try:
            documents.append(_document(url, doc_id, config, warnings))
        except InputError as error:
            warnings.append(f"{error}; skipped")
    try:
        yield Item(cluster_id, finish_cluster(cluster_id, documents, (), warnings, config, where), where=where)
    except InputError as error:
        yield Item(cluster_id, None, str(error), where)
