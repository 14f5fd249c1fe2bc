"""Hostile inputs, round 2 (shared/redteam/round2): the cases fixed so far, each from its reproduction."""
from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers import PACT, ROOT, make_cluster

from summarizer import Summarizer
from summarizer.retrieve.timeline import first_reported, instant
from summarizer.types import Cluster, Document, Sentence


def test_c1_controls_and_bidi_marks_never_reach_an_output():
    """S4: an 8-bit CSI (U+009B) or OSC (U+009D) in an article reached stdout; LRM/RLM/ALM too."""
    hostile = "The leaders signed the pact \u009b2J\u009b31mRED\u009d0;PWNED\u009c on \u200eWednesday\u200f\u061c."
    texts = [hostile + "\n" + doc.text for doc in PACT.documents]  # read as the API reads texts: cleaned
    summary = Summarizer(fuse={"backend": "extractive"})(texts)
    assert "signed the pact" in summary.text
    for output in (summary.to_json(), summary.to_html(), summary.text):
        assert not any(0x80 <= ord(c) <= 0x9F or c in "\u200e\u200f\u061c" for c in output)


def test_one_summarizer_called_from_eight_threads_gives_the_sequential_results():
    """W1: the pysbd segmenter was one instance shared by all threads (6 to 10 of 16 summaries differed)."""
    summarizer = Summarizer(fuse={"backend": "extractive"})
    clusters = [PACT, make_cluster(*[tuple(reversed(d.text.split("\n"))) for d in PACT.documents], cluster_id="b")]
    clusters += [make_cluster(*[(d.text.replace("Wednesday", day),) for d in PACT.documents], cluster_id=day)
                 for day in ("Monday", "Friday")]
    def record(cluster: Cluster) -> dict:
        record = json.loads(summarizer(cluster).to_json())
        record.pop("timings_seconds")  # the one part that differs between two runs
        return record

    sequential = [record(c) for c in clusters]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda k: record(clusters[k % 4]), range(16)))
    assert threaded == [sequential[k % 4] for k in range(16)]


def test_dates_with_utc_offsets_are_compared_as_instants():
    """W2: compared as strings, 01:00+09:00 on the 20th came after 20:00-05:00 on the 19th (nine hours later)."""
    assert instant("2024-06-20T01:00+09:00") < instant("2024-06-19T20:00-05:00")
    assert instant("2024-06-19") < instant("2024-06-19T08:00Z") and instant("not a date") is None
    sentences = [Sentence("tokyo", 0, "x", (0, 1)), Sentence("ny", 0, "x", (0, 1))]
    dates = {"tokyo": "2024-06-20T01:00+09:00", "ny": "2024-06-19T20:00-05:00"}
    assert first_reported(sentences, dates) == instant("2024-06-19T16:00Z")
    documents = (("tokyo", "2024-06-20T01:00+09:00", "Hospital staff in the capital counted 231 dead after the first night."),
                 ("ny", "2024-06-19T20:00-05:00", "Rescuers who reached remote villages put the toll at 7,000 dead."))
    common = ("A powerful earthquake struck the mountain region of Valoria on Monday morning, officials said. "
              "Rescue teams from neighbouring countries arrived in the capital on Tuesday. ")
    cluster = Cluster("tz", tuple(Document(doc_id, common + text, date=date) for doc_id, date, text in documents))
    summary = Summarizer(fuse={"backend": "extractive"}, retrieve={"summary_words": 200})(cluster)
    assert "7,000 dead" in summary.text and "231 dead" not in summary.text


def _run_stdin(data: bytes) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "summarizer", "run", "-", "--set", "fuse.backend=extractive",
                           "--format", "jsonl", "--quiet"], input=data, capture_output=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    return [json.loads(line)["id"] for line in done.stdout.decode().splitlines()]


def test_json_lines_on_stdin_with_a_byte_order_mark_are_read_as_records():
    """W3: a UTF-8 BOM, or one UTF-16-BE line, made standard input one article of raw JSON."""
    records = [{"id": f"c{k}", "documents": [{"text": " ".join(d.text.split("\n"))} for d in PACT.documents]}
               for k in range(2)]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    assert _run_stdin(b"\xef\xbb\xbf" + lines.encode()) == ["c0", "c1"]
    assert _run_stdin(("\ufeff" + json.dumps(records[0]) + "\n").encode("utf-16-be")) == ["c0"]


def test_the_api_names_what_it_was_given_instead_of_a_type_error():
    """T16: summarize(None), summarize(123), summarize_many(None), Summarizer(config=123) were TypeErrors."""
    from summarizer import summarize
    from summarizer.errors import UsageError

    for bad in (None, 123, b"bytes"):
        with pytest.raises(UsageError, match=f"documents: expected a list .* got {type(bad).__name__}"):
            summarize(bad)
    with pytest.raises(UsageError, match="config: expected a RunConfig, a YAML path or None, got int"):
        Summarizer(config=123)
    with pytest.raises(UsageError, match="clusters: expected a list of clusters .* got NoneType"):
        Summarizer(fuse={"backend": "extractive"}).summarize_many(None)


def test_huge_numbers_and_deep_nesting_in_settings_are_messages(tmp_path):
    """T9, T10: a 400-digit --set value was an OverflowError, 20,000 nested brackets a RecursionError."""
    from summarizer.config import ConfigError, load_config

    with pytest.raises(ConfigError, match="guard.min_similarity: expected a finite number"):
        load_config(None, ["guard.min_similarity=" + "9" * 400])
    with pytest.raises(ConfigError, match="embedding.batch_size: .* is too large"):
        load_config(None, ["embedding.batch_size=" + "9" * 400])
    with pytest.raises(ConfigError, match="--set neutral.extra_loaded_words: the value is nested too deeply"):
        load_config(None, ["neutral.extra_loaded_words=" + "[" * 20000 + "]" * 20000])
    deep = tmp_path / "deep.yaml"
    deep.write_text("fuse: " + "{a: " * 5000 + "1" + "}" * 5000, encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply to be a configuration"):
        load_config(deep)


def test_standard_input_read_from_the_output_file_is_refused(tmp_path):
    """D6: `run - --output a.txt < a.txt` replaced the article with its summary."""
    article = tmp_path / "a.txt"
    article.write_text(" ".join(d.text.replace("\n", " ") for d in PACT.documents), encoding="utf-8")
    before = article.read_bytes()
    with article.open("rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "summarizer", "run", "-", "--output", str(article),
                               "--set", "fuse.backend=extractive"], stdin=stdin, capture_output=True, cwd=ROOT,
                              timeout=300)
    assert done.returncode == 2 and b"is the file standard input reads" in done.stderr
    assert article.read_bytes() == before


def test_standard_input_is_read_only_as_far_as_its_limits():
    """H2: `yes | run -` read all of standard input (7.6 GB) before failing; now an article stops at
    4 bytes a character of ingest.max_chars_per_document, and a JSON line at the cluster's limit."""
    command = [sys.executable, "-m", "summarizer", "run", "-", "--set", "fuse.backend=extractive",
               "--set", "ingest.max_chars_per_document=1000", "--set", "ingest.max_chars_per_cluster=1000",
               "--format", "jsonl"]
    feeder = subprocess.Popen([sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('y\\n' * 10000)"],
                              stdout=subprocess.PIPE)
    try:  # an endless stream: only a reader that stops at its limit ends
        done = subprocess.run(command, stdin=feeder.stdout, capture_output=True, cwd=ROOT, timeout=120)
    finally:
        feeder.kill()
    assert b"more than 4,000 bytes is over ingest.max_chars_per_document=1,000" in done.stderr
    line = b'{"id": "long", "documents": ["' + b"word " * 2000 + b'"]}\n{"id": "next", "documents": []}\n'
    done = subprocess.run(command, input=line, capture_output=True, cwd=ROOT, timeout=120)
    records = [json.loads(row) for row in done.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == ["long", "next"]  # the long line cut and refused alone; the next read
    assert "error" in records[0]


def _frank_row(**changes) -> str:
    row = {"id": "r1", "hash": "a1", "dataset": "cnndm", "model_name": "bart", "article": "An article text.",
           "summary": "A summary.", "label": 1, "baseline_metrics": {"BertScore P": 0.88}}
    row.update(changes)
    return json.dumps(row, ensure_ascii=False) + "\n"


def test_eval_inputs_are_checked_and_named(tmp_path):
    """W7, W8, T11-T14: labels outside {0, 1} gave AUCs of 1.5; Latin-1, UTF-16 and deep lines, a number
    for an article and a string for a score were tracebacks; a --predictions name used twice, or the
    name of a system, pooled or dropped systems."""
    from summarizer.cli import main
    from summarizer.evaluation.frank import load_frank
    from summarizer.evaluation.systems import PredictionsFile
    from summarizer.ingest import InputError

    rows = tmp_path / "frank.jsonl"
    for change, message in (({"label": 2}, "label 2 is not 0 or 1"), ({"label": "1"}, "label '1' is not 0 or 1"),
                            ({"label": 1.7}, "label 1.7 is not 0 or 1"), ({"article": 12345}, "'article' must be a string"),
                            ({"baseline_metrics": {"bertscore": "abc"}}, "'baseline_metrics' must map")):
        rows.write_text(_frank_row() + _frank_row(**change), encoding="utf-8")
        with pytest.raises(InputError, match=rf"frank.jsonl:2: not a FRANK row .*{message}"):
            load_frank(rows)
    rows.write_text(_frank_row(label=0), encoding="utf-16")  # with its byte-order mark: read
    assert [e.label for e in load_frank(rows)] == [0]
    rows.write_bytes(_frank_row(article="Caf\u00e9").encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_frank(rows)
    predictions = tmp_path / "preds.jsonl"
    predictions.write_text('{"id": "a", "summary": "One."}\n' + "[" * 100_000 + "\n", encoding="utf-8")
    read = PredictionsFile("m", predictions)
    assert read.predictions == {"a": "One."} and "preds.jsonl:2: skipped (RecursionError" in read.problems[0]
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"id": "a", "documents": ["One outlet's text of the story, long enough."],
                                "reference": "One."}) + "\n", encoding="utf-8")
    for systems, flags in (("lead", ["--predictions", f"lead={predictions}"]),
                           ("", ["--predictions", f"m={predictions}", "--predictions", f"m={predictions}"])):
        assert main(["eval", "--data", str(data), "--systems", systems, *flags]) == 2


def test_planted_links_never_make_a_writer_write_outside_its_folder(tmp_path):
    """S1: links planted at the temporary names (.NAME.partial, .index.html.tmp, .NAME.compact) or at
    report.md made run, the HTML pages, batch compaction and eval overwrite files outside the folder."""
    from summarizer.batch.output_file import compact_output
    from summarizer.render.paths import write_atomically
    from summarizer.render.html import write_page

    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for planted in (".summary.txt.partial", ".index.html.tmp", ".out.jsonl.compact", "report.md"):
        (out / planted).symlink_to(victim)
    article = tmp_path / "story.txt"
    article.write_text(" ".join(d.text.replace("\n", " ") for d in PACT.documents), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "summarizer", "run", str(article), "--output",
                           str(out / "summary.txt"), "--set", "fuse.backend=extractive", "--quiet"],
                          capture_output=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-300:]
    write_page(out, "index.html", "<html></html>")
    (out / "out.jsonl").write_text('{"id": "a"}\n{"id": "a", "x": 1}\n', encoding="utf-8")
    compact_output(out / "out.jsonl")
    write_atomically(out / "report.md", "# report\n")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (out / "out.jsonl").read_text(encoding="utf-8") == '{"id": "a", "x": 1}\n'
    assert not (out / "report.md").is_symlink() and (out / "report.md").read_text() == "# report\n"
    assert (out / "summary.txt").stat().st_mode & 0o777 == 0o666 & ~_umask()
    # Second look: eval's figures were written through a link as well.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from summarizer.evaluation.report import _save

    (out / "metrics.png").symlink_to(victim)
    figure = plt.figure()
    _save(figure, out / "metrics.png")
    plt.close(figure)
    assert not (out / "metrics.png").is_symlink() and (out / "metrics.png").read_bytes().startswith(b"\x89PNG")
    assert victim.read_text(encoding="utf-8") == "precious"


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_outputs_never_replace_inputs_settings_or_a_running_batch(tmp_path, capsys):
    """D1 (a page folder holding the input page), D2 (a one-line JSON file taken for a torn line),
    D3 (run replacing a file a batch is writing), D4 (an id left twice by a killed --retry-errors run)
    and D5 (a batch output named like one of its pages)."""
    from pathlib import Path

    from summarizer.batch.output_file import recover_output
    from summarizer.cli import main
    from summarizer.render.paths import OutputLock

    extractive = ["--set", "fuse.backend=extractive", "--quiet"]
    pages = tmp_path / "in"
    pages.mkdir()
    page = pages / "index.html"
    page.write_text("<html><body><p>" + " ".join(d.text for d in PACT.documents) + "</p></body></html>")
    before = page.read_bytes()
    assert main(["run", str(page), "--format", "html", "--output", f"{pages}/", *extractive]) == 2
    assert main(["batch", str(page), "--output", str(tmp_path / "o.jsonl"), "--html", str(pages), *extractive]) == 2
    assert page.read_bytes() == before
    clusters = tmp_path / "in.jsonl"
    clusters.write_text(json.dumps({"id": "undated", "documents": [d.text for d in PACT.documents]}) + "\n")
    assert main(["batch", str(clusters), "--output", str(tmp_path / "p" / "undated.html"), "--html",
                 str(tmp_path / "p"), *extractive]) == 2
    settings = tmp_path / "settings.json"
    settings.write_text('{"id": "my-settings", "api_token": "keep-me"}')
    assert main(["batch", str(clusters), "--output", str(settings), *extractive]) == 2
    assert settings.read_text() == '{"id": "my-settings", "api_token": "keep-me"}'
    busy = tmp_path / "busy.jsonl"
    busy.write_text('{"id": "x", "error": "e"}\n')
    lock = OutputLock(busy)  # what a running batch holds
    try:
        assert main(["run", str(clusters), "--format", "jsonl", "--output", str(busy), *extractive]) == 2
    finally:
        lock.release()
    assert "is being written by" in capsys.readouterr().err and busy.read_text() == '{"id": "x", "error": "e"}\n'
    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"id": "c0", "error": "E"}\n{"id": "c0", "schema_version": 2, "summary": "s"}\n')
    assert recover_output(Path(twice)) == {"c0"}
    assert twice.read_text() == '{"id": "c0", "schema_version": 2, "summary": "s"}\n'


def test_a_news_page_with_megabytes_of_script_is_one_article():
    """W6: a 5-paragraph article with 1.5 MB of inline script was refused by the article-text limit."""
    story = " ".join(d.text.replace("\n", " ") for d in PACT.documents)
    page = ("<html><head><title>Pact</title><script>" + "var x = 1;" * 150_000 + "</script></head><body><article>"
            + "".join(f"<p>{line}</p>" for line in PACT.documents[0].text.split("\n")) + "</article></body></html>")
    assert len(page) > 1_000_000
    summary = Summarizer(fuse={"backend": "extractive"})([page, story])
    assert "signed" in summary.text and "var x" not in summary.text


def test_smaller_silent_cases_are_named(tmp_path):
    """W9 and T18: the API summarised the first cluster of a multi-cluster file without a word and took
    a set (no order) as documents; `--output dir/` with --format json wrote a file called `dir`;
    `--retry-errors` with nothing to retry rewrote the output; a huge batch size failed per cluster."""
    import os

    from summarizer import summarize
    from summarizer.cli import main
    from summarizer.config import ConfigError, load_config
    from summarizer.errors import UsageError

    several = tmp_path / "several.jsonl"
    several.write_text("".join(json.dumps({"id": f"c{k}", "documents": [d.text for d in PACT.documents]}) + "\n"
                               for k in range(2)))
    with pytest.raises(UsageError, match="holds several clusters; give them to summarize_many"):
        summarize(str(several))
    with pytest.raises(UsageError, match="a set has no order"):
        summarize({d.text for d in PACT.documents})
    assert main(["run", str(several), "--format", "json", "--output", f"{tmp_path}/dir/",
                 "--set", "fuse.backend=extractive", "--quiet"]) == 2
    assert not (tmp_path / "dir").exists()
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(several), "--output", str(out), "--set", "fuse.backend=extractive", "--quiet"]) == 0
    inode = os.stat(out).st_ino
    assert main(["batch", str(several), "--output", str(out), "--retry-errors", "--set", "fuse.backend=extractive",
                 "--quiet"]) == 0
    assert os.stat(out).st_ino == inode  # nothing retried: the file was not rewritten
    with pytest.raises(ConfigError, match="embedding.batch_size"):
        load_config(None, [f"embedding.batch_size={2**62}"])


def test_an_unreadable_dataset_fails_before_the_models_load_and_leaves_no_output(tmp_path):
    """W9: a bad Parquet file was reported only after the models loaded (20 s), leaving an empty --output."""
    bad = tmp_path / "bad.parquet"
    bad.write_text("not a parquet file")
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "summarizer", "batch", str(bad), "--output", str(out),
                           "--set", "fuse.backend=extractive"], capture_output=True, cwd=ROOT, timeout=300)
    assert done.returncode != 0 and b"could not be read as a dataset" in done.stderr
    assert b"models ready" not in done.stderr and not out.exists()
