"""The pipeline end to end with scripted and tiny random generators: the guard always applies."""
import pytest
from helpers import PACT

from summarizer.config import FuseConfig, RunConfig, with_overrides
from summarizer.fuse import GENERATORS, FusionRequest, Generator, Passage
from summarizer.pipeline import Pipeline
from summarizer.types import Origin


class ScriptedGenerator(Generator):
    """Returns prepared outputs, so tests can feed the guard known good and bad drafts."""

    name = "scripted"

    def __init__(self, outputs: list[str], unit: str = "group") -> None:
        super().__init__(FuseConfig(unit=unit))
        self.outputs = outputs
        self.requests: list[FusionRequest] = []

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]

    def generate(self, requests):
        self.requests.extend(requests)
        return self.outputs[:len(requests)]


def _assert_trustworthy(summary, cluster):
    texts = {d.doc_id: d.text for d in cluster.documents}
    assert summary.sentences
    for sentence in summary.sentences:
        assert sentence.citations, sentence
        assert sentence.check.supported, sentence
        for ref in sentence.citations:
            assert texts[ref.doc_id][ref.span[0]:ref.span[1]]


def test_guard_replaces_hallucinations_and_keeps_faithful_fusions(encoder):
    generator = ScriptedGenerator([
        "The leaders of Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday.",
        "Both countries must help each other if either one is attacked by the United States.",
        "The above three sources provide different perspectives on the agreement.",
    ])
    summary = Pipeline(RunConfig(), generator=generator).summarize(PACT)
    _assert_trustworthy(summary, PACT)
    assert generator.requests and all(r.unit == "group" for r in generator.requests)
    first, second = summary.sentences[0], summary.sentences[1]
    assert first.origin is Origin.GENERATED and set(first.cited_docs) == {"d0", "d1", "d2"}
    assert second.origin is Origin.EXTRACTED
    assert second.rejected_text == "Both countries must help each other if either one is attacked by the United States."
    assert "United" in second.check.reason
    assert "United States" not in summary.text and "sources" not in summary.text


def test_a_draft_that_drops_what_two_outlets_report_does_not_replace_the_source(encoder):
    # Two outlets write that the *leaders* signed; a supported draft without them loses that.
    generator = ScriptedGenerator(["Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday.",
                                   "", ""])
    first = Pipeline(RunConfig(), generator=generator).summarize(PACT).sentences[0]
    assert first.origin is Origin.EXTRACTED and "leader" in first.check.reason
    assert first.text == "The leaders of Norland and Sudland signed a mutual defence pact on Wednesday in Port Vale."


def test_an_incomplete_sentence_does_not_replace_the_source(encoder):
    # Supported word for word, but its verb has no subject: the parser's check refuses it.
    generator = ScriptedGenerator(["The leaders of Norland and Sudland, signed a mutual defence pact in Port Vale, "
                                   "marks a new alliance on Wednesday.", "", ""])
    first = Pipeline(RunConfig(), generator=generator).summarize(PACT).sentences[0]
    assert first.origin is not Origin.GENERATED


def test_each_stage_counts_what_it_did(encoder):
    generator = ScriptedGenerator([
        "The leaders of Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday.",
        "Both countries must help each other if either one is attacked by the United States.",
        "The above three sources provide different perspectives on the agreement.",
    ] * 2)
    result = Pipeline(RunConfig(), generator=generator).summarize_batch([PACT, PACT])
    counters = result.stats.counters
    origins = [s.origin for summary in result.summaries for s in summary.sentences]
    assert counters["fuse.requests"] == len(generator.requests) > 0
    # The guard counts what it decided; dedupe then drops sentences that repeat one of their summary.
    assert counters["guard.generated"] >= origins.count(Origin.GENERATED) >= 1
    assert counters["guard.extracted"] >= origins.count(Origin.EXTRACTED) >= 1
    assert counters["guard.generated"] + counters["guard.repaired"] + counters["guard.extracted"] \
        == len(origins) + counters["dedupe.dropped"]
    assert set(result.stats.seconds) == {"segment", "embed", "align", "retrieve", "fuse", "guard", "dedupe", "neutral",
                                        "compare"}
    assert [s.cluster_id for s in result.summaries] == ["test", "test"]


def test_one_outlets_colour_is_removed(encoder):
    from helpers import make_cluster

    cluster = make_cluster(
        ("The leaders signed the pact during a lavish visit to Port Vale on Wednesday.",),
        ("The leaders signed the pact during a visit to Port Vale on Wednesday.",),
        ("The two leaders signed a pact in Port Vale on Wednesday during a visit.",),
    )
    generator = ScriptedGenerator(["The leaders signed the pact during a lavish visit to Port Vale on Wednesday."])
    summary = Pipeline(RunConfig(), generator=generator).summarize(cluster)
    assert "lavish" not in summary.text
    assert summary.sentences[0].edits == ("lavish",)
    # what a reader is told: the word left out, and in JSON the note of the edit
    from dataclasses import replace

    from summarizer.render.labels import sentence_label
    from summarizer.render.formats import summary_record
    from summarizer.types import Origin

    quoted = replace(summary.sentences[0], origin=Origin.EXTRACTED)  # the scripted model copied the source
    assert sentence_label(quoted) == "quoted from a source, without “lavish”"
    assert summary_record(summary, cluster, None)["sentences"][0]["edits"] == ["removed 'lavish'"]


def test_cluster_unit_checks_every_sentence(encoder):
    generator = ScriptedGenerator([
        "The leaders of Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday. "
        "Thousands of Zorbian troops crossed the border at dawn on Friday."], unit="cluster")
    summary = Pipeline(RunConfig(), generator=generator).summarize(PACT)
    _assert_trustworthy(summary, PACT)
    assert generator.requests[0].unit == "cluster"
    assert summary.sentences[0].origin is Origin.GENERATED
    assert "Zorbian" not in summary.text


def test_extractive_backend(encoder):
    config = with_overrides(RunConfig(), fuse={"backend": "extractive"})
    summary = Pipeline(config).summarize(PACT)
    _assert_trustworthy(summary, PACT)
    assert all(s.origin is Origin.EXTRACTED for s in summary.sentences)
    assert "spectacle" not in summary.text  # one outlet's colour is not chosen


def test_same_input_same_output(encoder):
    config = with_overrides(RunConfig(), fuse={"backend": "extractive"})
    first = Pipeline(config).summarize(PACT)
    second = Pipeline(config).summarize(PACT)
    assert first.sentences == second.sentences


@pytest.mark.parametrize("fixture, backend", [("tiny_bart", "seq2seq"), ("tiny_led", "seq2seq"),
                                              ("tiny_causal", "causal")])
def test_random_hf_models_run_end_to_end_under_the_guard(request, encoder, fixture, backend):
    path = request.getfixturevalue(fixture)
    config = with_overrides(RunConfig(), fuse={"backend": backend, "model": str(path),
                                               "max_new_tokens": 12, "summary_max_new_tokens": 24,
                                               "min_new_tokens": 8})
    pipeline = Pipeline(config)
    summary = pipeline.summarize(PACT)
    _assert_trustworthy(summary, PACT)
    # Random weights write gibberish: the guard must have replaced it with source sentences.
    assert any(s.rejected_text for s in summary.sentences)
    assert summary.backend == backend and summary.model == str(path)


def test_led_gets_global_attention_on_separators(tiny_led):
    generator = GENERATORS.build("seq2seq", FuseConfig(backend="seq2seq", model=str(tiny_led)))
    from summarizer.fuse import Passage

    request = FusionRequest((Passage("a", "The pact was signed ."), Passage("b", "Both countries must help .")),
                            "cluster", 10)
    inputs = generator.model_inputs([request])
    separator = generator.tokenizer.convert_tokens_to_ids("<doc-sep>")
    mask = inputs["global_attention_mask"][0]
    assert mask[0] == 1
    assert (mask[inputs["input_ids"][0] == separator] == 1).all()
    assert int(mask.sum()) == 2


def test_seq2seq_truncates_explicitly(tiny_bart, caplog):
    from summarizer.fuse import Passage

    generator = GENERATORS.build("seq2seq", FuseConfig(backend="seq2seq", model=str(tiny_bart),
                                                      max_input_tokens=16))
    request = FusionRequest(tuple(Passage(f"d{i}", "The pact was signed in Port Vale on Wednesday .")
                                  for i in range(4)), "cluster", 10)
    inputs = generator.model_inputs([request])
    assert inputs["input_ids"].shape[1] == 16
    assert "truncated to 16" in caplog.text


def test_unloadable_model_is_a_clear_error(tmp_path):
    with pytest.raises(RuntimeError, match="could not be loaded: the folder does not hold a loadable checkpoint"):
        GENERATORS.build("seq2seq", FuseConfig(backend="seq2seq", model=str(tmp_path)))


def test_batches_respect_size_and_token_budget(tiny_causal):
    from summarizer.fuse import Passage

    generator = GENERATORS.build("causal", FuseConfig(backend="causal", model=str(tiny_causal), batch_size=3,
                                                      max_batch_tokens=400))
    requests = [FusionRequest((Passage("a", " ".join(["pact"] * n)),), "group", 5) for n in (5, 80, 10, 60, 7, 6)]
    batches = generator._batches(requests)
    lengths = generator.count_tokens([generator.request_text(r) for r in requests])
    assert sorted(i for b in batches for i in b) == list(range(6))
    for batch in batches:
        assert len(batch) <= 3
        assert max(lengths[i] for i in batch) * len(batch) <= 400 or len(batch) == 1
        assert [lengths[i] for i in batch] == sorted((lengths[i] for i in batch), reverse=True)


def test_out_of_memory_splits_the_batch(tiny_causal, monkeypatch):
    import torch

    from summarizer.fuse import Passage

    generator = GENERATORS.build("causal", FuseConfig(backend="causal", model=str(tiny_causal), max_new_tokens=4,
                                                      min_new_tokens=2))
    real_generate = generator.model.generate
    sizes = []

    def generate_or_oom(**kwargs):
        sizes.append(kwargs["input_ids"].shape[0])
        if kwargs["input_ids"].shape[0] > 1:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real_generate(**kwargs)

    monkeypatch.setattr(generator.model, "generate", generate_or_oom)
    requests = [FusionRequest((Passage("a", "The pact was signed ."),), "group", 5) for _ in range(4)]
    outputs = generator.generate(requests)
    assert len(outputs) == 4 and all(isinstance(o, str) for o in outputs)
    assert sizes == [4, 2, 1, 1, 2, 1, 1]


def test_incremental_no_repeat_ngram_bans_what_transformers_bans():
    """Same bans as transformers' NoRepeatNGramLogitsProcessor (prompt included), step by step."""
    import torch
    from transformers import NoRepeatNGramLogitsProcessor

    from summarizer.fuse.decoding import IncrementalNoRepeatNGram

    generator = torch.Generator().manual_seed(0)
    sequence = torch.randint(0, 6, (3, 12), generator=generator)  # a small vocabulary repeats often
    ours, theirs = IncrementalNoRepeatNGram(3), NoRepeatNGramLogitsProcessor(3)
    bans = 0
    for length in range(5, 13):
        ids = sequence[:, :length]
        expected = theirs(ids, torch.zeros(3, 6))
        assert torch.equal(ours(ids, torch.zeros(3, 6)), expected)
        bans += int(torch.isinf(expected).sum())
    assert bans >= 3  # the comparison is not vacuous


def test_first_sentence_stop_ignores_list_markers_and_abbreviations():
    import torch

    from summarizer.fuse.decoding import FirstSentenceStop

    class Texts:  # a tokenizer whose "ids" index into a list of continuations
        def __init__(self, texts):
            self.texts = texts

        def batch_decode(self, ids, skip_special_tokens=True):
            return [self.texts[int(row[0])] for row in ids]

    texts = ["1. The pact was", "The pact was signed by the U.S.", "The pact was signed on Monday.",
             "The pact was signed in 2000.", "The pact was signed. It",
             '"We will not stand by. We will act," he said', '"We will not stand by," he said. Then']
    stop = FirstSentenceStop(Texts(texts), prompt_length=0)
    done = stop(torch.arange(len(texts)).unsqueeze(1), torch.zeros(len(texts), 2)).tolist()
    assert done == [False, False, True, True, True, False, True]


def test_headline_leads_every_output_format(encoder):
    import json
    from dataclasses import replace

    from summarizer.evaluation.systems import PipelineSystem
    from summarizer.render.formats import render

    titles = ["Lavish spectacle as Norland and Sudland sign defence pact", "Norland and Sudland sign defence pact",
              "Norland, Sudland sign pact in Port Vale"]
    cluster = replace(PACT, documents=tuple(replace(d, title=t) for d, t in zip(PACT.documents, titles)))
    config = with_overrides(RunConfig(), fuse={"backend": "extractive"})
    summary = Pipeline(config).summarize(cluster)
    headline = summary.headline
    assert headline is not None and headline.text in titles[1:] and "Lavish" not in headline.text
    number = int(headline.doc_id[1:]) + 1
    assert render(summary, cluster, config, "text").startswith(f"{headline.text} [{number}]\n({headline.basis})\n\n")
    assert f"**{headline.text}** [{number}]" in render(summary, cluster, config, "markdown")
    record = json.loads(render(summary, cluster, config, "json"))
    assert record["headline"] == {"text": headline.text, "document": headline.doc_id, "edits": [],
                                  "basis": "headline of d1, the closest to the other outlets' headlines and stories"}
    assert record["summary"] == summary.text and headline.text not in summary.text
    assert headline.text in render(summary, cluster, config, "html")
    # What the evaluation harness scores: the headline as a sentence, then the summary.
    output = PipelineSystem(config).run(cluster)
    assert output.summary == f"{headline.text}. {summary.text}"
    assert output.attributions[0] == (headline.doc_id,) and len(output.attributions) == len(summary.sentences) + 1


def test_headline_gets_the_same_neutral_edits(encoder):
    from dataclasses import replace

    only_title = replace(PACT.documents[0], title="Lavish ceremony as Norland and Sudland sign defence pact")
    cluster = replace(PACT, documents=(only_title,) + PACT.documents[1:])
    summary = Pipeline(with_overrides(RunConfig(), fuse={"backend": "extractive"})).summarize(cluster)
    assert summary.headline.text == "Ceremony as Norland and Sudland sign defence pact"
    assert summary.headline.edits == ("lavish",) and summary.headline.doc_id == "d0"


def test_a_seq2seq_model_keeps_its_own_generation_settings(tiny_bart, tmp_path):
    import shutil

    from transformers import GenerationConfig

    folder = tmp_path / "tuned-bart"
    shutil.copytree(tiny_bart, folder)
    # As facebook/bart-large-cnn ships: beams, lengths and a length penalty tuned by its authors.
    GenerationConfig(num_beams=4, min_length=12, max_length=20, length_penalty=2.0, no_repeat_ngram_size=3,
                     early_stopping=True, decoder_start_token_id=2, bos_token_id=1, eos_token_id=2,
                     pad_token_id=0, forced_eos_token_id=2).save_pretrained(folder)
    tuned = GENERATORS.build("seq2seq", FuseConfig(backend="seq2seq", model=str(folder)))
    kwargs = tuned.generation_kwargs("cluster")
    for key in ("num_beams", "max_new_tokens", "min_new_tokens", "length_penalty", "no_repeat_ngram_size"):
        assert key not in kwargs, key  # left to the model's generation_config
    captured = {}
    real = tuned.model.generate

    def generate(**arguments):
        output = real(**arguments)
        captured["length"] = output.shape[1]
        captured["beams"] = tuned.model.generation_config.num_beams
        return output

    tuned.model.generate = generate
    tuned.generate([FusionRequest((Passage("d0", PACT.documents[0].text),), "cluster", 20)])
    assert captured["beams"] == 4 and 12 <= captured["length"] <= 20  # its minimum and maximum length
    # A setting the user gives overrides the model's; unset ones stay the model's.
    chosen = GENERATORS.build("seq2seq", FuseConfig(backend="seq2seq", model=str(folder), num_beams=2))
    assert chosen.generation_kwargs("cluster")["num_beams"] == 2
    assert "min_new_tokens" not in chosen.generation_kwargs("cluster")
    # A model that sets nothing gets the backend's defaults.
    plain = GENERATORS.build("seq2seq", FuseConfig(backend="seq2seq", model=str(tiny_bart)))
    assert plain.generation_kwargs("cluster")["max_new_tokens"] == 220
    assert plain.generation_kwargs("group")["max_new_tokens"] == 60
