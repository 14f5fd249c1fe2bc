"""Issue #33: `python -m summarizer serve` through a real server process on a free port: the API,
the editor's page in a real browser, SSRF refused, a full queue answering 503, a client that goes
away leaving the worker healthy, memory flat over repeated requests, torch threads sized."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest
from helpers import EXAMPLE, ROOT

ARTICLES = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.txt"))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``python -m summarizer serve`` in its own process, ready once /healthz answers."""

    def __init__(self, log: Path, *options: str, backend: str = "extractive") -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, "-m", "summarizer", "serve", "--port", str(self.port), "--quiet",
                   "--set", f"fuse.backend={backend}", *options]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve exited with {self.process.returncode}: {log.read_text()[-1500:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail(f"serve did not answer /healthz within 240 s: {log.read_text()[-1500:]}")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 120) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def get(self, path: str) -> tuple[int, Message, bytes]:
        return self.request("GET", path, timeout=5)

    def post(self, path: str, data, token: str = "", timeout: float = 120) -> tuple[int, Message, bytes]:
        body = data if isinstance(data, bytes) else json.dumps(data).encode("utf-8")
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        return self.request("POST", path, body, headers, timeout)

    def health(self) -> dict:
        return json.loads(self.get("/healthz")[2])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("serve") / "serve.log")
    yield running
    running.stop()


def test_the_api_answers_what_the_python_api_gives(server):
    from summarizer import Summarizer

    status, headers, body = server.post("/v1/summaries", {"documents": ARTICLES})
    assert status == 200, body[:500]
    record = json.loads(body)
    expected = Summarizer(fuse={"backend": "extractive"})(ARTICLES)
    assert record["summary"] == expected.text and record["sentences"] and record["comparison"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, body = server.post("/v1/summaries?format=text", {"documents": ARTICLES})
    assert "[1] Article 1" in body.decode() and "[2] River Post" in body.decode()  # a name where none is given
    for fmt, kind, mark in (("text", "text/plain", "[1"), ("markdown", "text/markdown", "##"),
                            ("html", "text/html", "<!doctype html>")):
        status, headers, body = server.post(f"/v1/summaries?format={fmt}", {"documents": ARTICLES})
        assert status == 200 and headers["content-type"].startswith(kind) and mark in body.decode(), fmt
    status, _, body = server.post("/v1/facts", {"documents": [{"title": "Bridge", "text": t} for t in ARTICLES]})
    facts = json.loads(body)["facts"]
    shared = [f for f in facts if len({m["document"] for m in f["members"]}) > 1]
    assert status == 200 and shared
    for fact in facts:
        for member in fact["members"]:
            assert member["text"] in ARTICLES[member["document"]]
    version = json.loads(server.get("/v1/version")[2])
    assert version["backend"] == "extractive" and version["token_required"] is False
    schema = json.loads(server.get("/openapi.json")[2])
    assert {"/v1/summaries", "/v1/facts", "/healthz", "/v1/version"} <= set(schema["paths"])


def test_bad_requests_say_what_to_fix_and_never_show_a_trace(server):
    cases = [
        (b"not json", 400, "the body is not JSON"),
        ({"docs": ARTICLES}, 422, "unknown field 'docs'"),
        ({"documents": []}, 422, '"documents" must be a non-empty list'),
        ({"documents": ARTICLES, "config": {"fuse": {"model": "/etc"}}}, 422, "config.fuse.model cannot be set"),
        ({"documents": ARTICLES, "config": {"embedding": {"device": "cuda"}}}, 422, "cannot be set by a request"),
        ({"documents": ARTICLES, "config": {"retrieve": {"summary_words": "many"}}}, 422, "retrieve.summary_words"),
        ({"documents": [{"text": ARTICLES[0], "path": "/etc/passwd"}]}, 422, "unknown field 'path'"),
        ({"documents": ["file:///etc/passwd", ARTICLES[0]]}, 200, ""),  # a text, never a file
        ({"documents": ARTICLES * 70}, 422, "over this server's limit of 200"),
    ]
    for data, status, message in cases:
        got, _, body = server.post("/v1/summaries", data)
        said = json.loads(body).get("error", "")
        assert got == status and message in said, (data if isinstance(data, bytes) else str(data)[:80], body)
        assert b"Traceback" not in body and b'File "' not in body
    assert b"passwd" not in server.post("/v1/summaries?format=text", {"documents": ["file:///etc/passwd"] + ARTICLES})[2]
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", "/v1/summaries")
    connection.putheader("Content-Length", "11000000")  # refused on its declared length, before the body
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 413 and b"over this server's limit" in answer.read()
    connection.close()
    assert server.post("/v1/summaries?format=pdf", {"documents": ARTICLES})[0] == 400


def test_urls_that_reach_this_machine_or_its_network_are_refused(server):
    """SSRF: the server fetches for its callers; loopback (the server itself), a private network
    and the cloud metadata address are refused after resolution, not fetched."""
    for url in (f"{server.url}/healthz", "http://localhost:22/", "http://10.0.0.1/", "http://169.254.169.254/latest/",
                "http://[::1]/", "http://0x7f000001/"):
        status, _, body = server.post("/v1/summaries", {"documents": [url, ARTICLES[0]]})
        assert status == 200 or status == 422, body
        assert "refused" in body.decode() or "could not be fetched" in body.decode(), (url, body[:300])
    status, _, body = server.post("/v1/summaries", {"documents": [f"{server.url}/healthz", "http://10.0.0.1/"]})
    assert status == 422 and body.decode().count("refused") == 2


def test_the_editors_page_summarises_pasted_articles_in_a_browser(server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_html import _browser

    driver = _browser()
    try:
        driver.get(server.url + "/")
        driver.find_element(By.ID, "add").click()
        for n, article in enumerate(ARTICLES, start=1):
            driver.find_element(By.ID, f"article-{n}").send_keys(article)
        driver.find_element(By.ID, "length").send_keys("short")
        driver.find_element(By.ID, "go").click()
        WebDriverWait(driver, 120).until(lambda d: d.find_element(By.ID, "status").text.startswith("Done")
                                         or d.find_element(By.ID, "error").is_displayed())
        assert not driver.find_element(By.ID, "error").is_displayed(), driver.find_element(By.ID, "error").text
        driver.switch_to.frame(driver.find_element(By.ID, "page"))
        summary = driver.find_element(By.CSS_SELECTOR, ".summary").text
        assert "bridge" in summary.lower() and len(summary.split()) < 120
        driver.find_elements(By.CSS_SELECTOR, "a.cite")[0].click()  # the headline's: a link to its source
        cite = [c for c in driver.find_elements(By.CSS_SELECTOR, ".summary a.cite") if c.get_attribute("data-targets")][0]
        cite.click()  # the summary page's own script runs under the editor page's policy (its hash)
        assert driver.find_elements(By.CSS_SELECTOR, ".sent.hl")
        driver.switch_to.default_content()
        blocked = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
        assert blocked == []
        # An error says what to fix.
        for area in driver.find_elements(By.CSS_SELECTOR, "textarea.article"):
            area.clear()
        driver.find_element(By.ID, "article-1").send_keys("Too short.")
        driver.find_element(By.ID, "go").click()
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "error").is_displayed())
        assert "at least two articles" in driver.find_element(By.ID, "error").text
    finally:
        driver.quit()


@pytest.mark.slow
def test_the_api_on_the_seeds_with_the_default_backend(seeds_dir, tmp_path):
    """Five full articles through the served default backend (the embedded model loaded once)."""
    articles = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    served = Server(tmp_path / "serve.log", backend="wordgraph")
    try:
        status, _, body = served.post("/v1/summaries", {"documents": articles}, timeout=300)
        assert status == 200, body[:300]
        record = json.loads(body)
        assert len(record["sentences"]) >= 3 and all(s["citations"] for s in record["sentences"])
        assert record["model"]["backend"] == "wordgraph" and len(record["comparison"]["outlets"]) == 5
        status, _, body = served.post("/v1/facts", {"documents": articles}, timeout=300)
        assert status == 200 and any(len({m["document"] for m in f["members"]}) >= 3 for f in json.loads(body)["facts"])
        status, _, body = served.post("/v1/summaries?format=html", {"documents": articles}, timeout=300)
        assert status == 200 and b"Where the outlets agree" in body
    finally:
        served.stop()


def test_links_pasted_in_the_page_are_fetched_and_cited(tmp_path):
    """The editor pastes links (here to pages on this machine, so the server is started with
    --allow-private-addresses) and gets the summary whose sources are those addresses."""
    import http.server
    import threading as threads

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_html import _browser

    pages = {f"/story-{n}": ("<html><head><title>Story</title></head><body><article>"
                             + "".join(f"<p>{line}</p>" for line in article.splitlines() if line.strip())
                             + "</article></body></html>").encode() for n, article in enumerate(ARTICLES, start=1)}

    class Pages(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threads.Thread(target=site.serve_forever, daemon=True).start()
    links = [f"http://127.0.0.1:{site.server_address[1]}{path}" for path in pages]
    served = Server(tmp_path / "serve.log", "--allow-private-addresses")
    try:
        status, _, body = served.post("/v1/summaries", {"documents": links})
        record = json.loads(body)
        assert status == 200 and record["summary"], body[:300]
        assert {d["source"] for d in record["documents"]} == set(links)
        driver = _browser()
        try:
            driver.get(served.url + "/")
            driver.find_element(By.ID, "links").send_keys("\n".join(links))
            driver.find_element(By.ID, "go").click()
            WebDriverWait(driver, 120).until(lambda d: d.find_element(By.ID, "status").text.startswith("Done")
                                             or d.find_element(By.ID, "error").is_displayed())
            assert not driver.find_element(By.ID, "error").is_displayed(), driver.find_element(By.ID, "error").text
            driver.switch_to.frame(driver.find_element(By.ID, "page"))
            assert "bridge" in driver.find_element(By.CSS_SELECTOR, ".summary").text.lower()
        finally:
            driver.quit()
    finally:
        served.stop()
        site.shutdown()


def _heavy(nonce: int) -> dict:
    """A cluster of 60 documents of new sentences: seconds of embedding work on two cores."""
    words = "council bridge river budget mayor vote harbor ferry tolls engineers".split()
    documents = []
    for d in range(60):
        sentences = [f"Report {nonce}-{d}-{k}: the {words[(d + k) % 10]} plan of {words[(d * k) % 10]} "
                     f"district {k} costs {nonce + d * 7 + k} million dollars, officials said on day {k}."
                     for k in range(12)]
        documents.append({"title": f"Story {nonce} {d}", "text": " ".join(sentences)})
    return {"documents": documents}


def test_a_full_queue_answers_503_and_a_client_that_went_away_is_dropped(tmp_path):
    token = "t" * 24
    (tmp_path / "token.txt").write_text(token + "\n", encoding="utf-8")
    busy = Server(tmp_path / "serve.log", "--queue-size", "1", "--batch-size", "1", "--token-file",
                  str(tmp_path / "token.txt"))
    try:
        assert busy.post("/v1/summaries", {"documents": ARTICLES})[0] == 401
        assert busy.post("/v1/summaries", {"documents": ARTICLES}, token="wrong" * 5)[0] == 401
        first: list = []
        runner = threading.Thread(target=lambda: first.append(busy.post("/v1/summaries", _heavy(1), token)))
        runner.start()
        _wait(lambda: busy.health()["running"] == 1, "the first request to run")
        # A second request waits in the only place of the queue; its client then goes away.
        gone = socket.create_connection(("127.0.0.1", busy.port))
        body = json.dumps(_heavy(2)).encode()
        gone.sendall(b"POST /v1/summaries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        _wait(lambda: busy.health()["queued"] == 1, "the second request to wait")
        status, headers, answer = busy.post("/v1/summaries", {"documents": ARTICLES}, token)
        assert status == 503 and headers["Retry-After"] == "5" and b"busy" in answer
        gone.close()
        runner.join(timeout=300)
        assert first and first[0][0] == 200
        _wait(lambda: busy.health()["queued"] == 0 and busy.health()["running"] == 0, "the queue to empty")
        health = busy.health()
        assert health["dropped"] == 1 and health["completed"] == 1 and health["status"] == "ok"
        status, _, answer = busy.post("/v1/summaries", {"documents": ARTICLES}, token)
        assert status == 200 and json.loads(answer)["summary"]
    finally:
        busy.stop()


def _wait(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads resident memory from /proc")
def test_memory_stays_flat_over_repeated_requests(server):
    def rounds(n: int) -> None:
        for k in range(n):
            documents = [f"{article}\n\nUpdate {k}: the council will meet again next week." for article in ARTICLES]
            assert server.post("/v1/summaries", {"documents": documents})[0] == 200

    rounds(30)  # warm: caches filled, the allocator's pools grown
    after_warm = _resident_kib(server.process.pid)
    rounds(300)
    after_many = _resident_kib(server.process.pid)
    assert after_many <= after_warm * 1.05, (after_warm, after_many)
