import json

import pytest

from summarizer.config import IngestConfig
from summarizer.ingest import InputError, clean_text, iter_items, read_clusters

CONFIG = IngestConfig()


def test_clean_text_normalises_and_strips_boilerplate():
    raw = ("Headline Without A Full Stop\n"
           "By Jane Doe, Political Correspondent\n"
           "The council \u201cvoted\u201d on\u00a0Tuesday \u2014 late.   It\u2019s done.\n\n"
           "Ten things to know about the river\n"
           "The mayor said the bridge will open in 2029.\n"
           "Additional reporting by Joel Smith and Kim Lee.\n"
           "Source: Example News\n")
    cleaned = clean_text(raw)
    assert cleaned.title == "Headline Without A Full Stop"
    assert cleaned.text == ('The council "voted" on Tuesday \u2014 late. It\'s done.\n'
                            "The mayor said the bridge will open in 2029.")
    assert cleaned.removed_lines == ("By Jane Doe, Political Correspondent",
                                     "Ten things to know about the river",
                                     "Additional reporting by Joel Smith and Kim Lee.",
                                     "Source: Example News")


def test_clean_text_keeps_body_first_line():
    cleaned = clean_text("Vladimir Putin arrived on Wednesday.\nHe met Mr Kim.")
    assert cleaned.title == ""
    assert cleaned.text.startswith("Vladimir Putin arrived")


def test_folder_with_bad_files_warns_and_keeps_the_good(tmp_path):
    (tmp_path / "a.txt").write_text("The council approved the new bridge on Tuesday after a long debate.")
    (tmp_path / "b.txt").write_text("")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "d.txt").write_bytes("Z\xfcrich officials approved the plan for the river bridge.".encode("latin-1"))
    cluster = read_clusters(str(tmp_path), CONFIG)[0]
    assert [d.doc_id for d in cluster.documents] == ["a", "d"]
    assert "Zürich" in cluster.documents[1].text
    joined = "\n".join(cluster.warnings)
    assert "b.txt: skipped" in joined and "c.bin: looks like a binary file" in joined
    assert "d.txt: not valid UTF-8" in joined


def test_folder_with_nothing_usable_is_a_clear_error(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    [item] = iter_items(str(tmp_path), CONFIG)
    assert item.cluster is None and item.cluster_id == tmp_path.name
    assert "no usable documents" in item.error and "empty.txt: skipped" in item.error
    with pytest.raises(InputError, match=r"no usable documents .*empty.txt: skipped"):
        read_clusters(str(tmp_path), CONFIG)


def test_missing_path():
    with pytest.raises(InputError, match="no such file or folder"):
        next(iter_items("./does/not/exist", CONFIG))


def test_jsonl_bad_lines_are_error_items_naming_their_line(tmp_path):
    path = tmp_path / "clusters.jsonl"
    good = {"id": "c1", "documents": [{"title": "T", "text": "The council approved the bridge on Tuesday."},
                                      {"title": "", "text": "Councillors voted for the new bridge on Tuesday."}],
            "reference": {"title": "Bridge approved.", "text": "The council approved it."}}
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"id": "c3"}),
                               json.dumps({"id": "c4", "documents": [{"text": 5}]})]) + "\n")
    items = list(iter_items(str(path), CONFIG))
    assert [i.cluster_id for i in items] == ["c1", "clusters-2", "c3", "c4"]
    produced = items[0].cluster
    assert produced.references == ("Bridge approved.\nThe council approved it.",)
    assert produced.documents[0].title == "T"
    assert all(i.cluster is None for i in items[1:])
    assert "clusters.jsonl:2: not valid JSON" in items[1].error
    assert "clusters.jsonl:3: missing field 'documents'" in items[2].error
    assert "clusters.jsonl:4: documents[0]: 'text' and 'title' must be strings" in items[3].error
    with pytest.raises(InputError, match="clusters.jsonl:2: not valid JSON"):
        read_clusters(str(path), CONFIG)


def test_multi_news_string_and_parquet_through_datasets(tmp_path):
    import datasets

    records = [{"id": "m1", "documents": "First article says the bridge was approved on Tuesday. ||||| "
                                         "Second article says councillors approved the bridge.",
                "summary": "The bridge was approved."}]
    path = tmp_path / "multi.parquet"
    datasets.Dataset.from_list(records).to_parquet(str(path))
    [cluster] = read_clusters(str(path), CONFIG)
    assert len(cluster.documents) == 2
    assert cluster.references == ("The bridge was approved.",)


# -- outlet names (issue #20 item 3) ---------------------------------------------------------
STORY = "The council voted on Tuesday to build the new bridge over the river, officials said.\n" * 3


def test_outlet_names_come_from_the_record_a_source_line_a_byline_or_a_dateline(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "003_69ba99e198ece4f5.txt").write_text(STORY, encoding="utf-8")
    (folder / "002_5edd970c3cf005d8.txt").write_text(STORY + "Source: BBC\n", encoding="utf-8")
    (folder / "wire.txt").write_text("WASHINGTON (AP) — " + STORY, encoding="utf-8")
    (folder / "byline.txt").write_text("By Laura Bicker, BBC News, Seoul\n" + STORY, encoding="utf-8")
    (folder / "staff.txt").write_text("By Jane Doe, Political Correspondent\n" + STORY, encoding="utf-8")
    names = {d.doc_id: d.name for d in read_clusters(str(folder), CONFIG)[0].documents}
    assert names == {"002_5edd970c3cf005d8": "BBC", "003_69ba99e198ece4f5": "003", "wire": "AP",
                     "byline": "BBC News", "staff": "staff"}
    records = tmp_path / "c.jsonl"
    records.write_text(json.dumps({"id": "c1", "documents": [
        {"text": STORY, "outlet": "The Ledger"}, {"text": STORY, "source": "Daily Post"}, {"text": STORY}]}) + "\n",
        encoding="utf-8")
    assert [d.name for d in read_clusters(str(records), CONFIG)[0].documents] == ["The Ledger", "Daily Post", "d2"]


def test_a_web_page_names_its_site_and_its_title_loses_the_suffix(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    body = "".join(f"<p>{line}</p>" for line in STORY.splitlines())
    (folder / "a.html").write_text(
        '<html><head><meta property="og:site_name" content="The Dispatch">'
        f"<title>Council backs bridge | The Dispatch</title></head><body>{body}</body></html>", encoding="utf-8")
    (folder / "b.html").write_text(
        f"<html><head><title>Council backs river bridge - Daily Ledger</title></head><body>{body}</body></html>",
        encoding="utf-8")
    documents = read_clusters(str(folder), CONFIG)[0].documents
    assert [(d.name, d.title) for d in documents] == [("The Dispatch", "Council backs bridge"),
                                                      ("Daily Ledger", "Council backs river bridge")]


# -- wire copy (issue #15 item 4) ---------------------------------------------------------------
WIRE = """BC-US--Congress-Budget,1st Ld-Writethru
Eds: Updates with vote count.
Budget deal passes House
By JANE DOE
Associated Press Writer

WASHINGTON (AP) -- The House passed a two-year budget deal on Thursday
that would raise spending caps by $320 billion and suspend the debt limit
until 2021, sending the measure to the Senate.

The vote was 284-149, with most Republicans voting against the deal that
President Donald Trump negotiated with congressional leaders in the last
week before the August recess. (AP Photo/Evan Vucci)

Mitch - once, 2nd graf pvs
Democrats said the agreement protects well-
known programs from cuts and keeps the government open through the next
election, while conservatives warned that it adds to a deficit that is
already near $1 trillion a year.
"""


def test_hard_wrapped_wire_copy_is_rejoined_and_its_debris_removed():
    cleaned = clean_text(WIRE)
    assert cleaned.title == "Budget deal passes House"
    assert cleaned.text.split("\n") == [
        "The House passed a two-year budget deal on Thursday that would raise spending caps by $320 billion "
        "and suspend the debt limit until 2021, sending the measure to the Senate.",
        "The vote was 284-149, with most Republicans voting against the deal that President Donald Trump "
        "negotiated with congressional leaders in the last week before the August recess.",
        "Democrats said the agreement protects well-known programs from cuts and keeps the government open "
        "through the next election, while conservatives warned that it adds to a deficit that is already "
        "near $1 trillion a year."]
    assert cleaned.removed_lines == ("BC-US--Congress-Budget,1st Ld-Writethru", "Eds: Updates with vote count.",
                                     "By JANE DOE", "Associated Press Writer", "WASHINGTON (AP) --",
                                     "(AP Photo/Evan Vucci)", "Mitch - once, 2nd graf pvs")


def test_a_dateline_names_the_outlet_and_leaves_the_text_and_unwrapped_prose_stays():
    from summarizer.ingest.outlet import from_lines

    cleaned = clean_text("LONDON (Reuters) - Britain's parliament voted on Tuesday to delay the deadline.\n"
                         "The government said it would respond within a week.")
    assert cleaned.text.startswith("Britain's parliament voted") and from_lines(cleaned.removed_lines, "") == "Reuters"
    # The datelines of the DUC/TDT newswire: AP's "_" and a date before the agency.
    for dateline, outlet in (("PHNOM PENH, Cambodia (AP) _", "AP"), ("BEIJING, October 1 (Xinhua) --", "Xinhua"),
                             ("NEW YORK _", ""), ("MOSCOW, Dec. 3 (AFP) -", "AFP"), ("(CNN) --", "CNN")):
        cleaned = clean_text(f"{dateline} The two parties agreed to form a coalition on Monday.\nMore follows.",
                             title_from_first_line=False)
        assert cleaned.text.startswith("The two parties agreed") and cleaned.removed_lines == (dateline,), dateline
        assert from_lines(cleaned.removed_lines, "") == outlet, dateline
    assert clean_text("NASA_Report says the probe failed.", title_from_first_line=False).removed_lines == ()
    glued = clean_text("(CNN)ESPN's reporter apologised on Friday.", title_from_first_line=False)
    assert glued.text == "ESPN's reporter apologised on Friday." and glued.removed_lines == ("(CNN)",)
    assert clean_text("(Video) The clip shows the flood.", title_from_first_line=False).removed_lines == ()
    note = "(STORY CAN END HERE. OPTIONAL 2ND TAKE FOLLOWS.)"
    cleaned = clean_text(f"The vote was 61-38 on Monday.\n{note}\n(And a story aside in brackets, kept.)",
                         title_from_first_line=False)
    assert cleaned.removed_lines == (note,) and "aside in brackets" in cleaned.text
    prose = ("A paragraph written on one line, as most saved articles are, longer than any wrapped line would be "
             "and ending with a full stop.\nShort line.\nAnother long paragraph on its own line, also far longer "
             "than the hundred characters a wrapped line holds, ends here.")
    assert clean_text(prose).text == prose.replace("\nShort line.", "\nShort line.")


def test_video_and_link_prompts_inside_flattened_copy_are_removed_and_listed():
    """CNN/DailyMail copy flattened to one paragraph carries "Scroll down for video" inside its
    sentences (five of 75 FRANK articles' summaries quoted it); only a prompt opening a sentence
    goes, not the same words inside a sentence of the story."""
    cleaned = clean_text("The film opens today. Scroll down for video According to the curator, the dress is "
                         "genuine. Villa face QPR on Tuesday. CLICK HERE for all the latest Aston Villa news. "
                         "Fans who click here for tickets pay more.", title_from_first_line=False)
    assert cleaned.text == ("The film opens today. According to the curator, the dress is genuine. Villa face QPR "
                            "on Tuesday. Fans who click here for tickets pay more.")
    assert cleaned.removed_lines == ("Scroll down for video", "CLICK HERE for all the latest Aston Villa news.")


def test_a_space_lost_between_sentences_is_restored_and_abbreviations_keep_theirs():
    """Paragraphs joined without a space ("in 2009.He was") read as one sentence; a lower-case
    word or a number before the stop tells them from "St.Louis", "Mr.Smith" and "U.S.He"."""
    cleaned = clean_text("He played in 2009.He was a squad member, the club said.Then he left. They flew to "
                         "St.Louis, met Mr.Smith and Gov.Cuomo in the U.S.He said so at www.example.Com today.",
                         title_from_first_line=False)
    assert cleaned.text == ("He played in 2009. He was a squad member, the club said. Then he left. They flew to "
                            "St.Louis, met Mr.Smith and Gov.Cuomo in the U.S.He said so at www.example.Com today.")


def test_dates_from_a_header_line_or_a_record_field_and_a_bad_one_is_named(tmp_path):
    """Issue #15 item 5: a "Date:" header line in a text file, a JSONL "date" field."""
    folder = tmp_path / "dated"
    folder.mkdir()
    (folder / "a.txt").write_text("Date: 2024-06-19\n" + STORY, encoding="utf-8")
    (folder / "b.txt").write_text(STORY, encoding="utf-8")
    documents = read_clusters(str(folder), CONFIG)[0].documents
    assert [d.date for d in documents] == ["2024-06-19", ""]
    assert documents[0].removed_lines[0] == "Date: 2024-06-19" and "Date" not in documents[0].text
    records = tmp_path / "c.jsonl"
    records.write_text(json.dumps({"id": "c", "documents": [{"text": STORY, "date": "2024-06-19T14:05:00Z"},
                                                             {"text": STORY, "date": "June 19"}]}) + "\n")
    items = list(iter_items(str(records), CONFIG))
    assert items[0].cluster is None and "documents[1]: date: 'June 19' is not an ISO 8601 date" in items[0].error
    # a hostile value is named, not echoed whole; an outlet name is one line of at most 80 characters
    records.write_text(json.dumps({"id": "d", "documents": [{"text": STORY, "date": "9" * 100_000}]}) + "\n"
                       + json.dumps({"id": "e", "documents": [{"text": STORY, "outlet": "Daily\nLedger " * 20_000}]}))
    bad_date, long_outlet = iter_items(str(records), CONFIG)
    assert "'9999" in bad_date.error and len(bad_date.error) < 300
    outlet = long_outlet.cluster.documents[0].outlet
    assert outlet.startswith("Daily Ledger Daily") and len(outlet) == 80 and "\n" not in outlet


# -- articles from the web (issue #17 item 3), against a server on 127.0.0.1 --------------------
@pytest.fixture()
def web(tmp_path):
    """A local HTTP server: /ledger (an HTML page), /post (plain text in cp1252, named by the
    header), /missing (404), /slow (answers after 2 s), /big (1 MB)."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = ('<html><head><meta property="og:site_name" content="Daily Ledger">'
            "<title>Council backs bridge | Daily Ledger</title></head><body>"
            + "".join(f"<p>{line}</p>" for line in STORY.splitlines()) + "</body></html>")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            if self.path == "/slow":
                time.sleep(2)
            if self.path == "/to-ftp":  # redteam S3: a redirect to another scheme
                self.send_response(302)
                self.send_header("Location", "ftp://127.0.0.1:1/story.txt")
                self.end_headers()
                return
            if self.path in ("/badchunk", "/manyheaders", "/longheader", "/charset-punycode"):  # T2-T5
                self.send_response(200)
                if self.path == "/badchunk":
                    self.send_header("Transfer-Encoding", "chunked")
                for k in range(150 if self.path == "/manyheaders" else 0):
                    self.send_header(f"X-Header-{k}", "x")
                if self.path == "/longheader":
                    self.send_header("X-Long", "x" * 70_000)
                self.send_header("Content-Type", "text/plain; charset=punycode" if self.path == "/charset-punycode"
                                 else "text/plain")
                self.end_headers()
                self.wfile.write(b"zz-not-a-size\r\n" if self.path == "/badchunk" else "caf\u00e9 <p>".encode())
                return
            if self.path == "/badstatus":  # redteam T6: not an HTTP answer at all
                self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n")
                return
            if self.path in ("/js", "/gzip", "/wrong-utf16"):  # redteam W5: no page, or a wrong header
                headers = {"/js": [("Content-Type", "application/javascript")],
                           "/gzip": [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                           "/wrong-utf16": [("Content-Type", "text/plain; charset=utf-16")]}[self.path]
                self.send_response(200)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(STORY.encode())
                return
            if self.path == "/moved":  # redteam S3: the document cites where the redirect led
                self.send_response(301)
                self.send_header("Location", "/ledger")
                self.end_headers()
                return
            if self.path == "/truncated":  # redteam W4: fewer bytes than announced
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(STORY.encode())
                return
            if self.path == "/trickle":  # redteam H1: a byte at a time, each read within the timeout
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for character in STORY.encode()[:60]:
                    self.wfile.write(bytes([character]))
                    self.wfile.flush()
                    time.sleep(0.05)
                return
            if self.path == "/charset-undefined":  # redteam T1: a charset Python has no codec for
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=undefined")
                self.end_headers()
                self.wfile.write(STORY.encode())
                return
            bodies = {"/ledger": (page.encode("utf-8"), "text/html; charset=utf-8"),
                      "/post": (("Caf\u00e9 owners said " + STORY).encode("cp1252"), "text/plain; charset=windows-1252"),
                      "/big": (b"x" * 1_000_000, "text/plain"), "/slow": (STORY.encode(), "text/plain")}
            if self.path not in bodies:
                self.send_error(404, "Not Found")
                return
            body, kind = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handle_error = lambda request, address: None  # /slow writes after the client gave up: expected
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_urls_are_fetched_with_a_timeout_and_a_size_limit_and_each_failure_named(web, tmp_path):
    from dataclasses import replace

    config = replace(CONFIG, url_timeout=0.5, max_url_bytes=100_000)
    listing = tmp_path / "story.txt"
    listing.write_text("# the story\n" + "\n".join(f"{web}/{p}" for p in ("ledger", "post", "missing", "slow", "big"))
                       + "\n", encoding="utf-8")
    items = list(iter_items(str(listing), config))
    assert len(items) == 1 and items[0].cluster is not None
    cluster = items[0].cluster
    assert [(d.name, d.title, d.source) for d in cluster.documents] == [
        ("Daily Ledger", "Council backs bridge", f"{web}/ledger"), ("127.0.0.1-2", "", f"{web}/post")]
    assert cluster.documents[1].text.startswith("Caf\u00e9 owners")  # the server's charset, honoured
    warnings = " | ".join(cluster.warnings)
    assert f"{web}/missing: the server answered HTTP 404" in warnings
    assert f"{web}/slow: could not be fetched (no answer within ingest.url_timeout=0.5 s)" in warnings
    assert f"{web}/big: larger than ingest.max_url_bytes=100,000" in warnings
    single = list(iter_items(f"{web}/ledger", config))
    assert single[0].cluster is not None and single[0].cluster.documents[0].name == "Daily Ledger"
    failed = list(iter_items(f"{web}/missing", config))
    assert failed[0].cluster is None and "HTTP 404" in failed[0].error


def test_a_url_list_fetches_only_http_and_names_every_line_it_cannot_use(web, tmp_path):
    """Redteam round 2: S2 (file:// lines read a local secret into the summary), S3 (redirects to
    ftp:), T1/T6/T8 (an odd charset, a non-HTTP answer or a bad address was a traceback that lost the
    whole list) and H3 (300 URLs fetched before the document limit refused them)."""
    from dataclasses import replace

    secret = tmp_path / "secret.txt"
    secret.write_text("Internal memo: the secret API key is hunter2, the admin said on Tuesday.", encoding="utf-8")
    listing = tmp_path / "story.txt"
    # The file is sniffed as a URL list from its first 64 KB: comments carry the other lines past it.
    padding = ["# " + "x" * 98] * 700
    lines = [f"{web}/ledger", *padding, f"file://{secret}", f"{web}/to-ftp", f"{web}/badstatus", "http://[::1",
             "http://127.0.0.1:abc/", f"{web}/badchunk", f"{web}/manyheaders", f"{web}/longheader",
             f"{web}/charset-punycode", f"{web}/charset-undefined"]
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (item,) = iter_items(str(listing), CONFIG)
    assert item.cluster is not None and "hunter2" not in " ".join(d.text for d in item.cluster.documents)
    assert [d.source for d in item.cluster.documents] == [f"{web}/ledger", f"{web}/charset-undefined"]
    warnings = " | ".join(item.cluster.warnings)
    assert f"file://{secret}: only http:// and https:// addresses are fetched" in warnings
    assert "redirected to ftp://127.0.0.1:1/story.txt, which is not http(s)" in warnings
    assert f"{web}/badstatus: could not be fetched (BadStatusLine" in warnings
    assert "http://[::1: could not be fetched (ValueError" in warnings and "http://127.0.0.1:abc/" in warnings
    for odd in ("badchunk", "manyheaders", "longheader"):  # a broken chunk, 150 headers, a 70 kB header
        assert f"{web}/{odd}: could not be fetched (" in warnings
    (script,) = iter_items(f"{web}/js", CONFIG)
    assert script.cluster is None and "sends application/javascript, not a page or text" in script.error
    (packed,) = iter_items(f"{web}/gzip", CONFIG)
    assert packed.cluster is None and "gzip-compressed body" in packed.error
    (wide,) = iter_items(f"{web}/wrong-utf16", CONFIG)
    assert wide.cluster is not None and wide.cluster.documents[0].text.startswith(STORY.split()[0])
    (moved,) = iter_items(f"{web}/moved", CONFIG)
    assert moved.cluster.documents[0].source == f"{web}/ledger"
    assert f"{web}/moved: redirected to {web}/ledger, which the document cites" in moved.cluster.warnings
    guarded = replace(CONFIG, refuse_private_addresses=True)
    (local,) = iter_items(f"{web}/ledger", guarded)  # the test server is this machine: refused
    assert local.cluster is None and "an address of this machine or a private network" in local.error
    short = replace(CONFIG, url_timeout=1.0)
    (cut,) = iter_items(f"{web}/truncated", short)
    assert cut.cluster is None and "cut short: " in cut.error and "of the 100,000 bytes the server announced" in cut.error
    (slow,) = iter_items(f"{web}/trickle", replace(CONFIG, url_timeout=0.5))
    assert slow.cluster is None and "not all received within ingest.url_timeout=0.5 s" in slow.error
    many = tmp_path / "many.txt"
    many.write_text("".join(f"{web}/ledger?n={k}\n" for k in range(3)), encoding="utf-8")
    (refused,) = iter_items(str(many), replace(CONFIG, max_documents=2))
    assert refused.cluster is None and "3 URLs is over ingest.max_documents=2" in refused.error


def test_private_addresses_are_refused_at_connect_time_and_inside_ipv6(web, monkeypatch):
    """Second look at the fetcher (issue #31, #33 item 3): a name that resolves to a public address
    when checked and to this machine when connecting (DNS rebinding) is refused, not fetched; IPv4
    loopback carried inside IPv6 (mapped, 6to4, NAT64) is loopback."""
    import socket
    from dataclasses import replace

    from summarizer.ingest import web as fetcher

    port = int(web.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])  # the first answer public, every later one this machine

    def rebinding(host, *args, **kwargs):
        if host != "news.example":
            return real(host, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    guarded = replace(CONFIG, refuse_private_addresses=True)
    (item,) = iter_items(f"http://news.example:{port}/ledger", guarded)
    assert item.cluster is None and "news.example is 127.0.0.1" in item.error
    for address in ("::ffff:127.0.0.1", "2002:7f00:1::", "64:ff9b::7f00:1", "169.254.169.254", "0.0.0.0", "fd00::1"):
        assert fetcher._refused(address), address
    assert not fetcher._refused("93.184.216.34") and not fetcher._refused("2606:4700::1111")


def test_a_news_page_gives_its_story_without_banner_comments_or_pitch(tmp_path):
    """Issue #17 item 3: the article of a saved page (trafilatura), not its cookie banner, reader
    comments or newsletter pitch; its headline without the site suffix; its date."""
    page = ('<html><head><meta property="og:site_name" content="Daily Ledger">'
            '<meta property="article:published_time" content="2024-06-19T08:00:00Z">'
            "<title>Council backs bridge | Daily Ledger</title></head><body>"
            '<div class="cookie-banner">We use cookies. Accept all cookies?</div>'
            "<header><h1>Council backs bridge</h1></header><article>"
            + "".join(f"<p>{line}</p>" for line in STORY.splitlines())
            + '</article><section class="comments"><h3>Comments</h3><p>Reader: a waste of money, as usual!</p>'
            "</section><aside>Sign up for our newsletter and never miss a story.</aside></body></html>")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ledger.html").write_text(page, encoding="utf-8")
    (folder / "other.txt").write_text(STORY, encoding="utf-8")
    document = read_clusters(str(folder), CONFIG)[0].documents[0]
    assert (document.name, document.title, document.date) == ("Daily Ledger", "Council backs bridge", "2024-06-19")
    assert "council voted" in document.text
    for debris in ("cookies", "waste of money", "newsletter"):
        assert debris not in document.text


@pytest.mark.parametrize("encoding, text", [
    ("cp1251", "Президент России Владимир Путин прибыл в Пхеньян в среду на переговоры с лидером КНДР."),
    ("shift_jis", "ロシアのプーチン大統領は水曜日に平壌に到着し、北朝鮮の指導者と会談した。"),
    ("cp1252", "Café owners in Harbor City said the new bridge will cost 240 million dollars."),
    # with newlines (control characters to the detector, which once took this text for cp775)
    ("cp1252", "Café owners in Harbor City said the bridge will cost 240 million dollars.\nIn Zürich too.\n"),
    ("cp1251", "Президент России прибыл в Пхеньян в среду.\nОн встретился с лидером КНДР.\n"),
])
def test_legacy_encodings_are_detected_and_named(encoding, text):
    """Issue #17 item 3: Cyrillic and CJK legacy encodings are read as what they are (charset-
    normalizer); Latin-script text stays Windows-1252; the warning names the encoding used."""
    from summarizer.ingest.records import decode_bytes

    decoded = decode_bytes(text.encode(encoding), "story.txt")
    assert decoded.text == text and decoded.warning.startswith("story.txt: not valid UTF-8")
