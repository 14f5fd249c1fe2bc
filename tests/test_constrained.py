"""Lever 2 of the fusion issue: the n-gram constraint on decoding (fuse/constrained.py)."""
import torch

from summarizer.fuse.constrained import NGramConstraint

END = 99


def test_only_continuations_of_the_sources_token_pairs_are_allowed():
    # two "sentences" sharing the pair (3, 4): a path may switch from the first to the second there
    constraint = NGramConstraint([[[1, 3, 4, 5], [2, 3, 4, 6]]], prompt_width=2, order=2, end_id=END)
    prompt = [7, 7]
    assert constraint(0, torch.tensor(prompt)) == [1, 2]  # a sentence's first token
    assert constraint(0, torch.tensor(prompt + [1])) == [3]
    assert constraint(0, torch.tensor(prompt + [1, 3, 4])) == [5, 6]  # either outlet's continuation
    assert constraint(0, torch.tensor(prompt + [1, 3, 4, 6])) == [END]  # the end after a last token
    assert constraint(0, torch.tensor(prompt + [1, 8])) == [END]  # off the sources: only the end


def test_each_batch_row_has_its_own_sources():
    constraint = NGramConstraint([[[1, 2]], [[5, 6]]], prompt_width=0, order=2, end_id=END)
    assert constraint(0, torch.tensor([], dtype=torch.long)) == [1]
    assert constraint(1, torch.tensor([], dtype=torch.long)) == [5]
