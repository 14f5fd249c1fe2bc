"""Shared fixtures: hand-built clusters, the sentence encoder, tiny random HF models."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from summarizer.types import Cluster, Document

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "bridge"


def make_cluster(*documents: tuple[str, ...], cluster_id: str = "test") -> Cluster:
    """A cluster from tuples of sentences, one tuple per document (sumy-style helper)."""
    docs = tuple(Document(doc_id=f"d{i}", text="\n".join(sentences), source=f"doc {i}")
                 for i, sentences in enumerate(documents))
    return Cluster(cluster_id=cluster_id, documents=docs)


# Three outlets: two shared facts, one outlet's colour, one unique detail.
PACT = make_cluster(
    ("Leaders of Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday.",
     "The agreement commits both countries to help each other if either is attacked.",
     "The lavish ceremony was a spectacle of enthusiastic devotion to the two leaders.",
     "Officials said the pact will take effect in March."),
    ("The leaders of Norland and Sudland signed a mutual defence pact on Wednesday in Port Vale.",
     "Under the agreement both countries must help each other if either one is attacked.",
     "Critics in the region called the deal a threat to stability."),
    ("Norland and Sudland signed a defence pact on Wednesday during a summit in Port Vale.",
     "The deal obliges each country to help the other in case of an attack.",
     "Trade between the two countries fell by 12 percent last year."),
)


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests never touch the user's model cache; the embedded model is converted once per session.
    if "SUMMARIZER_CACHE_DIR" not in os.environ:
        os.environ["SUMMARIZER_CACHE_DIR"] = str(tmp_path_factory.mktemp("model-cache"))


@pytest.fixture(scope="session")
def encoder():
    from summarizer.config import EmbeddingConfig
    from summarizer.embeddings import get_encoder

    return get_encoder(EmbeddingConfig())


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED_DATA / "seeds"
    if not path.is_dir():
        pytest.skip(f"shared demo data not found at {path} (only present in the development checkout)")
    return path


def _tiny_tokenizer(directory: Path, chat: bool):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    corpus = " ".join(" ".join(doc.text for doc in PACT.documents).split())
    words = sorted({w for w in corpus.replace(".", " . ").replace(",", " , ").split()})
    specials = ["<pad>", "<s>", "</s>", "<unk>", "<doc-sep>", "<|user|>", "<|assistant|>"]
    vocab = {token: i for i, token in enumerate(specials + words)}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, bos_token="<s>", eos_token="</s>",
                                        pad_token="<pad>", unk_token="<unk>", model_max_length=512,
                                        additional_special_tokens=["<doc-sep>"])
    if chat:
        tokenizer.chat_template = ("{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }} "
                                   "{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}")
    tokenizer.save_pretrained(directory)
    return tokenizer


@pytest.fixture(scope="session")
def tiny_bart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised BART saved to disk, loadable by name like any checkpoint."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    directory = tmp_path_factory.mktemp("tiny-bart")
    tokenizer = _tiny_tokenizer(directory, chat=False)
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
    tokenizer = _tiny_tokenizer(directory, chat=False)
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
    tokenizer = _tiny_tokenizer(directory, chat=True)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                         max_position_embeddings=1024, pad_token_id=0, bos_token_id=1, eos_token_id=2)
    LlamaForCausalLM(config).save_pretrained(directory)
    return directory
