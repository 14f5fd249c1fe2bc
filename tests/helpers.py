"""Test helpers: hand-built clusters, paths, a tiny tokenizer (imported by tests and fixtures)."""
from __future__ import annotations

from pathlib import Path

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


def tiny_tokenizer(directory: Path, chat: bool):
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


def load_script(name: str, folder: str = "scripts"):
    """A script of ``scripts/`` (or ``eval/``) as a module, loaded from its file (scripts are no
    package, and tests leave ``sys.path`` alone)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{folder}_{name}", ROOT / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def embed(cluster: Cluster, encoder, config=None):
    """``cluster`` segmented and embedded as the pipeline does it (an ``EmbeddedCluster``)."""
    from summarizer.config import RunConfig
    from summarizer.embed.encoder import embed_clusters
    from summarizer.segment import segment_cluster

    config = config or RunConfig()
    return embed_clusters([segment_cluster(cluster, config.segment)], encoder)[0]


def guard_and_index(cluster: Cluster, encoder, lexical_weight: float = 0.3):
    """A faithfulness guard with default settings and the source index of ``cluster``."""
    from summarizer.config import GuardConfig
    from summarizer.embed.similarity import Similarity
    from summarizer.verify import FaithfulnessGuard, SourceIndex

    guard = FaithfulnessGuard(Similarity(encoder, lexical_weight), GuardConfig())
    return guard, SourceIndex.of(embed(cluster, encoder))


def select(cluster: Cluster, encoder, config=None):
    """Retrieval's selection for ``cluster`` (tokens counted as words)."""
    from summarizer.config import RunConfig
    from summarizer.neutral.lexicon import Lexicon
    from summarizer.retrieve import retrieve
    from summarizer.embed.similarity import Similarity

    from summarizer.align.stage import align_cluster, cross_scores

    config = config or RunConfig()
    embedded = embed(cluster, encoder, config)
    cross = cross_scores(config.align, config.embedding.device)
    return retrieve(embedded, align_cluster(embedded, config.align, cross), config.retrieve,
                    Similarity(encoder, config.retrieve.lexical_weight), Lexicon.from_config(config.neutral),
                    lambda texts: [len(t.split()) for t in texts])
