"""Metrics against reference values, and the harness end to end on a tiny dataset."""
import json
import math

import pytest
from helpers import PACT, make_cluster
from rouge_score import rouge_scorer

from summarizer.config import load_config
from summarizer.evaluation import module_path
from summarizer.evaluation.coverage import source_coverage
from summarizer.evaluation.neutrality import LexiconError, load_vad_lexicon, neus_arousal, single_outlet_share
from summarizer.evaluation.rouge import ROUGE_TYPES, Rouge, bootstrap_interval

ASCII_PAIRS = [
    ("The council approved the new bridge on Tuesday. It will open in 2029.",
     "On Tuesday the city council approved a bridge, which is expected to open in 2029."),
    ("Leaders signed a defence pact. Both must help if attacked.",
     "The two leaders signed a mutual defence pact on Wednesday. Each country must help the other."),
    ("Running runners ran quickly.", "The runner runs quickly."),
]


@pytest.mark.parametrize("prediction, reference", ASCII_PAIRS)
def test_rouge_equals_rouge_score_on_ascii(prediction, reference):
    ours = Rouge().score(prediction, reference)
    stock = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    # rougeLsum needs one sentence per line: give rouge_score the same split.
    expected = stock.score(reference.replace(". ", ".\n"), prediction.replace(". ", ".\n"))
    for name in ROUGE_TYPES:
        assert ours[name].fmeasure == pytest.approx(expected[name].fmeasure, abs=1e-12), name
        assert ours[name].precision == pytest.approx(expected[name].precision, abs=1e-12), name


def test_rouge_on_non_ascii_hand_computed():
    # Stock rouge_score drops every Cyrillic letter and scores 0; tokens here are ≤ 3 letters
    # so stemming cannot touch them: prediction [ким, и, мун], reference [мун, и, ким].
    scores = Rouge().score("Ким и Мун.", "Мун и Ким.")
    assert scores["rouge1"].fmeasure == 1.0
    assert scores["rouge2"].fmeasure == 0.0
    assert scores["rougeL"].fmeasure == pytest.approx(1 / 3)
    assert rouge_scorer.RougeScorer(["rouge1"]).score("Мун и Ким.", "Ким и Мун.")["rouge1"].fmeasure == 0.0
    # "Chang Ho‑jin" (non-breaking hyphen) and "Zoë": P = 5/5, R = 5/6, F1 = 10/11.
    mixed = Rouge().score("Chang Ho\u2011jin met Zoë.", "Zoë met Chang Ho-jin today.")
    assert mixed["rouge1"].fmeasure == pytest.approx(10 / 11)


def test_several_references_are_averaged_and_the_prediction_can_be_cut_to_n_words():
    """DUC/TAC protocol: the mean of the scores against each reference (ROUGE-1.5.5 -f A), on the
    summary's first N words (-l N). Unigram recall by hand: "the council met" against "council met"
    (2 of 2) and "council voted" (1 of 2): (1 + 1/2) / 2."""
    rouge = Rouge(use_stemmer=False)
    averaged = rouge.score_against("the council met", ("council met", "council voted"))
    assert averaged["rouge1"].recall == pytest.approx(0.75)
    assert averaged["rouge1"].precision == pytest.approx((2 / 3 + 1 / 3) / 2)
    assert rouge.score_against("the council met", ("council met",)) == rouge.score("the council met", "council met")
    cut = rouge.score_against("council met today and then voted on it", ("council voted",), max_words=2)
    assert cut["rouge1"].recall == pytest.approx(0.5) and cut["rouge1"].precision == pytest.approx(0.5)


def test_bootstrap_is_reproducible():
    values = [0.1, 0.4, 0.35, 0.8, 0.5, 0.45, 0.2]
    first = bootstrap_interval(values, seed=0)
    assert first == bootstrap_interval(values, seed=0)
    assert first.mean == pytest.approx(sum(values) / len(values))
    assert first.low < first.mean < first.high and first.n == 7
    assert bootstrap_interval(values, seed=1) != first
    assert bootstrap_interval([], seed=0).n == 0


@pytest.fixture
def lexicon_file(tmp_path):
    # Made-up words and scores, in the NRC-VAD file format (the real lexicon is not redistributable).
    path = tmp_path / "vad.txt"
    path.write_text("zorble\t0.900\t0.800\t0.500\ngrumf\t0.100\t0.700\t0.400\nplim\t0.500\t0.900\t0.500\n"
                    "quax\t0.950\t0.600\t0.500")
    return path


def test_neus_arousal_with_fixture_lexicon(lexicon_file):
    lexicon = load_vad_lexicon(lexicon_file)
    score = neus_arousal("Zorble grumf, plim and quax!", "A quax report.", lexicon)
    # New tokens: zorble (+0.8), grumf (-0.7), plim (mid valence: neither); quax is in the reference.
    assert (score.positive, score.negative) == (0.8, 0.7)
    assert score.total == pytest.approx(1.5)
    assert score.tokens == ("grumf", "plim", "zorble")


def test_lexicon_errors_are_clear(tmp_path):
    with pytest.raises(LexiconError, match="nrc-vad.html"):
        load_vad_lexicon(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("word\t0.5\t0.5\t0.5\nbroken line\n")
    with pytest.raises(LexiconError, match=r"bad.txt:2: expected word<TAB>valence"):
        load_vad_lexicon(bad)


def test_single_outlet_share_and_coverage():
    docs = ["The council approved the bridge.", "The council approved a crossing.", "Bridge plans approved."]
    # content stems of the summary: council (2 docs), approv (3), crossing (1) → 1/3
    assert single_outlet_share("Council approved crossing.", docs) == pytest.approx(1 / 3)
    assert single_outlet_share("Anything.", docs[:1]) is None
    even = source_coverage([("a",), ("b",)], ["a", "b"])
    assert (even.documents_used, even.evenness) == (2, 1.0)
    assert source_coverage([("a",), ("a",)], ["a", "b"]).evenness == 0.0
    shared = source_coverage([("a", "b"), ("a",)], ["a", "b", "c"])
    assert shared.documents_used == 2
    assert shared.evenness == pytest.approx(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(3))


def test_offline_consistency_flags_unsupported_sentences(encoder):
    from summarizer.evaluation.consistency import OfflineConsistency

    result = OfflineConsistency(encoder).score(
        "Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday. "
        "The pact was signed during a visit to the United States.", PACT)
    first, second = result.sentences
    assert first.supported and not second.supported
    assert "United" in second.unsupported_terms
    assert result.supported_share == 0.5 and result.minimum == second.score < first.score
    assert result.summary_score == pytest.approx(((first.score + second.score) / 2 + second.score) / 2)
    assert result.aggregate("mean") == result.mean and result.aggregate("min") == result.minimum
    with pytest.raises(ValueError, match="available: mean-min, mean, min"):
        result.aggregate("median")
    assert {r.doc_id for r in first.best_support} >= {"d0", "d1"}


def test_nli_consistency_with_tiny_random_classifier(tmp_path):
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from helpers import tiny_tokenizer
    from summarizer.evaluation.consistency import NLIConsistency

    tokenizer = tiny_tokenizer(tmp_path, chat=False)
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, num_labels=3, id2label={0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"},
        label2id={"ENTAILMENT": 0, "NEUTRAL": 1, "CONTRADICTION": 2}))
    model.save_pretrained(tmp_path)
    scorer = NLIConsistency(str(tmp_path), batch_size=4)
    result = scorer.score("The pact was signed in Port Vale. Both countries must help.", PACT)
    assert len(result.sentences) == 2
    for sentence in result.sentences:
        assert -1.0 <= sentence.score <= 1.0
        assert [doc for doc, _ in sentence.per_document] == ["d0", "d1", "d2"]
        assert sentence.score == pytest.approx(max(v for _, v in sentence.per_document), abs=1e-6)


def test_evaluate_modules_load_offline(lexicon_file, monkeypatch):
    import evaluate

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rouge = evaluate.load(module_path("rouge"))
    pair = ASCII_PAIRS[0]
    result = rouge.compute(predictions=[pair[0]], references=[pair[1]], use_stemmer=True)
    assert result["rouge1"] == pytest.approx(Rouge().score(*pair)["rouge1"].fmeasure)
    # A drop-in for the hub's rouge: its arguments, and per example the numbers of rouge_score itself.
    from rouge_score import rouge_scorer

    predictions, references = [p for p, _ in ASCII_PAIRS], [r for _, r in ASCII_PAIRS]
    per_example = rouge.compute(predictions=predictions, references=references, use_aggregator=False,
                                rouge_types=["rouge1", "rougeL"])
    stock = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=False)
    assert set(per_example) == {"rouge1", "rougeL"}
    for name in ("rouge1", "rougeL"):
        assert per_example[name] == pytest.approx([stock.score(r, p)[name].fmeasure for p, r in ASCII_PAIRS])
    several = rouge.compute(predictions=predictions[:1], references=[[references[1], references[0]]])
    assert several["rouge1"] == pytest.approx(per_example["rouge1"][0])  # the best reference counts
    arousal = evaluate.load(module_path("arousal"))
    result = arousal.compute(predictions=["Zorble grumf."], references=["A report."], lexicon_path=str(lexicon_file))
    assert result["arousal_total"] == pytest.approx(1.5)
    consistency = evaluate.load(module_path("consistency"))
    result = consistency.compute(predictions=["Norland and Sudland signed a mutual defence pact in Port Vale on "
                                              "Wednesday. Zorbia invaded Mars in 1066."],
                                 sources=[[d.text for d in PACT.documents]])
    assert result["supported_share"] == 0.5
    with pytest.raises(ValueError, match="unknown evaluate module"):
        module_path("bleu")


def _write_dataset(path, clusters):
    with path.open("w") as handle:
        for cluster in clusters:
            handle.write(json.dumps({"id": cluster.cluster_id,
                                     "documents": [{"title": "", "text": d.text} for d in cluster.documents],
                                     "reference": {"title": "Pact signed.",
                                                   "text": "Norland and Sudland signed a defence pact."}}) + "\n")


def test_harness_reports_skipped_predictions(tmp_path, encoder):
    from summarizer.evaluation.harness import run_evaluation

    data = tmp_path / "data.jsonl"
    clusters = [make_cluster(*[d.text.split("\n") for d in PACT.documents], cluster_id=f"c{i}") for i in range(3)]
    _write_dataset(data, clusters)
    predictions = tmp_path / "other.jsonl"
    predictions.write_text('{"id": "c0", "summary": "Norland and Sudland signed a defence pact."}\n'
                           '{"id": "c1", "summary": ""}\n'
                           '{"id": "zz", "summary": "An id the data does not have."}\n'
                           'not json\n')
    config = load_config(None, [f"evaluation.results_dir={tmp_path / 'results'}", "evaluation.bootstrap_resamples=200"])
    out = run_evaluation(str(data), ["lead", "lexrank", "oracle"], {"other": str(predictions)}, config,
                         "tiny", progress=False)
    summary = json.loads((out / "summary.json").read_text())
    other = summary["systems"]["other"]
    assert other["scored"] == 1
    joined = "\n".join(other["skipped"])
    assert "c1: empty summary" in joined and "c2: no prediction for this id" in joined
    assert "not in the data, ignored: zz" in joined and "other.jsonl:4: skipped" in joined
    assert summary["systems"]["lead"]["scored"] == 3
    assert summary["systems"]["lead"]["metrics"]["arousal_total"] is None  # no lexicon: skipped, not zero
    assert summary["lexicon"].startswith("not given")
    oracle = summary["systems"]["oracle"]["metrics"]["rouge1_f"]["mean"]
    assert oracle >= summary["systems"]["lead"]["metrics"]["rouge1_f"]["mean"]
    report = (out / "report.md").read_text()
    assert "| oracle | 3 |" in report and "Skipped or problematic examples" in report
    assert (out / "metrics.png").stat().st_size > 1000 and (out / "length_vs_arousal.png").exists()
    rows = [json.loads(line) for line in (out / "examples.jsonl").read_text().splitlines()]
    assert len(rows) == 3 * 3 + 1


def test_a_cluster_may_carry_several_references(tmp_path, encoder):
    """A JSON list of references (strings or {title, text}) is read whole; the harness averages
    over them, so a second, disjoint reference halves what a prediction equal to the first gets."""
    from summarizer.evaluation.harness import run_evaluation
    from summarizer.ingest import read_clusters

    documents = [{"title": "", "text": d.text} for d in PACT.documents]
    data = tmp_path / "refs.jsonl"
    first = "Norland and Sudland signed a defence pact."
    data.write_text(json.dumps({"id": "one", "documents": documents, "reference": first}) + "\n"
                    + json.dumps({"id": "two", "documents": documents,
                                  "reference": [first, {"title": "", "text": "Zebras graze quietly."}, ""]}) + "\n")
    config = load_config(None, [f"evaluation.results_dir={tmp_path / 'results'}", "evaluation.bootstrap_resamples=200"])
    clusters = read_clusters(str(data), config.ingest)
    assert [c.references for c in clusters] == [(first,), (first, "Zebras graze quietly.")]
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps({"id": i, "summary": first}) + "\n" for i in ("one", "two")))
    out = run_evaluation(str(data), [], {"p": str(predictions)}, config, "refs", progress=False)
    rows = {r["id"]: r for r in map(json.loads, (out / "examples.jsonl").read_text().splitlines())}
    assert rows["one"]["rouge1_r"] == pytest.approx(1.0) and rows["two"]["rouge1_r"] == pytest.approx(0.5)


def test_eval_cli(tmp_path, lexicon_file, capsys):
    from summarizer.cli import main

    data = tmp_path / "data.jsonl"
    _write_dataset(data, [PACT])
    code = main(["eval", "--data", str(data), "--systems", "lead,extractive_typo", "-q"])
    assert code == 2 and "unknown system 'extractive_typo'" in capsys.readouterr().err
    code = main(["eval", "--data", str(data), "--systems", "lead", "--lexicon", str(lexicon_file), "-q",
                 "--run-name", "cli", "--set", f"evaluation.results_dir={tmp_path}"])
    assert code == 0
    assert "| lead | 1 |" in capsys.readouterr().out
    summary = json.loads((tmp_path / "cli" / "summary.json").read_text())
    assert summary["systems"]["lead"]["metrics"]["arousal_total"] is not None
    metrics = summary["systems"]["lead"]["metrics"]
    # Lead copies first sentences whole: no fused sentence, every word inside a copied fragment.
    assert metrics["fused_share"]["mean"] == 0.0 and metrics["fragment_coverage"]["mean"] == 1.0
    assert metrics["novel_1grams"]["mean"] == 0.0 and metrics["compression"]["mean"] > 1


def test_offline_consistency_lexical_agreements_by_hand(encoder):
    from summarizer.evaluation.consistency import OfflineConsistency

    checker = OfflineConsistency(encoder)
    sources = checker._prepare(PACT)
    verbatim = "Officials said the pact will take effect in March."
    assert checker.lexical_agreement(verbatim, sources) == (1.0, 1.0)
    # Stems norland, sign, trade, pact, mar(s): all but "mars" occur somewhere (4/5); none of
    # its 5 trigrams ("norland signed a", …, "pact with mars") occurs in any one source sentence.
    assert checker.lexical_agreement("Norland signed a trade pact with Mars.", sources) == (0.8, 0.0)
    # Stems sudland, sign, mutual, defenc, pact, mar(s): 5 of 6 in the sources; "sudland signed
    # a mutual defence pact" holds 4 of the sentence's 6 trigrams, all in one source sentence.
    stem_precision, single = checker.lexical_agreement("Sudland signed a mutual defence pact with Mars.", sources)
    assert single == pytest.approx(4 / 6) and stem_precision == pytest.approx(5 / 6)
    score = checker.score(verbatim, PACT).sentences[0].score
    guard_part = 3 * score - 2.0
    assert 0.9 < guard_part <= 1.0  # the guard's own agreement for a verbatim source sentence


def test_offline_consistency_embeds_only_lexical_candidates(encoder):
    """Only the source sentences closest to each summary sentence are embedded, and scores
    equal those of embedding every source sentence whenever the support is among them."""
    from summarizer.evaluation.consistency import OfflineConsistency
    from summarizer.types import Cluster, Document

    article = ("Putin and Kim signed a defence pact in Pyongyang on Wednesday. The weather was mild. "
               "Crowds lined the streets of the capital. Officials said the talks lasted two hours. "
               "A banquet followed in the evening. Markets in Seoul fell slightly.")
    cluster = Cluster("c", (Document("a", article),))
    summary = "Putin and Kim signed a defence pact in Pyongyang."
    lazy = OfflineConsistency(encoder)
    lazy.candidates_per_sentence = 2
    full = OfflineConsistency(encoder)
    full.candidates_per_sentence = 100
    lazy_result, full_result = lazy.score(summary, cluster), full.score(summary, cluster)
    sources = next(iter(lazy._sources.values()))
    assert int(sources.embedded.sum()) == 2 and bool(sources.embedded[0])
    assert lazy_result.sentences[0].score == full_result.sentences[0].score
    assert lazy_result.sentences[0].best_support == full_result.sentences[0].best_support


def test_a_summarys_consistency_does_not_depend_on_the_summaries_scored_before_it(encoder, monkeypatch):
    """Source sentences embedded for another summary of the same article stay unseen (zero
    vectors) by this one's guard, and scoring several summaries at once gives each the score it
    gets alone."""
    from summarizer.evaluation.consistency import OfflineConsistency
    from summarizer.types import Cluster, Document

    article = ("Putin and Kim signed a defence pact in Pyongyang on Wednesday. The weather was mild. "
               "Crowds lined the streets of the capital. Officials said the talks lasted two hours.")
    cluster = Cluster("c", (Document("a", article),))
    first, second = "Crowds lined the streets of the capital.", "Putin and Kim signed a defence pact."
    alone = OfflineConsistency(encoder)
    alone.candidates_per_sentence = 1
    expected = alone.score(second, cluster)

    checker = OfflineConsistency(encoder)
    checker.candidates_per_sentence = 1
    checker.score(first, cluster)  # embeds the crowds sentence (row 2)
    seen = []
    real_check = checker.guard.check
    monkeypatch.setattr(checker.guard, "check", lambda texts, index, *rest: seen.append(index) or real_check(
        texts, index, *rest))
    after = checker.score(second, cluster)
    sources = next(iter(checker._sources.values()))
    assert bool(sources.embedded[2]) and not seen[0].vectors[2].any()  # embedded, but not for this summary
    assert after == expected
    together = OfflineConsistency(encoder)
    together.candidates_per_sentence = 1
    assert together.score_many([first, second], cluster)[1] == expected


def test_headlines_count_as_what_an_outlet_published(encoder):
    from dataclasses import replace

    from summarizer.config import RunConfig
    from summarizer.evaluation.harness import Scorer, with_titles_in_text

    cluster = replace(PACT, documents=tuple(replace(d, title=t) for d, t in zip(
        PACT.documents, ["Pact signed in Port Vale", "", "Norland and Sudland sign pact"])))
    checked = with_titles_in_text(cluster)
    assert checked.documents[0].text.startswith("Pact signed in Port Vale\n")
    assert checked.documents[1].text == PACT.documents[1].text
    assert with_titles_in_text(checked) == checked  # a title already leading its text is not repeated
    row = Scorer(RunConfig()).score("Pact signed in Port Vale. " + PACT.documents[1].text.split("\n")[0],
                                    cluster, None)
    assert row["supported_share"] == 1.0  # the headline is supported by the outlet that wrote it


def test_paired_bootstrap_by_hand():
    from summarizer.evaluation.report import paired_bootstrap

    same = paired_bootstrap([0.3, 0.5, 0.4], [0.3, 0.5, 0.4])
    assert same["difference"] == 0.0 and same["p"] == 1.0
    better = paired_bootstrap([0.1, 0.2, 0.3, 0.4], [0.2, 0.3, 0.4, 0.5])
    assert better["difference"] == pytest.approx(0.1) and better["p"] == 0.0
    assert better["low"] == pytest.approx(0.1) and better["high"] == pytest.approx(0.1)
    mixed = paired_bootstrap([0.5, 0.5, 0.5, 0.5], [0.6, 0.4, 0.6, 0.4], seed=1)
    assert mixed["difference"] == pytest.approx(0.0) and mixed["p"] > 0.5 and mixed["low"] < 0 < mixed["high"]


def test_report_shows_plots_provenance_and_paired_tests(tmp_path, capsys):
    from summarizer.cli import main

    data = tmp_path / "data.jsonl"
    _write_dataset(data, [PACT, make_cluster(*[(s + " Officials said so.",) for s in
                                                ("The pact was signed on Wednesday.", "Both leaders signed it.",
                                                 "The signing took place in Port Vale.")],
                                            cluster_id="other")])
    assert main(["eval", "--data", str(data), "--systems", "lead,lexrank", "-q", "--run-name", "r",
                 "--set", f"evaluation.results_dir={tmp_path}"]) == 0
    report = (tmp_path / "r" / "report.md").read_text()
    assert "![metric distributions](metrics.png)" in report and "![length against arousal]" in report
    assert "## Each system against lead" in report and "| lexrank | R-1 F1 |" in report
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["environment"]["torch"] and "python" in summary["environment"]
    assert set(summary["paired"]["lexrank"]) >= {"rouge1_f", "consistency_score"}
