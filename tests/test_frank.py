"""FRANK evaluation: AUC and balanced accuracy against hand-computed values, and the CLI on a fixture."""
import json
import math

import numpy as np
import pytest
from helpers import SHARED_DATA
from test_cli import run_cli

from summarizer.evaluation.frank import (FrankExample, cross_validated_blend, evaluate_scores, load_frank,
                                         score_with_checker)
from summarizer.evaluation.ranking import balanced_accuracy, cross_validated_balanced_accuracy, roc_auc
from summarizer.ingest import InputError


def test_roc_auc_matches_hand_computed_values():
    # The textbook example: 3 of 4 positive-negative pairs ordered correctly.
    assert roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])) == pytest.approx(0.75)
    # Ties count half: one tied pair of four.
    assert roc_auc(np.array([0.5, 0.2, 0.5, 0.9]), np.array([0, 0, 1, 1])) == pytest.approx(0.875)
    assert roc_auc(np.array([3.0, 2.0, 1.0]), np.array([1, 1, 0])) == 1.0
    assert math.isnan(roc_auc(np.array([1.0, 2.0]), np.array([1, 1])))


def test_balanced_accuracy_and_its_cross_validated_threshold():
    labels = np.array([1, 1, 0, 0, 0, 0])
    assert balanced_accuracy(np.array([1, 0, 0, 0, 0, 1]), labels) == pytest.approx((0.5 + 0.75) / 2)
    # A perfectly separable score: every held-out fold is thresholded right.
    scores = np.concatenate([np.arange(20), np.arange(30, 50)]).astype(float)
    labels = (scores >= 30).astype(int)
    articles = [f"a{i}" for i in range(40)]
    assert cross_validated_balanced_accuracy(scores, labels, articles) == pytest.approx(1.0)


def test_cross_validated_blend_chooses_the_weight_on_held_out_folds():
    # The minimum separates the labels, the mean runs against them: every fold must choose w = 0
    # (all minimum), and the out-of-fold scores are then the minimums themselves.
    rng = np.random.default_rng(0)
    labels = np.array([1, 0] * 30)
    minimums = 0.1 * labels + rng.uniform(0, 0.05, len(labels))
    means = 1 - labels + rng.uniform(0, 0.5, len(labels))
    examples = [FrankExample(f"e{i}", f"a{i}", "cnndm", "m", "", "", int(y), ()) for i, y in enumerate(labels)]
    scores, chosen = cross_validated_blend(means, minimums, examples)
    assert chosen == {"cnndm": [0.0] * 5}
    assert np.allclose(scores, minimums) and roc_auc(scores, labels) == 1.0
    # Where both separate equally well, ties go to the prior weight 0.5.
    scores, chosen = cross_validated_blend(minimums, minimums, examples)
    assert chosen == {"cnndm": [0.5] * 5}


ARTICLE = ("The council of Harbor City approved a new bridge on Tuesday by a vote of 7 to 2. "
           "The bridge will cost 240 million dollars and should open in 2029. "
           "Mayor Alma Reyes said the bridge will cut the morning commute in half.")


def _rows():
    rows = []
    summaries = [("cnndm", "the council approved a new bridge on tuesday by a vote of 7 to 2 .", 1),
                 ("cnndm", "the bridge will cost 240 million dollars and should open in 2029 .", 1),
                 ("cnndm", "the council rejected the bridge after mayor reyes resigned in 2019 .", 0),
                 ("cnndm", "the bridge will cost 900 million dollars and open in 2040 .", 0),
                 ("bbc", "Harbor City\\'s council approved a new bridge by 7 votes to 2.", 1),
                 ("bbc", "Harbor City will build a tunnel under the sea funded by Germany.", 0),
                 ("bbc", "Mayor Alma Reyes said the bridge will cut the commute in half.", 1),
                 ("bbc", "Police arrested the mayor of Harbor City on Tuesday.", 0)]
    for i, (dataset, summary, label) in enumerate(summaries):
        rows.append({"id": f"frank-{i}", "hash": f"h{i % 4}", "dataset": dataset, "model_name": "m",
                     "article": ARTICLE, "summary": summary, "label": label,
                     "baseline_metrics": {"Rouge 1": 0.1 * i, "FactCC": None if i == 0 else float(label)}})
    return rows


def test_cli_reports_our_checker_beside_the_released_metrics(tmp_path):
    data = tmp_path / "frank.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in _rows()) + "\n")
    result = run_cli("eval-consistency", "--data", str(data), "--run-name", "fixture", "--quiet",
                     "--set", f"evaluation.results_dir={tmp_path / 'results'}")
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "results" / "fixture" / "frank.json").read_text(), parse_constant=_no_nan)
    by_name = {r["metric"]: r for r in summary["results"]}
    ours = by_name["offline (mean-min over sentences)"]
    # The faithful summaries copy the article; the unfaithful ones invent names and numbers.
    assert ours["auc"]["cnndm"] == 1.0 and ours["auc"]["bbc"] == 1.0
    # one sentence per summary: mean = min, so every score is that sentence's
    assert all(r["score"] == pytest.approx(r["mean"]) == pytest.approx(r["min"]) for r in summary["scores"])
    assert "offline (mean-min weight chosen on the other folds)" in by_name
    assert by_name["FactCC"]["rows"] == 7  # a missing released score is left out, not zeroed
    assert by_name["FactCC"]["auc"]["cnndm"] == 1.0
    assert summary["summaries_per_second"] > 0
    assert "| FactCC | 7 |" in result.stdout and (tmp_path / "results" / "fixture" / "report.md").is_file()
    # the nested row pools its folds' scores; each fold's AUC and their mean are printed beside it
    report = (tmp_path / "results" / "fixture" / "report.md").read_text()
    assert summary["nested"] is not None and "Per-fold AUC: " in report and "(mean " in report


def test_bad_frank_file_names_the_line(tmp_path):
    data = tmp_path / "frank.jsonl"
    data.write_text(json.dumps(_rows()[0]) + "\n" + json.dumps({"id": "x"}) + "\n")
    with pytest.raises(InputError, match=r"frank.jsonl:2: not a FRANK row"):
        load_frank(data)


@pytest.fixture(scope="module")
def frank_valid():
    path = SHARED_DATA / "frank" / "valid.jsonl"
    if not path.is_file():
        pytest.skip(f"FRANK data not found at {path} (only present in the development checkout)")
    return load_frank(path)


@pytest.mark.slow
def test_released_metric_auc_on_frank_valid(frank_valid):
    """Our AUC code reproduces the per-dataset AUCs quoted for FRANK valid in issue #7."""
    factcc = evaluate_scores("FactCC", [dict(e.baseline_scores)["FactCC"] for e in frank_valid], frank_valid)
    assert round(factcc.auc["cnndm"], 3) == 0.718 and round(factcc.auc["bbc"], 3) == 0.544
    bert = evaluate_scores("P Art", [dict(e.baseline_scores)["BertScore P Art"] for e in frank_valid], frank_valid)
    assert round(bert.auc["cnndm"], 3) == 0.704 and round(bert.auc["bbc"], 3) == 0.669


@pytest.mark.slow
def test_default_checker_meets_issue_7_on_frank_valid(frank_valid):
    """The checker and summary score the pipeline ships reach issue #7's AUCs on FRANK valid."""
    from summarizer.config import load_config
    from summarizer.evaluation.harness import consistency_scorer

    checked, _ = score_with_checker(consistency_scorer(load_config(None)), frank_valid)
    ours = evaluate_scores("offline", [r.summary_score for r in checked], frank_valid)
    assert ours.auc["cnndm"] >= 0.78 and ours.auc["bbc"] >= 0.72
    # Issue #21: every choice made on the other folds (nested), the honest number; reference values of
    # 2026-11-30 (eval/README.md). Issue #21's out-of-fold target (0.80 / 0.78) is not met.
    from summarizer.evaluation.protocol import nested_cross_validation

    nested = nested_cross_validation(checked, [e.label for e in frank_valid], [e.dataset for e in frank_valid],
                                     [e.article_id for e in frank_valid])
    out_of_fold = evaluate_scores("nested", [float(x) for x in nested.scores], frank_valid)
    assert out_of_fold.auc["cnndm"] == pytest.approx(0.771, abs=0.005)
    assert out_of_fold.auc["bbc"] == pytest.approx(0.672, abs=0.005)


def test_nested_cross_validation_chooses_on_the_other_folds_only():
    """One agreement ranks every summary right, the others are noise: each outer fold picks that one
    on its four training folds, and the held-out scores are that agreement's."""
    from summarizer.evaluation.consistency import ConsistencyResult, SentenceConsistency
    from summarizer.evaluation.protocol import describe, nested_cross_validation

    rng = np.random.default_rng(0)
    labels = [int(i % 3 == 0) for i in range(120)]
    datasets = ["cnndm" if i % 2 else "bbc" for i in range(120)]
    articles = [f"article-{i // 2}" for i in range(120)]
    results = [ConsistencyResult((SentenceConsistency("s", 0.0, True, (), components=(
        rng.random(), 0.5 + 0.4 * label + 0.05 * rng.random(), rng.random())),)) for label in labels]
    nested = nested_cross_validation(results, labels, datasets, articles)
    assert len(nested.chosen) == 5 and all(c.startswith("stem precision,") for c in nested.chosen)
    assert roc_auc(nested.scores, np.array(labels)) == 1.0
    assert describe(((0, 1, 2), 0.5)) == "guard + stem precision + single-source trigram precision, w=0.5"


def test_frank_articles_writes_each_article_once_with_its_reference(tmp_path):
    """eval/frank_articles.py: FRANK's articles as single-document clusters (issue #15's long inputs)."""
    from helpers import load_script

    main = load_script("frank_articles", folder="eval").main
    article = "The council met on Monday. It approved the bridge. Work starts in May. The mayor was pleased."
    rows = [{"id": f"x-{m}", "hash": "h1", "dataset": "cnndm", "model_name": m, "article": article,
             "summary": "The council approved a bridge.", "reference": "Council approves bridge .", "label": 1}
            for m in ("bart", "pgn")]
    rows.append({"id": "y", "hash": "h2", "dataset": "bbc", "article": "Other text here today.", "summary": "s",
                 "reference": "r", "label": 0})
    data = tmp_path / "frank.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "articles.jsonl"
    assert main(["--data", str(data), "--dataset", "cnndm", "--sentences", "2", "--output", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 1 and records[0]["reference"]["text"] == "Council approves bridge ."
    assert records[0]["documents"][0]["text"] == "The council met on Monday. It approved the bridge."
    assert data.read_text().count("\n") == 3  # the input is read, never written


def _no_nan(constant: str):
    raise AssertionError(f"frank.json holds a bare {constant}, which JSON does not have")


def test_undefined_scores_are_null_in_frank_json():
    from summarizer.evaluation.frank import finite_or_null

    assert finite_or_null({"auc": {"cnndm": float("nan"), "bbc": 0.5}, "rows": [1, float("inf")], "n": 3}) == \
        {"auc": {"cnndm": None, "bbc": 0.5}, "rows": [1, None], "n": 3}
