"""The alignment's cross-encoder: adapters, training, the saved file, and the bundled one's reading."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from summarizer.align.cross import CrossReader, LowRank, load_cross_reader, save_adapter
from summarizer.align.cross_training import CrossSettings, fit_cross
from summarizer.align.pair_model import load_pair_model
from summarizer.align.training import LabelledPair


def test_a_low_rank_update_folds_into_its_layer():
    torch.manual_seed(0)
    layer = LowRank(torch.nn.Linear(6, 4), rank=2, alpha=4.0)
    torch.nn.init.normal_(layer.b)  # B starts at zero; give the update something to fold
    x = torch.randn(3, 6)
    assert torch.allclose(layer(x), layer.merged()(x), atol=1e-6)
    assert not torch.allclose(layer(x), layer.base(x))


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory) -> str:
    """A two-layer random BERT with the bundled encoder's vocabulary."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    from summarizer.embed.encoder import bundled_model_path

    folder = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    tokenizer.save_pretrained(folder)
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64)).save_pretrained(folder)
    return str(folder)


PAIRS = [LabelledPair(str(k), left, right, label) for k, (left, right, label) in enumerate([
    ("The council approved the bridge on Monday.", "On Monday the council voted for the bridge.", 1),
    ("The council approved the bridge on Monday.", "Floods closed the river road in spring.", 0),
    ("Norland and Sudland signed a pact.", "A pact was signed by Norland and Sudland.", 1),
    ("Norland and Sudland signed a pact.", "The mayor will review the agency's budget.", 0),
] * 2)]


def test_a_trained_adapter_saves_loads_and_reads_pairs_either_way(tiny_encoder, tmp_path):
    head, tokenizer = fit_cross(PAIRS, tiny_encoder, CrossSettings(rank=2, alpha=2.0, epochs=2, batch_size=4))
    trained = CrossReader(head, tokenizer, torch.device("cpu"))
    path = tmp_path / "adapter.safetensors"
    save_adapter(head, path, 2, 2.0, "test")
    assert path.stat().st_size < 100_000  # adapters and head only, not the encoder
    loaded = CrossReader.load(path, tiny_encoder, torch.device("cpu"))
    pairs = [(p.left, p.right) for p in PAIRS[:4]]
    logits = loaded.logits(pairs)
    assert logits.shape == (4,) and np.isfinite(logits).all()
    # float16 storage and folded adapters change the last digits only
    np.testing.assert_allclose(logits, trained.logits(pairs), atol=2e-2)
    np.testing.assert_array_equal(logits, loaded.logits([(b, a) for a, b in pairs]))  # one number per pair
    assert loaded.logits([]).shape == (0,)


def test_an_adapter_file_that_is_not_one_names_itself_and_the_fix(tiny_encoder, tmp_path):
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a safetensors file")
    with pytest.raises(ValueError, match="broken.safetensors.*train_cross_encoder"):
        CrossReader.load(broken, tiny_encoder, torch.device("cpu"))


def test_the_bundled_cross_encoder_tells_a_paraphrase_from_a_neighbour():
    reader = load_cross_reader(load_pair_model("").cross_encoder, "cpu")
    same, other = reader.logits([
        ("Putin and Kim signed a mutual defence pact in Pyongyang on Wednesday.",
         "On Wednesday in Pyongyang, Kim Jong Un and Vladimir Putin signed a pact pledging mutual defence."),
        ("The United States has accused North Korea of supplying Russia with artillery shells.",
         "Putin gave Kim an Aurus limousine as a gift."),
    ])
    assert same > 0 > other
