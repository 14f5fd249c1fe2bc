"""The HTML page: escaping, no network, citations that resolve, batch folders, and a real browser."""
import json
import os
import re
import shutil
from html import escape
from pathlib import Path

import pytest
from helpers import PACT, ROOT
from test_cli import run_cli

from summarizer.config import load_config
from summarizer.pipeline import Pipeline
from summarizer.render.html import page_name, render_html
from summarizer.types import Cluster, Document

ARTIFACTS = Path(os.environ.get("SUMMARIZER_TEST_ARTIFACTS", ROOT / "test-artifacts"))

# A hostile outlet: markup in its title and text must show as text.
HOSTILE = Cluster(
    cluster_id="pact <b>&",
    documents=PACT.documents[:2] + (Document(
        doc_id="d2", title='<script>alert("title")</script>',
        text=PACT.documents[2].text + '\nA reader wrote <script>alert("x")</script> and <img src=x onerror=alert(1)> '
                                       "in a comment on the story."),),
)


@pytest.fixture(scope="module")
def page(encoder) -> tuple[str, object]:
    summary = Pipeline(load_config(None, ["fuse.backend=extractive"])).summarize(HOSTILE)
    return render_html(summary, HOSTILE), summary


def test_source_markup_is_escaped(page):
    html, _ = page
    assert html.count("<script>") == 1  # ours, at the end
    assert "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert "pact &lt;b&gt;&amp;" in html


def test_page_is_self_contained(page):
    html, _ = page
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def test_every_citation_and_fact_link_resolves(page):
    html, summary = page
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = [t for group in re.findall(r'data-targets="([^"]*)"', html) for t in group.split()]
    assert targets and set(targets) <= ids
    hrefs = re.findall(r'href="#([^"]+)"', html)
    assert set(hrefs) <= ids
    # One citation link per cited document of every sentence, and one for the headline's outlet.
    headline = 1 if summary.headline else 0
    assert len(re.findall(r'class="cite(?: wording)?"', html)) == sum(len(s.cited_docs) for s in summary.sentences) \
        + headline
    if summary.headline:
        assert '<h1 class="headline">' in html and f"<title>{escape(summary.headline.text)}</title>" in html
    for heading in ("What all outlets report", "Reported by only some", "Wording only this outlet uses",
                    "Leaves out what most others report"):
        assert heading in html


def test_model_text_and_quotes_are_labelled_in_every_format_without_hover(page):
    """Issue #20 item 2: a cut-back is labelled model text (as generated text is), a source sentence
    as quoted, in text, Markdown, HTML (visible, not a tooltip) and JSON, with counts in the top line."""
    from dataclasses import replace

    from summarizer.render.labels import MODEL_TEXT, QUOTED
    from summarizer.render.formats import render_markdown, render_text, summary_record
    from summarizer.types import Origin

    _, summary = page
    assert len(summary.sentences) >= 2
    first = replace(summary.sentences[0], origin=Origin.REPAIRED)
    rest = tuple(replace(s, origin=Origin.EXTRACTED, edits=()) for s in summary.sentences[1:])
    labelled = replace(summary, sentences=(first, *rest))
    quoted = len(rest)
    top = f"{len(rest) + 1} sentences: 1 {MODEL_TEXT}; {quoted} {QUOTED}"
    html = render_html(labelled, HOSTILE)
    assert top in html and "shortened" not in html and "title=\"a source" not in html
    assert html.count(f'<span class="origin model">{MODEL_TEXT}</span>') == 1
    assert html.count(f'<span class="origin quoted">{QUOTED}</span>') == quoted
    markdown = render_markdown(labelled, HOSTILE)
    assert top in markdown and markdown.count(f"*({MODEL_TEXT})*") == 1 and markdown.count(f"*({QUOTED})*") == quoted
    text = render_text(labelled, HOSTILE)
    assert top in text and text.count("]*") == 1
    labels = [s["label"] for s in summary_record(labelled, HOSTILE, None)["sentences"]]
    assert labels == [MODEL_TEXT] + [QUOTED] * quoted
    edited = replace(rest[0], edits=("lavish",))
    assert summary_record(replace(labelled, sentences=(first, edited)), HOSTILE, None)["sentences"][1]["label"] \
        == f"{QUOTED}, without “lavish”"


def test_page_names_are_safe_and_distinct():
    assert page_name("neus-val-00017") == "neus-val-00017.html"
    odd = page_name("../../etc/passwd")
    assert "/" not in odd and odd.endswith(".html") and not odd.startswith(".")
    assert page_name("a b") != page_name("a_b")
    # ids that differ only in case get names that differ ignoring case (batch pages are named by id alone)
    names = [page_name(i) for i in ("story", "Story", "STORY", "index", "Index")]
    assert len({n.casefold() for n in names}) == 5 and names[0] == "story.html" and "index.html" not in names


def _clusters_file(path: Path) -> Path:
    with path.open("w") as handle:
        for cluster_id in ("first", "second <x>"):
            handle.write(json.dumps({"id": cluster_id, "documents": [
                {"title": "", "text": d.text} for d in PACT.documents]}) + "\n")
    return path


def test_cli_writes_one_page_per_cluster_and_an_index(tmp_path):
    data = _clusters_file(tmp_path / "clusters.jsonl")
    out = tmp_path / "pages"
    result = run_cli("run", str(data), "--format", "html", "--output", str(out), "--quiet",
                     "--set", "fuse.backend=extractive")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["index.html", page_name("first"), page_name("second <x>")])
    index = (out / "index.html").read_text()
    assert f'href="{page_name("first")}"' in index and "second &lt;x&gt;" in index

    refused = run_cli("run", str(data), "--format", "html", "--quiet", "--set", "fuse.backend=extractive")
    assert refused.returncode == 2 and "--output FOLDER" in refused.stderr and refused.stdout == ""


def test_cli_single_page_to_a_file(tmp_path):
    out = tmp_path / "bridge.html"
    result = run_cli("run", "examples/bridge", "--format", "html", "--output", str(out), "--quiet",
                     "--set", "fuse.backend=extractive")
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert html.startswith("<!doctype html>") and "Where the outlets agree" in html


# -- in a real browser ---------------------------------------------------------------------

def _browser():
    """Headless Chromium through Selenium, or a skip that says what is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("Chromium and ChromeDriver are not installed (Debian: apt-get install chromium "
                    "chromium-driver; scripts/install.sh --test does it where apt-get is available)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    try:
        return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    except Exception as error:  # a broken install is an environment problem, reported as such
        pytest.skip(f"Chromium could not be started: {type(error).__name__}: {str(error)[:300]}")


def _requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _opened(page, tmp_path, width: int, height: int):
    """The page written to a file and opened in headless Chromium at ``width`` × ``height``."""
    html, _ = page
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    driver = _browser()
    try:
        driver.set_window_size(width, height)
        driver.get(path.as_uri())
    except Exception:
        driver.quit()
        raise
    return driver, path


def test_clicking_a_citation_highlights_its_source_sentence(page, tmp_path):
    from selenium.webdriver.common.by import By

    _, summary = page
    driver, _ = _opened(page, tmp_path, 1280, 1600)
    try:
        assert driver.find_elements(By.CSS_SELECTOR, ".sent.hl") == []
        citations = driver.find_elements(By.CSS_SELECTOR, "a.cite")
        assert citations
        last = citations[-1]
        expected = set(last.get_attribute("data-targets").split())
        sentence = summary.sentences[-1]
        cited_doc = sentence.cited_docs[-1]
        number = [d.doc_id for d in HOSTILE.documents].index(cited_doc) + 1
        assert expected == {f"s{number}-{c.index}" for c in sentence.citations if c.doc_id == cited_doc}
        last.click()
        highlighted = {e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, ".sent.hl")}
        assert highlighted == expected
        focused = driver.switch_to.active_element.get_attribute("id")
        assert focused in expected
        # The highlighted text is the cited source sentence itself.
        cited = next(c for c in sentence.citations if c.doc_id == cited_doc)
        text = next(d.text for d in HOSTILE.documents if d.doc_id == cited_doc)[cited.span[0]:cited.span[1]]
        assert driver.find_element(By.ID, f"s{number}-{cited.index}").text == text
        # The hostile source text rendered as text; no script of its ran.
        assert 'alert("x")' in driver.find_element(By.ID, "source-3").text
        assert driver.execute_script("return document.querySelectorAll('img').length") == 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "html-desktop.png"))
        # A phone-width window: no sideways scrolling.
        driver.set_window_size(390, 844)
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        driver.save_screenshot(str(ARTIFACTS / "html-phone.png"))
        # Nothing but the page itself was requested.
        assert [u for u in _requested_urls(driver) if not u.startswith("file://")] == []
    finally:
        driver.quit()
    assert (ARTIFACTS / "html-desktop.png").stat().st_size > 10_000


def test_labels_show_and_sources_collapse_on_a_phone(page, tmp_path):
    """Issue #20 items 2 and 6: labels are visible text at phone width; on a phone a source shows
    only its selected sentences until expanded; on a wide screen summary and comparison sit side by side."""
    from selenium.webdriver.common.by import By

    _, summary = page
    driver, path = _opened(page, tmp_path, 1280, 900)
    try:
        summary_box = driver.find_element(By.ID, "summary").rect
        comparison_box = driver.find_element(By.ID, "comparison").rect
        assert comparison_box["x"] > summary_box["x"] + summary_box["width"] - 1  # side by side
        assert abs(comparison_box["y"] - summary_box["y"]) < 5
        driver.set_window_size(390, 844)
        driver.get(path.as_uri())
        labels = driver.find_elements(By.CSS_SELECTOR, "#summary .origin")
        assert len(labels) == len(summary.sentences) and all(label.is_displayed() for label in labels)
        assert {label.text for label in labels} <= {"model text, checked against the sources", "quoted from a source"}
        card = driver.find_element(By.ID, "source-1")
        used = card.find_elements(By.CSS_SELECTOR, ".sent.used")
        unused = card.find_elements(By.CSS_SELECTOR, ".sent:not(.used)")
        assert used and unused
        assert all(s.is_displayed() for s in used) and not any(s.is_displayed() for s in unused)
        assert card.find_element(By.CSS_SELECTOR, ".doc-id").is_displayed()  # which file it is, still shown
        button = card.find_element(By.CSS_SELECTOR, "button.expand")
        button.click()
        assert all(s.is_displayed() for s in unused) and button.get_attribute("aria-expanded") == "true"
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        driver.quit()


def test_batch_writes_pages_and_an_index_across_resumed_runs(tmp_path, encoder):
    from summarizer.batch.runner import run_batch

    data = _clusters_file(tmp_path / "clusters.jsonl")
    with data.open("a") as handle:
        handle.write('{"id": "broken", "documents": 5}\n')
    out, pages = tmp_path / "out.jsonl", tmp_path / "pages"
    config = load_config(None, ["fuse.backend=extractive"])
    run_batch(str(data), str(out), config, batch_size=1, limit=1, progress=False, html_dir=str(pages))
    assert sorted(p.name for p in pages.iterdir()) == ["first.html", "index.html"]
    run_batch(str(data), str(out), config, batch_size=1, progress=False, html_dir=str(pages))
    assert sorted(p.name for p in pages.iterdir()) == sorted(["first.html", page_name("second <x>"), "index.html"])
    index = (pages / "index.html").read_text()
    assert 'href="first.html"' in index and "second &lt;x&gt;" in index and "error: " in index
    assert not list(pages.glob(".*.tmp"))
