"""Copying measures: Newsroom extractive fragments, novel n-grams and the fused-sentence test."""
import pytest

from summarizer.evaluation.fragments import bigram_sets, extractive_fragments, is_fused, novel_ngram_share


def test_fragments_by_hand():
    # Summary "the cat sat on the mat today": "the cat sat" (3) from document 1, "on the mat" (3)
    # from document 2, "today" in neither: coverage 6/7, density (9 + 9)/7, compression 9/7.
    fragments = extractive_fragments("The cat sat on the mat today.", ["The cat sat down.", "It lay on the mat."])
    assert fragments.coverage == pytest.approx(6 / 7)
    assert fragments.density == pytest.approx(18 / 7)
    assert fragments.compression == pytest.approx(9 / 7)


def test_a_fragment_never_spans_two_documents():
    # "sat on" is split across the documents' boundary: two fragments of 2, not one of 4.
    fragments = extractive_fragments("cat sat on mat", ["the cat sat", "on mat here"])
    assert fragments.coverage == 1.0 and fragments.density == pytest.approx((4 + 4) / 4)


def test_a_copy_is_fully_covered_and_dense():
    source = "Harbor City will build a new bridge across the Lenne River."
    fragments = extractive_fragments(source, [source, "Something else entirely."])
    assert fragments.coverage == 1.0 and fragments.density == len(source.split())


def test_novel_ngrams():
    assert novel_ngram_share("the cat sat", ["the cat sat down"], 2) == 0.0
    assert novel_ngram_share("the dog sat", ["the cat sat down"], 1) == pytest.approx(1 / 3)
    assert novel_ngram_share("the dog sat", ["the cat sat down"], 2) == 1.0
    assert novel_ngram_share("word", ["anything"], 2) is None


def test_fused_needs_new_wording_and_two_documents():
    sources = ["Norland and Sudland signed a defence pact in Port Vale on Wednesday.",
               "The pact commits both countries to help each other if attacked."]
    sets = bigram_sets(sources)
    fusion = "Norland and Sudland signed a defence pact that commits both countries to help each other."
    assert is_fused(fusion, sets, ("d0", "d1"))
    assert not is_fused(fusion, sets, ("d0",))  # one document: a rewrite, not fusion
    assert not is_fused(sources[0], sets, ("d0", "d1"))  # a copy, whatever it cites
    # A copied sentence with a short attribution appended changes too few of its bigrams (2 of 13).
    assert not is_fused(sources[0][:-1] + ", officials said.", sets, ("d0", "d1"))
