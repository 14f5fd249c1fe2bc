"""The command line as users run it: ``python -m summarizer run …``."""
import json
import os
import subprocess
import sys

import pytest
from helpers import EXAMPLE, PACT, ROOT

from summarizer.cli import main
from summarizer.text import checkable_terms, term_forms, term_is_supported


def run_cli(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """The real entry point in a fresh process, as a user's shell would start it."""
    return subprocess.run([sys.executable, "-m", "summarizer", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def assert_cited_and_grounded(record: dict) -> None:
    """Every sentence cites sources, and its names and numbers occur in what it cites."""
    assert record["sentences"]
    for sentence in record["sentences"]:
        assert sentence["citations"], sentence
        # A source sentence as written is never "fused"; fused text rests on two documents or more.
        assert not (sentence["fused"] and sentence["origin"] == "extracted"), sentence
        assert not sentence["fused"] or len(sentence["cited_documents"]) >= 2, sentence
        cited = " ".join(c["text"] for c in sentence["citations"])
        forms = term_forms(cited)
        for kind, token in checkable_terms(sentence["text"]):
            assert term_is_supported(kind, token, forms), (token, sentence["text"], cited)


@pytest.mark.slow
def test_default_backend_on_the_example_through_the_real_entry_point():
    text = run_cli("run", str(EXAMPLE))
    assert text.returncode == 0, text.stderr
    assert "[1" in text.stdout and "Sources:" in text.stdout
    assert "generating 5 fusion request(s)" in text.stderr  # progress is reported on stderr

    result = run_cli("run", str(EXAMPLE), "--format", "json", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    record = json.loads(result.stdout)
    assert_cited_and_grounded(record)
    assert record["model"]["backend"] == "wordgraph"
    # The default fuses: the bridge's lanes, from two outlets' wordings, in one checked sentence.
    fused = [s for s in record["sentences"] if s["fused"]]
    assert fused and all(len(s["cited_documents"]) >= 2 and s["origin"] == "generated" for s in fused)
    assert set(record["timings_seconds"]) == {"segment", "embed", "align", "retrieve", "fuse", "guard", "dedupe", "neutral",
                                              "compare"}
    assert {"lavish", "stunning", "grand"}.isdisjoint(record["summary"].lower().split())
    removed = record["documents"][1]["removed_lines"]
    assert "Source: River Post" in removed and "Related: Ten things to know about the Lenne River" in removed


@pytest.mark.slow
def test_seed_cluster_summary(seeds_dir):
    result = run_cli("run", str(seeds_dir), "--format", "json", "--quiet")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert 80 <= record["word_count"] <= 200
    assert_cited_and_grounded(record)
    lowered = record["summary"].lower()
    for colour in ("spectacle", "enthusiastic devotion", "lavish"):
        assert colour not in lowered


def test_seq2seq_override_through_the_cli(tiny_bart, tmp_path, capsys):
    output = tmp_path / "out.json"
    code = main(["run", str(EXAMPLE), "--set", "fuse.backend=seq2seq", "--set", f"fuse.model={tiny_bart}",
                 "--set", "fuse.min_new_tokens=8", "--set", "fuse.summary_max_new_tokens=16",
                 "--format", "json", "--output", str(output), "-q"])
    assert code == 0, capsys.readouterr().err
    record = json.loads(output.read_text())
    assert record["model"] == {"backend": "seq2seq", "name": str(tiny_bart)}
    assert_cited_and_grounded(record)  # the guard still applies to a random model's output


def test_markdown_and_jsonl_of_several_clusters(tmp_path, capsys):
    clusters = tmp_path / "clusters.jsonl"
    docs = [{"title": "", "text": p.read_text()} for p in sorted(EXAMPLE.iterdir())]
    clusters.write_text("\n".join(json.dumps({"id": f"c{i}", "documents": docs}) for i in range(2)) + "\n")
    assert main(["run", str(clusters), "--set", "fuse.backend=extractive", "--format", "json", "-q"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert [json.loads(line)["id"] for line in lines] == ["c0", "c1"]
    assert main(["run", str(EXAMPLE), "--set", "fuse.backend=extractive", "--format", "markdown", "-q"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("## Summary: bridge") and "### Sources" in markdown


def test_words_sets_the_summary_length_on_run_batch_and_eval(seeds_dir, tmp_path, capsys):
    """Issue #15 item 6: --words N gives N words (headline included) whatever the input's length."""
    for words in (40, 100):
        assert main(["run", str(seeds_dir), "--words", str(words), "--set", "fuse.backend=extractive",
                     "--format", "json", "-q"]) == 0
        record = json.loads(capsys.readouterr().out)
        total = record["word_count"] + (len(record["headline"]["text"].split()) if record["headline"] else 0)
        assert words * 0.7 <= total <= words, total
    for command in (["batch", "x.jsonl", "--output", "o.jsonl"], ["eval", "--data", "x.jsonl"]):
        with pytest.raises(SystemExit):
            main([*command, "--words", "5"])
        assert "--words 5: a summary needs at least 10 words" in capsys.readouterr().err


@pytest.mark.parametrize("files, code, message", [
    ({}, 2, "the folder has no files"),
    ({"empty.txt": b""}, 2, "no usable documents"),
    ({"blob.bin": b"\x00\x01\x00\x02"}, 2, "looks like a binary file"),
])
def test_bad_folders_get_clear_errors(tmp_path, capsys, files, code, message):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert main(["run", str(tmp_path), "--set", "fuse.backend=extractive", "-q"]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_one_document_and_junk_files_still_summarise(tmp_path, capsys):
    (tmp_path / "story.txt").write_text((EXAMPLE / "01_daily_ledger.txt").read_text())
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert main(["run", str(tmp_path), "--set", "fuse.backend=extractive", "-q"]) == 0
    captured = capsys.readouterr()
    assert "Harbor City" in captured.out
    assert "empty.txt: skipped" in captured.err and "image.png: looks like a binary file" in captured.err


def test_a_page_trafilatura_gives_up_on_is_read_without_its_log_chatter(tmp_path, capsys, caplog):
    story = (EXAMPLE / "01_daily_ledger.txt").read_text()
    # nested too deeply for trafilatura, which logs "discarding data: None"; our own reader reads it
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 3000 + "<p>" + story + "</p>"
                                        + "</div>" * 3000 + "</body></html>")
    (tmp_path / "plain.txt").write_text(story)
    assert main(["run", str(tmp_path), "--set", "fuse.backend=extractive", "-q"]) == 0
    assert "Harbor City" in capsys.readouterr().out
    assert not [r for r in caplog.records if r.name.startswith("trafilatura")]


def test_usage_errors(capsys):
    assert main(["run", "no/such/folder", "-q"]) == 2
    assert "no/such/folder: no such file or folder" in capsys.readouterr().err
    assert main(["run", str(EXAMPLE), "--set", "fuse.beams=2", "-q"]) == 2
    assert "did you mean 'num_beams'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for option in ("--config", "--set", "--format", "--output", "--limit", "--quiet"):
        assert option in help_text


def test_cli_conventions(capsys, monkeypatch, encoder):
    import io
    import logging

    from summarizer.cli import _parser

    extractive = ["--set", "fuse.backend=extractive", "--set", "output.include_timings=false"]
    # "-" reads JSON Lines of clusters, or one article, from standard input; --output - is stdout.
    lines = "\n".join(json.dumps({"id": f"c{i}", "documents": [{"text": d.text} for d in PACT.documents]})
                      for i in range(2))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert main(["run", "-", *extractive, "--format", "jsonl", "--output", "-", "--quiet"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ["c0", "c1"]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(" ".join(d.text for d in PACT.documents).encode())))
    assert main(["run", "-", *extractive, "--quiet"]) == 0
    assert "Norland" in capsys.readouterr().out
    # --format jsonl is JSON Lines whatever the number of clusters; --log-level error silences progress.
    assert main(["run", str(EXAMPLE), *extractive, "--format", "jsonl", "--log-level", "error"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 and json.loads(out)["id"] == "bridge" and err == ""
    logging.getLogger().setLevel(logging.WARNING)
    monkeypatch.setattr("sys.argv", ["/usr/local/bin/summarizer"])
    assert _parser().prog == "summarizer"
    monkeypatch.setattr("sys.argv", ["/x/summarizer/__main__.py"])
    assert _parser().prog == "python -m summarizer"


def test_a_plain_run_imports_only_what_it_uses(tmp_path):
    """Issue #19: a folder run (text and HTML output) imports no dataset, evaluation, plotting or Ray
    library: each costs start-up time a user waits through for nothing."""
    script = ("import sys; from summarizer.cli import main; "
              f"assert main(['run', 'examples/bridge', '--set', 'fuse.backend=extractive', '-q', '--output', {str(tmp_path / 'a.txt')!r}]) == 0; "
              f"assert main(['run', 'examples/bridge', '--set', 'fuse.backend=extractive', '-q', '--format', 'html', '--output', {str(tmp_path / 'p')!r}]) == 0; "
              "unneeded = [m for m in ('datasets', 'evaluate', 'matplotlib', 'ray', 'pandas', 'pyarrow', 'sklearn', 'rouge_score') "
              "if m in sys.modules]; assert not unneeded, unneeded")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
