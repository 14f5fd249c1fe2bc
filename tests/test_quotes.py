import numpy as np
import pytest

from summarizer.config_schema import RetrieveConfig, SegmentConfig
from summarizer.retrieve.grouping import candidate_mask, sentence_word_counts, unattributed_quote
from summarizer.segment import segment_cluster
from summarizer.segment.quotes import has_open_quotation, has_quotation
from summarizer.types import Cluster, Document


@pytest.mark.parametrize("text, cut_open", [
    ('"We will not stand by.', True),  # a piece of a longer double-quoted quotation
    ("'We have to think of ourselves as the bad guys.", True),  # opens, never closes
    ("We are the enemy,' he said.", True),  # closes after a comma: a mark for sure, never opened
    ("He said: 'This is huge", True),
    ("'We are the enemy,' he said.", False),
    ('He said "no".', False),
    ("He called it 'a disgrace', adding that it would go.", False),
    ("The players' union said 'no' to the deal.", False),  # a plural possessive is no mark
    ("It was the Joneses' house.", False),
    ("He loved rock 'n' roll in the '90s, and don't we all.", False),  # elisions and apostrophes
])
def test_a_quotation_cut_open_in_either_house_style(text, cut_open):
    assert has_open_quotation(text) is cut_open


def test_a_single_quoted_quotation_is_a_quotation_and_needs_a_speaker():
    assert has_quotation("She said the film was 'fluff', but liked it.")
    assert not has_quotation("The players' union met.") and not has_quotation("Don't go.")
    assert unattributed_quote("Critics call it 'a costly mistake' and 'a waste'.")
    assert not unattributed_quote("'It is a costly mistake,' the mayor said.")


def test_a_piece_of_a_single_quoted_quotation_is_never_chosen_alone():
    # a quotation over two paragraphs, as British papers print one: the first paragraph never closes it
    text = ("The club confirmed its new manager on Friday after eight weeks in charge.\n"
            "'We have to think of ourselves as the bad guys and change how we play.\n"
            "'We are the ones who must change,' he said.")
    cluster = Cluster("c", (Document("d", text),))
    segmented = segment_cluster(cluster, SegmentConfig())
    candidate = candidate_mask(segmented, sentence_word_counts(segmented), RetrieveConfig(min_sentence_words=3))
    chosen = {s.text for s, ok in zip(segmented.sentences, candidate) if ok}
    assert any(t.startswith("The club confirmed") for t in chosen)
    assert all("bad guys" not in t for t in chosen) and any("must change" in t for t in chosen)
    assert np.count_nonzero(candidate) == 2
