"""Shared fixtures: hand-built clusters, the sentence encoder, tiny random HF models."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import SHARED_DATA, tiny_tokenizer


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests never touch the user's model cache; the embedded model is converted once per session.
    if "SUMMARIZER_CACHE_DIR" not in os.environ:
        os.environ["SUMMARIZER_CACHE_DIR"] = str(tmp_path_factory.mktemp("model-cache"))


@pytest.fixture(scope="session")
def encoder():
    from summarizer.config import EmbeddingConfig
    from summarizer.embed.encoder import get_encoder

    return get_encoder(EmbeddingConfig())


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED_DATA / "seeds"
    if not path.is_dir():
        pytest.skip(f"shared demo data not found at {path} (only present in the development checkout)")
    return path


@pytest.fixture(scope="session")
def tiny_bart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised BART saved to disk, loadable by name like any checkpoint."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    directory = tmp_path_factory.mktemp("tiny-bart")
    tokenizer = tiny_tokenizer(directory, chat=False)
    torch.manual_seed(0)
    config = BartConfig(vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1,
                        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                        decoder_ffn_dim=64, max_position_embeddings=512, pad_token_id=0,
                        bos_token_id=1, eos_token_id=2, decoder_start_token_id=2,
                        forced_bos_token_id=None, forced_eos_token_id=2)
    BartForConditionalGeneration(config).save_pretrained(directory)
    return directory


@pytest.fixture(scope="session")
def tiny_led(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from transformers import LEDConfig, LEDForConditionalGeneration

    directory = tmp_path_factory.mktemp("tiny-led")
    tokenizer = tiny_tokenizer(directory, chat=False)
    torch.manual_seed(0)
    config = LEDConfig(vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1,
                       encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                       decoder_ffn_dim=64, max_encoder_position_embeddings=512,
                       max_decoder_position_embeddings=128, attention_window=[8], pad_token_id=0,
                       bos_token_id=1, eos_token_id=2, decoder_start_token_id=2)
    LEDForConditionalGeneration(config).save_pretrained(directory)
    return directory


@pytest.fixture(scope="session")
def tiny_causal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    directory = tmp_path_factory.mktemp("tiny-llama")
    tokenizer = tiny_tokenizer(directory, chat=True)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                         max_position_embeddings=1024, pad_token_id=0, bos_token_id=1, eos_token_id=2)
    LlamaForCausalLM(config).save_pretrained(directory)
    return directory
