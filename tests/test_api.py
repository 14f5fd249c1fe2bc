"""The Python API: ``summarize`` for one cluster, ``Summarizer`` loaded once for many."""
import json

import pytest
from helpers import EXAMPLE, PACT

from summarizer import Summarizer, summarize
from summarizer.config import ConfigError

TEXTS = [d.text for d in PACT.documents]
EXTRACTIVE = {"backend": "extractive"}


def test_summarize_a_list_of_texts(encoder):
    summary = summarize(TEXTS, fuse=EXTRACTIVE)
    assert summary.sentences and "Norland" in summary.text
    assert all(s.citations for s in summary.sentences)
    record = json.loads(summary.to_json())
    assert record["id"] == "cluster" and record["sentences"][0]["citations"] and "config" not in record
    assert summary.to_html().startswith("<!doctype html>")


def test_documents_as_mappings_a_cluster_or_a_path(encoder):
    summarizer = Summarizer(fuse=EXTRACTIVE, retrieve={"summary_words": 40})
    titled = [{"title": f"Pact signed, outlet {i}", "text": t} for i, t in enumerate(TEXTS)]
    from_mappings, from_cluster, from_path = summarizer.summarize_many([titled, PACT, str(EXAMPLE)])
    assert from_mappings.headline is not None
    assert from_cluster.cluster_id == "test" and from_path.cluster_id == "bridge"
    assert summarizer(TEXTS).text == from_cluster.text  # the same documents, the same summary
    assert summarizer.config.retrieve.summary_words == 40


def test_overrides_are_checked_like_set():
    with pytest.raises(ConfigError, match="did you mean 'backend'"):
        Summarizer(fuse={"bakend": "extractive"})
    with pytest.raises(ConfigError, match="fuse.num_beams = 0 is out of range"):
        Summarizer(fuse={"num_beams": 0})
    with pytest.raises(ConfigError, match="fuse: expected a mapping"):
        Summarizer(fuse="extractive")
    with pytest.raises(ValueError, match="a list of documents"):
        summarize("one long string", fuse=EXTRACTIVE)


def test_documents_of_the_wrong_shape_are_named_before_any_model_runs():
    from summarizer.api import as_cluster
    from summarizer.config import load_config

    config = load_config(None, ["fuse.backend=extractive"])
    with pytest.raises(ValueError, match="not one mapping"):  # its keys would have become two documents
        as_cluster({"title": "Pact", "text": TEXTS[0]}, config)
    with pytest.raises(ValueError, match=r"documents\[1\]: expected a string .* got NoneType"):
        as_cluster([TEXTS[0], None], config)
    # a generator of texts and a title-only mapping are documents
    assert len(as_cluster((t for t in TEXTS), config).documents) == len(TEXTS)
    assert as_cluster([{"title": TEXTS[0], "text": None}, TEXTS[1]], config).documents[0].text.startswith("Leaders")
