"""The alignment stage: which sentences of different outlets state the same fact (summarizer/align)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import PACT, make_cluster
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import align_facts
from summarizer.align.aligner import align, average_linkage, mutual_links, stated_by
from summarizer.align.pair_model import BUNDLED_MODEL, load_pair_model
from summarizer.align.pairs import CONTEXT_FEATURES, PAIR_FEATURES, SentenceView, quantity_conflict, same_quantity
from summarizer.config import ConfigError, RunConfig, with_overrides
from summarizer.types import Sentence

# Three outlets report three facts in their own words; a fourth closes with a generic sentence that is
# near all of them in embedding space ("hubness") and states none.
STORY = make_cluster(
    ("The city council approved a new bridge across the Lenne River on Tuesday by seven votes to two.",
     "Mayor Alma Reyes said the bridge would cut the morning commute in half for eastern residents.",
     "Construction will start next spring once the state environmental agency finishes its review."),
    ("On Tuesday the council voted seven to two to build a new bridge over the Lenne River.",
     "The bridge will halve the morning commute for people in the eastern districts, Mayor Alma Reyes said.",
     "Work on the bridge is due to begin next spring after the state's environmental review."),
    ("Harbor City's council backed a new Lenne River bridge on Tuesday in a seven-to-two vote.",
     "According to Mayor Alma Reyes, the commute from the eastern districts will be cut in half.",
     "Building will begin in the spring when the environmental agency of the state completes its review."),
    ("As tensions over the city's plans reach their highest point in years, the bridge and its costs are set to "
     "shape the region's politics, its commute and its environment for a decade.",
     "The paper's sports section covered the local football derby on Sunday."),
)


def _facts(cluster, encoder):
    return align_facts(cluster, fuse={"backend": "extractive"})


def test_two_wordings_of_one_fact_join_and_a_generic_sentence_joins_none(encoder):
    facts = _facts(STORY, encoder)
    by_first = {(f.members[0].document, f.members[0].sentence): f for f in facts}
    for sentence in range(3):  # each of the three facts: all three outlets' wordings in one fact
        fact = by_first[(0, sentence)]
        assert [(m.document, m.sentence) for m in fact.members] == [(0, sentence), (1, sentence), (2, sentence)]
    generic = next(f for f in facts if any(m.document == 3 and m.sentence == 0 for m in f.members))
    assert [m.document for m in generic.members] == [3], "a generic closer must not join a fact"


def test_read_alone_a_paraphrase_joins_and_a_reaction_to_the_event_does_not(encoder):
    # Two one-sentence documents: no story around them, the pair model decides alone. The
    # cross-encoder alone called the reaction the same fact (p 0.56); with the lexical views it is not.
    def joined(left: str, right: str) -> bool:
        return any({m.document for m in f.members} == {0, 1}
                   for f in align_facts([left, right], fuse={"backend": "extractive"}))

    assert joined("Shares of the company fell 5 percent on Tuesday.", "The company's stock dropped 5 percent Tuesday.")
    assert not joined("Putin and Kim signed a pact in Pyongyang on Wednesday.",
                      "Seoul summoned the Russian ambassador to protest the pact.")


def test_a_number_conflict_splits_what_the_words_would_join(encoder):
    cluster = make_cluster(
        ("The city council approved the new bridge by seven votes to two on Tuesday evening.",
         "The mayor welcomed the decision."),
        ("The city council approved the new bridge by 6 votes to 3 on Tuesday evening.",
         "Opponents said they would appeal."),
        ("The bridge will cost 240 million dollars, the transport department said.",),
    )
    facts = _facts(cluster, encoder)
    vote = [f for f in facts if any(m.sentence == 0 and m.document in (0, 1) for m in f.members)]
    assert all(len(f.members) == 1 for f in vote)
    assert quantity_conflict(SentenceView.of("approved 7 to 2"), SentenceView.of("approved 6 to 3"))
    assert quantity_conflict(SentenceView.of("It costs 240 million dollars."), SentenceView.of("It costs 2.4 billion dollars."))
    assert not quantity_conflict(SentenceView.of("his first visit since 2000"), SentenceView.of("his first visit in 24 years"))
    assert not quantity_conflict(SentenceView.of("killed twelve people"), SentenceView.of("killed 12 people"))


def test_a_rounded_number_states_the_same_quantity_and_an_other_count_does_not():
    # one outlet rounds: the same quantity (MSRP's annotators judged these pairs the same)
    assert not quantity_conflict(SentenceView.of("slipped 12.27 points or 1.23 percent"),
                                 SentenceView.of("slipped 12.27 points, or 1.2 percent"))
    assert not quantity_conflict(SentenceView.of("closest in 60,000 years"), SentenceView.of("closest in 59,619 years"))
    assert not quantity_conflict(SentenceView.of("killed 300 people"), SentenceView.of("killed 296 people"))
    # a count is exact below a hundred, a decimal to its written places, a year always
    assert quantity_conflict(SentenceView.of("40 people were killed"), SentenceView.of("42 people were killed"))
    assert quantity_conflict(SentenceView.of("a profit of $1.70 a share"), SentenceView.of("a profit of $1.69 a share"))
    assert quantity_conflict(SentenceView.of("killed 100 people"), SentenceView.of("killed 130 people"))
    assert quantity_conflict(SentenceView.of("Server 2000 ships"), SentenceView.of("Server 2004 ships"))
    # "2,000" is a count (rounded like any other), not the year 2000
    assert not quantity_conflict(SentenceView.of("more than 2,000 insurgents were involved"),
                                 SentenceView.of("more than 2,010 insurgents were involved"))
    assert SentenceView.of("about 2,000 insurgents").units == {"insurg": {"2000"}}
    assert same_quantity("11.92-2.5", "11.92-2.50") and not same_quantity("7-2", "6-3")
    # digits past what a decimal context holds, and values that are no number: no error, no agreement
    assert not same_quantity("1234567890123456789012345678901.5", "1234567890123456789012345678901.25")
    assert not same_quantity("1e+400", "1.5e+400") and not same_quantity("2.6.0", "2.6")


def test_align_facts_numbers_documents_by_their_place_in_the_input(encoder):
    documents = ["Too short.", *(" ".join(PACT.documents[k].text.split("\n")) for k in range(3))]
    facts = align_facts(documents)
    pact = next(f for f in facts if len(f.members) > 1 and "signed" in f.members[0].text)
    assert [m.document for m in pact.members] == [1, 2, 3]  # the skipped first document shifts nothing
    assert all(m.sentence == 0 for m in pact.members) and 0 < pact.confidence <= 1
    seen = [(m.document, m.sentence) for f in facts for m in f.members]
    assert len(seen) == len(set(seen)) == sum(len(d.split(". ")) for d in documents[1:])


def _random_cluster(draw_docs: list[list[int]], seed: int):
    """Sentences of a few words drawn from a small pool (so that pairs share words), random unit vectors."""
    pool = "pact signed leaders Norland Sudland bridge council vote mayor river spring review 12 7 2 agency".split()
    rng = np.random.default_rng(seed)
    sentences, doc_ids = [], []
    for d, lengths in enumerate(draw_docs):
        for k, length in enumerate(lengths):
            text = " ".join(rng.choice(pool, size=length)) + "."
            sentences.append(Sentence(f"d{d}", k, text, (0, len(text))))
        doc_ids.append(f"d{d}")
    vectors = rng.normal(size=(len(sentences), 8))
    return sentences, vectors / np.linalg.norm(vectors, axis=1, keepdims=True), doc_ids


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(3, 9), min_size=1, max_size=6), min_size=1, max_size=5), st.integers(0, 10_000))
def test_every_sentence_is_in_exactly_one_fact(lengths, seed):
    sentences, vectors, doc_ids = _random_cluster(lengths, seed)
    # The cross-encoder's view held at one value: the invariant is the grouping's, whatever it reads.
    alignment = align(sentences, vectors, doc_ids, load_pair_model(""), min_similarity=-1.0, bar=0.5,
                      cross=lambda pairs: np.zeros(len(pairs)))
    positions = [m.position for f in alignment.facts for m in f.members]
    assert sorted(positions) == list(range(len(sentences)))  # nothing lost, each once
    for fact in alignment.facts:
        assert [m.position for m in fact.members] == sorted(m.position for m in fact.members)
        assert all(alignment.fact_of(m.position) is fact for m in fact.members)
        assert not {m.position for m in fact.also} & {m.position for m in fact.members}


def test_a_document_joins_a_fact_twice_only_when_its_two_sentences_are_the_same_fact():
    documents = np.array([0, 0, 1])
    links = [(0.9, 0, 2), (0.8, 1, 2)]
    apart = average_linkage(3, links, {(0, 2): 0.9, (1, 2): 0.8, (0, 1): 0.1}, documents, 0.5)
    together = average_linkage(3, links, {(0, 2): 0.9, (1, 2): 0.8, (0, 1): 0.7}, documents, 0.5)
    assert sorted(apart) == [[0, 2], [1]] and together == [[0, 1, 2]]


def test_links_are_mutual_best_matches_per_document():
    documents = np.array([0, 1, 1])  # sentence 0 is near both sentences of document 1; 2 prefers nobody else
    probability = {(0, 1): 0.9, (0, 2): 0.8}
    assert mutual_links(probability, documents, 0.5) == [(0.9, 0, 1)]


def test_an_outlet_with_several_near_paraphrases_may_state_the_fact():
    # Fact [0, 1] (documents 0 and 1). Document 2's sentences 2 and 3 are each near a member, neither
    # probable alone; sentence 3's best pair counts once, not once per member. Document 3: one pair.
    documents = np.array([0, 1, 2, 2, 3, 0])
    probability = {(0, 1): 0.9, (0, 2): 0.3, (1, 3): 0.3, (0, 3): 0.2, (0, 4): 0.1, (0, 5): 0.9}
    fact, alone = stated_by([[0, 1], [2], [3], [4], [5]], probability, documents, 4)[:2]
    assert fact == pytest.approx((1.0, 1.0, 1 - 0.7 * 0.7, 0.1))  # 0.51, where the best pair would say 0.3
    # a one-sentence fact: its own document states it; its pairs within a document do not count
    assert alone == pytest.approx((0.3, 0.0, 1.0, 0.0))


def test_the_bundled_pair_model_matches_this_version(tmp_path):
    model = load_pair_model("")
    assert model.pair.feature_names == PAIR_FEATURES and model.context.feature_names == CONTEXT_FEATURES
    assert "MSRP" in model.description
    stale = json.loads(BUNDLED_MODEL.read_text())
    stale["context"]["feature_names"] = ["csls"]
    (tmp_path / "stale.json").write_text(json.dumps(stale))
    with pytest.raises(ConfigError, match="align.pair_model.*retrain"):
        with_overrides(RunConfig(), align={"pair_model": str(tmp_path / "stale.json")})
    orphan = json.loads(BUNDLED_MODEL.read_text())
    orphan["cross_encoder"] = "gone.safetensors"
    (tmp_path / "orphan.json").write_text(json.dumps(orphan))
    with pytest.raises(ConfigError, match="align.pair_model.*gone.safetensors is missing.*train_cross_encoder"):
        with_overrides(RunConfig(), align={"pair_model": str(tmp_path / "orphan.json")})
    with pytest.raises(ConfigError, match="align.same_fact_probability"):
        with_overrides(RunConfig(), align={"same_fact_probability": 1.5})


def _ordered_alignment(orders: list[list[int]]):
    """An alignment of len(orders) documents: fact k is stated by every document whose list holds k,
    at the sentence index of its place there."""
    from summarizer.align.records import Alignment, Fact, FactMember

    facts = []
    for k in sorted({f for order in orders for f in order}):
        facts.append(Fact(tuple(FactMember(d, order.index(k), f"fact {k}", f"d{d}", (0, 1), 100 * d + order.index(k))
                                for d, order in enumerate(orders) if k in order), 1.0))
    return Alignment(tuple(facts), tuple(f"d{d}" for d in range(len(orders))))


def test_outlets_telling_the_story_in_one_order_are_found_both_ways():
    from summarizer.align.order import MIN_SHARED_SEQUENCE, shared_order

    source = list(range(12))
    rewrite = [0, 1, 2, 20, 4, 3, 5, 6, 21, 7, 8]  # 0–8 in order but 3 and 4 swapped: a run of 8
    independent = [0, 30, 31, 5, 32, 2, 11, 33]  # four shared facts, at most three in one order
    orders = shared_order(_ordered_alignment([source, rewrite, independent]))
    assert [(o.doc_id, o.facts, o.of) for o in orders["d0"]] == [("d1", 8, 12)]
    assert [(o.doc_id, o.facts, o.of) for o in orders["d1"]] == [("d0", 8, 11)]
    assert "d2" not in orders
    # a run one short of the bar is not reported
    short = shared_order(_ordered_alignment([source, list(range(MIN_SHARED_SEQUENCE - 1)) + [40, 41]]))
    assert short == {}


def test_the_comparison_says_which_outlets_tell_the_story_in_one_order(encoder):
    from summarizer import summarize

    lead = ["The council approved the river bridge on Tuesday.", "The vote was seven to two.",
            "Work starts in May and ends in two years.", "The bridge will cost 40 million dollars.",
            "The mayor called it a great day for the town.", "Opponents said the money was needed elsewhere."]
    rewrite = [s.replace("The ", "A ", 1) if i % 2 else s for i, s in enumerate(lead)]
    other = ["Residents of the east bank will save twenty minutes a day.", "Shops near the old ferry fear the loss."]
    summary = summarize(["\n".join(lead), "\n".join(rewrite), "\n".join(other)], fuse={"backend": "extractive"})
    cards = {o.doc_id: o.same_order for o in summary.comparison.outlets}
    documents = [d.doc_id for d in summary.selection.segmented.cluster.documents]
    assert [(o.doc_id, o.facts) for o in cards[documents[0]]] == [(documents[1], 6)]
    assert cards[documents[2]] == ()
    record = json.loads(summary.to_json())["comparison"]["outlets"]
    assert record[1]["same_order"] == [{"doc_id": documents[0], "facts": 6, "of": 6}]
    from summarizer.render.formats import render_markdown

    cluster = summary.selection.segmented.cluster
    assert "- Tells 6 of its 6 facts in the same order as [2]" in render_markdown(summary, cluster)
    assert summary.to_html().count('<p class="order">Tells 6 of its 6 facts in the same order as') == 2


def test_two_one_sentence_documents_are_judged_by_the_pair_part_alone(encoder):
    # No story around the pair (MSRP's setting): the pair part, with the cross-encoder's reading, decides.
    same = align_facts(["Putin and Kim signed a mutual defence pact in Pyongyang on Wednesday, state media said.",
                        "On Wednesday in Pyongyang, Kim Jong Un and Vladimir Putin signed a pact pledging mutual "
                        "defence, state media reported."])
    assert [len(f.members) for f in same] == [2]
    different = align_facts(["Putin and Kim signed a mutual defence pact in Pyongyang on Wednesday, state media said.",
                             "Seoul summoned the Russian ambassador on Thursday to protest against the new pact."])
    assert [len(f.members) for f in different] == [1, 1]
