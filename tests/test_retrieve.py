from conftest import PACT

from summarizer.config import RunConfig, with_overrides
from summarizer.retrieve import retrieve
from summarizer.segment import segment_cluster


def _select(encoder, config=RunConfig(), cluster=PACT):
    segmented = segment_cluster(cluster, config.segment)
    vectors = encoder.encode([s.text for s in segmented.sentences])
    return retrieve(segmented, vectors, encoder.encode([]), config.retrieve, config.neutral,
                    lambda texts: [len(t.split()) for t in texts])


def test_corroborated_facts_come_first_with_their_support(encoder):
    selection = _select(encoder)
    first, second = selection.groups[0], selection.groups[1]
    assert "signed" in first.representative.text and first.support_docs == ("d0", "d1", "d2")
    assert "help" in second.representative.text and second.support_count == 3
    # Every member is from a different document, representative first.
    for group in selection.groups:
        assert len({m.doc_id for m in group.members}) == len(group.members)
        assert group.members[0] == group.representative


def test_budget_limits_selection(encoder):
    config = with_overrides(RunConfig(), retrieve={"budget_tokens": 40})
    selection = _select(encoder, config)
    counted = sum(len(m.text.split()) for g in selection.groups for m in g.members)
    assert selection.used_tokens == counted <= 40
    assert len(selection.groups) < len(_select(encoder).groups)


def test_summary_words_bound(encoder):
    config = with_overrides(RunConfig(), retrieve={"summary_words": 20})
    selection = _select(encoder, config)
    assert sum(len(g.representative.text.split()) for g in selection.groups) <= 20


def test_position_order_and_lead_scorer(encoder):
    lead = _select(encoder, with_overrides(RunConfig(), retrieve={"scorer": "lead"}))
    assert lead.groups[0].representative.index == 0
    ordered = _select(encoder)
    positions = [min(m.index for m in g.members) for g in ordered.groups]
    assert positions == sorted(positions)


def test_representative_avoids_loaded_wording(encoder):
    from conftest import make_cluster

    cluster = make_cluster(
        ("The lavish summit in Port Vale was a spectacle of devotion as the pact was signed.",),
        ("The pact was signed at the summit in Port Vale.",),
        ("Officials signed the pact at the summit in Port Vale.",),
    )
    selection = _select(encoder, cluster=cluster)
    assert "lavish" not in selection.groups[0].representative.text


def test_single_document_cluster(encoder):
    from conftest import make_cluster

    cluster = make_cluster(("The council approved the bridge on Tuesday after a long debate.",
                            "Construction will start next spring, the mayor said on Tuesday."))
    selection = _select(encoder, cluster=cluster)
    assert selection.groups and all(g.support_count == 1 for g in selection.groups)
