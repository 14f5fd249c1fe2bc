"""The learned salience model: its file format, its errors, and the script that trains it."""
import json

import numpy as np
import pytest

from summarizer.config import ConfigError, RunConfig, with_overrides
from summarizer.retrieve.salience_model import BUNDLED_MODEL, FEATURE_NAMES, LinearSalience, load_salience_model
from summarizer.evaluation.salience_training import fit_ridge

from helpers import PACT, embed, load_script, make_cluster



def test_bundled_model_loads_and_prefers_shared_vocabulary():
    model = load_salience_model("")
    assert model.feature_names == FEATURE_NAMES and "train.jsonl" in model.description
    base = np.asarray(model.mean)[None, :].repeat(2, axis=0)
    shared = FEATURE_NAMES.index("stems_in_other_documents")
    base[1, shared] += np.asarray(model.scale)[shared]
    low, high = model.predict(base)
    assert high > low  # a sentence whose words other outlets also use is worth more


def test_fit_ridge_recovers_a_linear_rule():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(400, len(FEATURE_NAMES)))
    true = np.zeros(len(FEATURE_NAMES))
    true[0], true[5] = 2.0, -1.0
    labels = features @ true + 0.5
    model = fit_ridge(features, labels, l2=1e-6, description="synthetic")
    np.testing.assert_allclose(model.predict(features), labels, atol=1e-3)


def test_model_file_errors_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(ConfigError, match="retrieve.salience_model.*does not exist"):
        with_overrides(RunConfig(), retrieve={"salience_model": str(tmp_path / "missing.json")})
    stale = json.loads(BUNDLED_MODEL.read_text())
    stale["feature_names"] = stale["feature_names"][:-1] + ["something_else"]
    (tmp_path / "stale.json").write_text(json.dumps(stale))
    with pytest.raises(ConfigError, match="retrain it with scripts/train_salience.py"):
        with_overrides(RunConfig(), retrieve={"salience_model": str(tmp_path / "stale.json")})
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ValueError, match="not a model written by"):
        LinearSalience.from_file(tmp_path / "broken.json")
    # The unsupervised scorer needs no model file at all.
    assert with_overrides(RunConfig(), retrieve={"scorer": "corroboration",
                                                 "salience_model": ""}).retrieve.scorer == "corroboration"


def test_training_script_writes_a_model_the_pipeline_reads(tmp_path, encoder):
    main = load_script("train_salience").main
    clusters = []
    for k in range(4):
        documents = [{"title": f"Council {k} approves bridge", "text":
                      f"The council of town {k} approved the new bridge on Tuesday. "
                      f"Outlet {d} also noted the weather was mild. Construction starts in spring."}
                     for d in range(3)]
        clusters.append({"id": f"c{k}", "documents": documents,
                         "reference": {"title": "Council approves bridge",
                                       "text": f"Town {k} council approved the bridge; building starts in spring."}})
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps(c) for c in clusters) + "\n")
    out, log = tmp_path / "model.json", tmp_path / "train.log"
    assert main(["--data", str(data), "--output", str(out), "--log", str(log)]) == 0
    first = out.read_text()
    assert main(["--data", str(data), "--output", str(out), "--log", str(log)]) == 0
    assert out.read_text() == first  # deterministic
    assert "sentences of 4 clusters" in log.read_text()
    config = with_overrides(RunConfig(), retrieve={"salience_model": str(out)})
    model = load_salience_model(str(out))
    assert model.feature_names == FEATURE_NAMES and config.retrieve.scorer == "auto"
    assert model.document_sentences == 3  # every training document has three sentences


def test_auto_scorer_uses_the_learned_model_only_on_documents_as_long_as_its_training_ones(encoder):
    """Issue #15 item 2: past the model's domain (NeuS excerpts) the corroboration blend scores."""
    from summarizer.retrieve.scoring import (auto_salience, cluster_signals, corroboration_salience,
                                             learned_salience)
    from summarizer.embed.similarity import Similarity

    config = RunConfig().retrieve
    assert load_salience_model("").document_sentences == 5
    long_articles = make_cluster(*[tuple(f"Report {d} says item {i} of the budget for the {i}th district was "
                                         f"approved by the council." for i in range(12)) for d in range(3)])
    for cluster, expected in ((PACT, learned_salience), (long_articles, corroboration_salience)):
        signals = cluster_signals(embed(cluster, encoder), Similarity(encoder, config.lexical_weight), config)
        other = corroboration_salience if expected is learned_salience else learned_salience
        assert not np.allclose(expected(signals, config), other(signals, config))  # the choice matters here
        np.testing.assert_array_equal(auto_salience(signals, config), expected(signals, config))
    assert signals.document_sentences == 12


def test_model_domain_field_is_optional_and_checked(tmp_path):
    data = json.loads(BUNDLED_MODEL.read_text())
    del data["document_sentences"]  # a model written before the field: no limit
    (tmp_path / "old.json").write_text(json.dumps(data))
    assert LinearSalience.from_file(tmp_path / "old.json").document_sentences is None
    data["document_sentences"] = 0
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="document_sentences must be a whole number"):
        LinearSalience.from_file(tmp_path / "bad.json")


def test_grouped_fit_learns_the_ranking_within_clusters():
    """A feature that only tells easy clusters from hard ones must not be learned as salience."""
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(50), 6)
    features = rng.normal(size=(300, len(FEATURE_NAMES)))
    cluster_level = rng.normal(size=50)
    features[:, 1] = cluster_level[groups]  # constant within each cluster
    labels = features[:, 0] + 3.0 * cluster_level[groups]
    plain = fit_ridge(features, labels, 1e-6, "plain")
    grouped = fit_ridge(features, labels, 1e-6, "grouped", groups)
    assert abs(plain.weights[1]) > 1.0
    assert abs(grouped.weights[1]) < 1e-6 and grouped.weights[0] > 0.8
