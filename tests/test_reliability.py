"""Hostile inputs through the real command line: each gets a clear message or a sensible summary,
never a traceback. Named cases first, then property-based fuzzing (hypothesis, bounded)."""
import json
import traceback
from pathlib import Path

import pytest
from helpers import PACT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.cli import main
from summarizer.config import ConfigError, load_config
from summarizer.ingest import InputError, cluster_from_record
from summarizer.ingest.readers import decode_bytes, make_document
from summarizer.segment import split_sentences

EXTRACTIVE = ["--set", "fuse.backend=extractive"]
STORY = [d.text for d in PACT.documents]


def cli(capsys, *args):
    """``main`` in this process (fast); an exception escaping it fails the test with its traceback."""
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    except BaseException:
        pytest.fail("traceback escaped the CLI:\n" + traceback.format_exc())
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def folder(tmp_path, files: dict[str, bytes | str]):
    path = tmp_path / "story"
    path.mkdir(parents=True)
    for name, content in files.items():
        target = path / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def summary_of(out: str) -> dict:
    return json.loads(out)


# -- named cases, as users meet them -----------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf"])
def test_only_empty_or_blank_files(tmp_path, capsys, encoder, content):
    path = folder(tmp_path, {"a.txt": content, "b.txt": content})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE)
    assert code == 2 and out == ""
    assert "no usable documents" in err and "a.txt" in err and "fewer than 5 words" in err


def test_binary_file_is_skipped_with_a_warning(tmp_path, capsys, encoder):
    path = folder(tmp_path, {"a.txt": STORY[0], "b.txt": STORY[1], "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json")
    assert code == 0
    assert "photo.jpg" in err and "binary" in err and "skipped" in err
    record = summary_of(out)
    assert [d["doc_id"] for d in record["documents"]] == ["a", "b"] and record["sentences"]


def test_encodings_invalid_utf8_latin1_and_utf16(tmp_path, capsys, encoder):
    latin = "Officials in Zürich said the café on the Limmat would reopen in March after repairs."
    path = folder(tmp_path, {
        "latin1.txt": (STORY[0] + "\n" + latin).encode("latin-1"),
        "utf16.txt": (STORY[1] + "\n" + latin).encode("utf-16"),  # with BOM
        "broken.txt": STORY[2].encode("utf-8") + b"\n\xc3\x28 stray byte.",
    })
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json")
    assert code == 0
    assert "latin1.txt: not valid UTF-8" in err and "broken.txt: not valid UTF-8" in err
    record = summary_of(out)
    texts = {d["doc_id"]: d for d in record["documents"]}
    assert set(texts) == {"latin1", "utf16", "broken"}
    cited = " ".join(c["text"] for s in record["sentences"] for c in s["citations"])
    assert "\ufffd" not in record["summary"] and "\x00" not in cited


def test_html_pages_are_read_as_their_visible_text(tmp_path, capsys, encoder):
    page = ("<!DOCTYPE html><html><head><title>Norland and Sudland sign pact</title>"
            "<script>var tracker = 'do not summarise me';</script><style>p {color: red}</style></head>"
            "<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article>"
            + "".join(f"<p>{line}</p>" for line in STORY[0].split("\n"))
            + "</article><footer>Copyright 2026 Example News</footer></body></html>")
    path = folder(tmp_path, {"a.html": page, "b.txt": STORY[1], "c.txt": STORY[2]})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json")
    assert code == 0, err
    record = summary_of(out)
    page_doc = next(d for d in record["documents"] if d["doc_id"] == "a")
    assert page_doc["title"] == "Norland and Sudland sign pact"
    assert "<" not in record["summary"] and "tracker" not in out and "Home" not in record["summary"]


def test_a_10_mb_document_is_refused_with_the_limit_to_raise(tmp_path, capsys, encoder):
    big = (STORY[0].replace("\n", " ") + "\n") * (10_000_000 // len(STORY[0]) + 1)
    path = folder(tmp_path, {"big.txt": big, "b.txt": STORY[1]})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE)
    assert code == 2 and out == ""
    assert "big.txt" in err and "ingest.max_chars_per_document" in err and "--set" in err


def test_one_document_gives_a_summary(tmp_path, capsys, encoder):
    path = folder(tmp_path, {"only.txt": STORY[0]})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json")
    assert code == 0
    record = summary_of(out)
    assert record["sentences"] and all(s["citations"] for s in record["sentences"])
    assert record["comparison"]["note"] == "one document: nothing to compare"


@pytest.mark.slow  # 500 documents through the CLI: about 12 s
def test_500_documents_need_the_limit_raised_then_work(tmp_path, capsys, encoder):
    files = {f"{i:03d}.txt": STORY[i % 3].split("\n")[i % 2] + f" Reporter {i} filed it." for i in range(500)}
    path = folder(tmp_path, files)
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE)
    assert code == 2 and "500 documents is over ingest.max_documents=200" in err and "--set ingest.max_documents" in err
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--set", "ingest.max_documents=500",
                         "--format", "json")
    assert code == 0, err
    record = summary_of(out)
    assert record["sentences"] and len(record["documents"]) == 500
    assert record["selection"][0]["support_count"] > 100


def test_identical_duplicates_give_one_copy_of_each_fact(tmp_path, capsys, encoder):
    path = folder(tmp_path, {f"copy{i}.txt": STORY[0] for i in range(4)})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json")
    assert code == 0
    record = summary_of(out)
    texts = [s["text"] for s in record["sentences"]]
    assert len(texts) == len(set(texts))
    assert record["selection"][0]["support_count"] == 4


@pytest.mark.parametrize("script, documents", [
    ("cyrillic", ["Лидеры двух стран подписали договор о взаимной помощи в среду. Договор вступит в силу в марте.",
                  "В среду лидеры двух стран подписали договор о взаимной помощи. Он вступит в силу в марте.",
                  "Договор о взаимной помощи подписали лидеры двух стран. Соглашение вступит в силу в марте."]),
    ("cjk", ["两国领导人星期三签署了互助条约。条约将于三月生效。",
             "星期三，两国领导人签署了互助条约。该条约三月生效。",
             "两国领导人签署互助条约。条约将在三月生效。"]),
    ("arabic", ["وقع زعيما البلدين معاهدة للمساعدة المتبادلة يوم الأربعاء. وستدخل المعاهدة حيز التنفيذ في مارس.",
                "يوم الأربعاء وقع زعيما البلدين معاهدة للمساعدة المتبادلة. تدخل المعاهدة حيز التنفيذ في مارس.",
                "وقع الزعيمان معاهدة المساعدة المتبادلة. وستدخل حيز التنفيذ في شهر مارس."]),
])
def test_other_scripts(tmp_path, capsys, encoder, script, documents):
    path = folder(tmp_path, {f"{i}.txt": text for i, text in enumerate(documents)})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json")
    assert code == 0, err
    record = summary_of(out)
    assert record["sentences"], err
    for sentence in record["sentences"]:
        assert sentence["text"] in " ".join(documents) and sentence["citations"]


def test_a_5000_word_sentence_without_punctuation(tmp_path, capsys, encoder):
    words = " ".join(f"word{i % 97} and the pact" for i in range(1250))
    path = folder(tmp_path, {"wall.txt": words, "b.txt": STORY[1], "c.txt": STORY[2]})
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json")
    assert code == 0, err
    record = summary_of(out)
    assert record["sentences"]
    assert all(len(s["text"].split()) <= 80 for s in record["sentences"])
    # Alone, the wall of words is still summarised, in pieces of readable length.
    alone = folder(tmp_path / "alone", {"wall.txt": words})
    code, out, err = cli(capsys, "run", str(alone), *EXTRACTIVE, "--format", "json")
    assert code == 0, err
    assert summary_of(out)["sentences"]


def test_jsonl_with_malformed_lines_missing_fields_and_wrong_types(tmp_path, capsys, encoder):
    good = json.dumps({"id": "good", "documents": [{"title": "", "text": t} for t in STORY]})
    lines = [good, "{not json", json.dumps({"id": "nodocs"}), json.dumps({"id": "wrongtype", "documents": 7}),
             json.dumps({"id": "badtext", "documents": [{"text": 5}]}), json.dumps([1, 2]),
             good.replace('"good"', '"good2"'), "\xff\xfe garbage".encode("latin-1").decode("latin-1")]
    data = tmp_path / "clusters.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    code, out, err = cli(capsys, "run", str(data), *EXTRACTIVE, "--format", "json", "--output", str(output))
    assert code == 1  # some input failed: reported, and what was good is written
    for where, what in ((2, "not valid JSON"), (3, "missing field 'documents'"), (4, "must be a list"),
                        (5, "must be strings"), (6, "expected a JSON object")):
        assert f"clusters.jsonl:{where}" in err and what in err, (where, what, err)
    written = [json.loads(line) for line in output.read_text().splitlines()]
    # Every input line that holds a record has its output line: a summary, or the error it met.
    assert [r["id"] for r in written if "error" not in r] == ["good", "good2"]
    assert [r["id"] for r in written if "error" in r] == [
        "clusters-2", "nodocs", "wrongtype", "badtext", "clusters-6", "clusters-8"]


def test_missing_path_and_wrong_options(tmp_path, capsys):
    code, _, err = cli(capsys, "run", str(tmp_path / "nowhere"), *EXTRACTIVE)
    assert code == 2 and "nowhere" in err
    code, _, err = cli(capsys, "run", str(tmp_path), "--set", "retrieve.budget_tokns=5")
    assert code == 2 and "did you mean 'budget_tokens'" in err
    code, _, err = cli(capsys, "run", str(tmp_path), "--set", "fuse.model=./no/such/model", "--set", "fuse.backend=seq2seq")
    assert code == 2 and "fuse.model" in err and "no such folder" in err


# -- config safety ---------------------------------------------------------------------------

def test_config_is_data_never_code(tmp_path):
    marker = tmp_path / "pwned"
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(f"seed: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(hostile)
    assert not marker.exists()
    with pytest.raises(ConfigError, match="lexicon_path"):
        load_config(None, [f"evaluation.lexicon_path={tmp_path / 'missing.txt'}"])
    with pytest.raises(ConfigError, match="is a file"):
        load_config(None, [f"fuse.cache_dir={hostile}"])


# -- property-based fuzzing --------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
INGEST = load_config(None, EXTRACTIVE[1:]).ingest
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)


@FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_any_bytes_decode_and_clean_or_fail_clearly(data):
    try:
        text = decode_bytes(data, "fuzz.txt").text
        document = make_document("d0", text, "", "fuzz.txt", INGEST)
    except InputError as error:
        assert "fuzz.txt" in str(error)
        return
    assert "\x00" not in document.text and "\r" not in document.text


@FUZZ
@given(st.text(max_size=600))
def test_fuzz_sentence_spans_point_at_their_text(text):
    for sentence, (start, end) in split_sentences(text):
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == sentence


@FUZZ
@given(st.one_of(json_values, st.fixed_dictionaries(
    {"id": json_values, "documents": st.one_of(json_values, st.lists(st.one_of(
        st.text(max_size=80), st.fixed_dictionaries({"title": json_values, "text": json_values})), max_size=4))})))
def test_fuzz_any_json_record_is_a_cluster_or_a_clear_error(record):
    try:
        cluster = cluster_from_record(record, "fallback", "in.jsonl:1", INGEST)
    except InputError as error:
        assert str(error).startswith("in.jsonl:1")
        return
    assert cluster.documents and all(d.text.strip() for d in cluster.documents)


@pytest.fixture(scope="module")
def extractive_pipeline(encoder):
    from summarizer.pipeline import Pipeline

    return Pipeline(load_config(None, EXTRACTIVE[1:]))


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(st.sampled_from([s for t in STORY for s in t.split("\n")]), st.text(max_size=120)),
                         min_size=1, max_size=5), min_size=1, max_size=4))
def test_fuzz_pipeline_cites_real_sentences(extractive_pipeline, documents):
    from helpers import make_cluster

    from summarizer.ingest.readers import finish_cluster

    raw = make_cluster(*documents)
    try:
        cluster = finish_cluster("fuzz", [make_document(d.doc_id, d.text, "", d.source, INGEST)
                                          for d in raw.documents], None, [], INGEST, "fuzz")
    except InputError:
        return
    summary = extractive_pipeline.summarize(cluster)
    texts = {d.doc_id: d.text for d in cluster.documents}
    for sentence in summary.sentences:
        assert sentence.citations
        for ref in sentence.citations:
            assert texts[ref.doc_id][ref.span[0]:ref.span[1]].strip()
    assert summary.comparison is not None


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_fuzz_guard_never_passes_unsupported_names_or_numbers(extractive_pipeline, candidate):
    from helpers import embed

    from summarizer.text import checkable_terms, term_forms, term_is_supported
    from summarizer.verify import SourceIndex

    guard = extractive_pipeline.policy.guard
    index = SourceIndex.of(embed(PACT, extractive_pipeline.encoder, extractive_pipeline.config))
    verdict = guard.check([candidate], index)[0]
    if verdict.check.supported:
        forms = term_forms(" ".join(s.text for s in verdict.support))
        assert all(term_is_supported(kind, token, forms) for kind, token in checkable_terms(candidate))


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                          st.sampled_from([t.encode() for t in STORY])), min_size=1, max_size=4))
def test_fuzz_cli_on_folders_of_arbitrary_files(tmp_path_factory, capsys, encoder, files):
    path = tmp_path_factory.mktemp("fuzz")
    for i, content in enumerate(files):
        (path / f"{i}.txt").write_bytes(content)
    code, out, err = cli(capsys, "run", str(path), *EXTRACTIVE, "--format", "json", "--quiet")
    assert code in (0, 2), err
    if code == 0:
        assert summary_of(out)["id"] == path.name
    else:
        assert err.startswith("error: ") and str(path) in err


# -- determinism, crash safety, cache safety ----------------------------------------------------

@pytest.mark.slow
def test_same_input_and_config_give_byte_identical_json_across_processes(tmp_path):
    """The embedded default, two fresh processes with different hash seeds: the same bytes."""
    import os
    import subprocess
    import sys

    from helpers import EXAMPLE, ROOT

    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"run-{hash_seed}.json"
        result = subprocess.run(
            [sys.executable, "-m", "summarizer", "run", str(EXAMPLE), "--format", "json", "--quiet",
             "--set", "output.include_timings=false", "--output", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
            env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    record = json.loads(outputs[0])
    assert record["timings_seconds"] is None and record["model"]["backend"] == "wordgraph"


@pytest.mark.slow
def test_two_first_runs_at_once_share_one_intact_cache(tmp_path):
    import subprocess
    import sys

    from helpers import ROOT

    script = ("import sys; from summarizer.fuse.embedded import cached_checkpoint; "
              "print(cached_checkpoint(sys.argv[1]))")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in processes]
    assert all(p.returncode == 0 for p in processes), results
    paths = {out.strip() for out, _ in results}
    assert len(paths) == 1
    assert [p.name for p in tmp_path.iterdir()] == [Path(paths.pop()).name]  # no temporary folders left

    from summarizer.config import FuseConfig
    from summarizer.fuse.embedded import EmbeddedGenerator, cache_is_complete

    folder = next(tmp_path.iterdir())
    assert cache_is_complete(folder)
    # Damage in place, size kept: detected when loading, and rebuilt.
    weights = folder / "model.safetensors"
    size = weights.stat().st_size
    with weights.open("r+b") as handle:
        handle.write(b"\xff" * 64)
    assert weights.stat().st_size == size
    generator = EmbeddedGenerator(FuseConfig(cache_dir=str(tmp_path)))
    assert generator.count_tokens(["Putin met Kim."])[0] > 0
    with weights.open("rb") as handle:
        assert handle.read(64) != b"\xff" * 64
