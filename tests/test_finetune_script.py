"""scripts/finetune_generator.py on a tiny random model: the loss falls, outputs stop at the end of turn."""
import json
from argparse import Namespace

import pytest
import torch

from helpers import load_script

_script = load_script("finetune_generator")
as_summary, end_of_turn_ids, generate, read_clusters, train = (
    _script.as_summary, _script.end_of_turn_ids, _script.generate, _script.read_clusters, _script.train)

END, PAD, UNK = 2, 3, 0


class TinyTokenizer:
    """Token ids are characters' codes shifted past the specials; enough for train and generate."""

    eos_token_id, pad_token_id, unk_token_id = 1, PAD, UNK

    def convert_tokens_to_ids(self, token):
        return END if token == "<|im_end|>" else UNK

    def decode(self, ids, skip_special_tokens=True):
        return "".join(chr(i - 10 + ord("a")) for i in ids if i >= 10)


def _tiny_model():
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=40, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                         pad_token_id=PAD, eos_token_id=END, bos_token_id=None)
    return LlamaForCausalLM(config)


def test_training_lowers_the_loss_and_generation_stops_at_the_end_of_turn():
    tokenizer = TinyTokenizer()
    assert end_of_turn_ids(tokenizer) == [1, 2]
    prompt, target = [10, 11, 12, 13], [20, 21, 22, END]
    model = _tiny_model()
    args = Namespace(epochs=60, batch_size=2, generate_batch_size=2, max_steps=0, lr=3e-3, seed=0,
                     device="cpu", max_new_tokens=8)
    sequence = torch.tensor([prompt + target])
    labels = torch.tensor([[-100] * len(prompt) + target])

    def loss():
        with torch.no_grad():
            return model(input_ids=sequence, labels=labels).loss.item()

    before = loss()
    train(model, tokenizer, [(prompt, target)] * 2, args, log=lambda message: None)
    assert loss() < before / 4
    # The trained model writes the target and stops at its end of turn (nothing after it).
    assert generate(model, tokenizer, [prompt], args) == [tokenizer.decode(target[:-1])]


def test_summary_form_and_bad_input(tmp_path):
    assert as_summary("Council Approves Bridge\nThe council voted 7 to 2.\n") == \
        "Council Approves Bridge. The council voted 7 to 2."
    assert as_summary("Why now?\nBecause.") == "Why now? Because." and as_summary("\n") == ""
    data = tmp_path / "val.jsonl"
    data.write_text(json.dumps({"id": "c1", "documents": []}) + "\n" + json.dumps({"id": "c2"}) + "\n")
    with pytest.raises(SystemExit, match=r"val.jsonl:2: needs 'id' and 'documents'"):
        read_clusters(data, None)
