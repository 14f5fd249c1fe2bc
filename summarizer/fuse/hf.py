"""Hugging Face backends: any seq2seq checkpoint and any instruction-tuned causal LM."""
from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

import torch
from transformers import LogitsProcessor, LogitsProcessorList, StoppingCriteria, StoppingCriteriaList

from summarizer.config import FuseConfig
from summarizer.fuse.base import GENERATORS, FusionRequest, Generator
from summarizer.fuse.prompts import SYSTEM, instruction, pack_documents
from summarizer.text import has_open_quotation

log = logging.getLogger(__name__)

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"fuse.device={name} but no CUDA device is available; use --set fuse.device=cpu")
    return device


@functools.lru_cache(maxsize=1)
def cpu_info() -> tuple[str, frozenset[str]]:
    """The CPU's model name and feature flags from /proc/cpuinfo (empty where there is none)."""
    name, flags = "", frozenset()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name") and not name:
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("flags") and not flags:
                    flags = frozenset(line.split(":", 1)[1].split())
                if name and flags:
                    break
    except OSError:
        pass
    return name, flags


def cpu_has_native_bf16() -> bool:
    """The CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere torch emulates it slowly."""
    flags = cpu_info()[1]
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_dtype(name: str, device: torch.device) -> torch.dtype | None:
    """``auto``: bfloat16 on CUDA; on CPU the checkpoint's own dtype (None)."""
    if name == "auto":
        return torch.bfloat16 if device.type == "cuda" else None
    return _DTYPES[name]


class Int8DecodeLinear(torch.nn.Module):
    """A linear layer that decodes with an int8 copy of its weight and prefills with the original.

    On a CPU, decoding a small model reads every weight once per generated token for a handful of
    rows: memory, not arithmetic, is the limit, and an int8 copy (per-output-channel scales) is a
    quarter of float32's bytes. Prompt passes have hundreds of rows and are arithmetic-bound, so
    they keep the exact float32 product.
    """

    #: at most this many rows (tokens of the whole batch) take the int8 path
    max_rows = 32

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.weight = linear.weight  # shared, so tied embeddings stay tied
        self.bias = linear.bias
        with torch.no_grad():
            weight = linear.weight.detach().float()
            scales = weight.abs().amax(dim=1).clamp(min=1e-12) / 127
            quantized = torch.round(weight / scales[:, None]).clamp(-127, 127).to(torch.int8)
        self.register_buffer("int8_weight", quantized, persistent=False)
        self.register_buffer("int8_scales", scales.to(torch.bfloat16), persistent=False)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        rows = hidden.numel() // hidden.shape[-1]
        if rows > self.max_rows:
            return torch.nn.functional.linear(hidden, self.weight, self.bias)
        flat = hidden.reshape(rows, hidden.shape[-1]).to(torch.bfloat16)
        output = torch._weight_int8pack_mm(flat, self.int8_weight, self.int8_scales)
        output = output.to(hidden.dtype).reshape(*hidden.shape[:-1], output.shape[-1])
        return output if self.bias is None else output + self.bias


def int8_decoding(model: torch.nn.Module) -> torch.nn.Module:
    """Replace the model's float32 linear layers by ``Int8DecodeLinear`` (in place)."""
    if not hasattr(torch, "_weight_int8pack_mm"):
        raise RuntimeError(f"torch {torch.__version__} has no int8 weight kernel")
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear) and child.weight.dtype == torch.float32:
                setattr(module, name, Int8DecodeLinear(child))
    return model


def load_error(model: str, error: Exception) -> RuntimeError:
    hint = ("it is not a local folder, and hub names need network access"
            if not Path(model).exists() else "the folder does not hold a loadable checkpoint")
    return RuntimeError(f"fuse.model={model!r} could not be loaded: {hint} "
                        f"({type(error).__name__}: {error})")


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s|\n")
# A period right after a lower-case word or a number ends the sentence without waiting for the next token
# ("U.S." and "Mr." do not match); each saved step is a whole decoding step of the batch.
_FINAL_SENTENCE_END = re.compile(r"[a-z0-9]{3}[.!?][\"')\]]*$")
# Small models often answer "1. The pact ..." after a numbered prompt; the marker is no sentence.
_LEADING_MARKER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s+")


class FirstSentenceStop(StoppingCriteria):
    """Marks each sequence finished once it has written one full sentence.

    In group unit only the first sentence of a draft is used, so decoding past it costs
    time (about half of the fusion time on the seed cluster) for nothing.
    """

    def __init__(self, tokenizer, prompt_length: int) -> None:
        self.tokenizer = tokenizer
        self.prompt_length = prompt_length

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs) -> torch.BoolTensor:
        texts = self.tokenizer.batch_decode(input_ids[:, self.prompt_length:], skip_special_tokens=True)
        # A sentence end needs something after it ("U.S. officials" is not one) and some text before.
        texts = [_LEADING_MARKER.sub("", t, count=1).lstrip() for t in texts]
        done = [self._has_sentence(t) for t in texts]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)

    @staticmethod
    def _has_sentence(text: str) -> bool:
        if len(text.split()) <= 3:
            return False
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        if _FINAL_SENTENCE_END.search(text):
            ends.append(len(text))
        # A period inside an open quotation ('"We will not stand by. We ...') ends no sentence
        # of ours: copying a quoted source sentence must go on to its closing mark.
        return any(not has_open_quotation(text[:end]) for end in ends)


class IncrementalNoRepeatNGram(LogitsProcessor):
    """transformers' ``no_repeat_ngram_size`` (no n-gram twice in prompt + continuation), kept
    incrementally.

    The library's version rebuilds every row's n-gram table from the whole sequence at each
    step, in Python; with a causal model's prompt that was about a third of the fusion time on
    the seed cluster. Here the table is built once from the prompt and grows by one n-gram per
    step. Banning the prompt's n-grams is deliberate: it keeps the embedded model from copying
    a source sentence with a small change (with copying allowed, the guard accepted 28 of 363
    NeuS val sentences against 2, and ROUGE-1 and the consistency checker's minimum both fell;
    eval/README.md).
    """

    def __init__(self, ngram_size: int) -> None:
        self.ngram_size = ngram_size
        self._tables: list[dict[tuple[int, ...], set[int]]] | None = None
        self._seen = 0

    def _add(self, table: dict[tuple[int, ...], set[int]], tokens: list[int], start: int) -> None:
        n = self.ngram_size
        for i in range(max(0, start - n + 1), len(tokens) - n + 1):
            table.setdefault(tuple(tokens[i:i + n - 1]), set()).add(tokens[i + n - 1])

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        n = self.ngram_size
        rows = input_ids.tolist()
        if self._tables is None or len(self._tables) != len(rows):
            self._tables = [{} for _ in rows]
            self._seen = 0
        for row, (tokens, table) in enumerate(zip(rows, self._tables)):
            self._add(table, tokens, self._seen)
            if len(tokens) >= n - 1:
                banned = table.get(tuple(tokens[len(tokens) - n + 1:]))
                if banned:
                    scores[row, list(banned)] = -float("inf")
        self._seen = len(rows[0]) if rows else 0
        return scores


class HFGenerator(Generator):
    """Shared batching, tokenisation and decoding for both model families."""

    def __init__(self, config: FuseConfig, model=None, tokenizer=None) -> None:
        super().__init__(config)
        self.device = resolve_device(config.device)
        if model is None:
            model, tokenizer = self._load(config.model)
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token

    #: name of the transformers Auto class that loads this family of checkpoints
    auto_class = ""
    def _load(self, name: str):
        import transformers

        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(name)
            options = {"dtype": resolve_dtype(self.config.dtype, self.device)}
            if self.config.attention != "auto":
                options["attn_implementation"] = self.config.attention
            model = getattr(transformers, self.auto_class).from_pretrained(name, **options)
        except (OSError, ValueError) as error:
            raise load_error(name, error) from None
        return model, tokenizer

    @property
    def max_input_tokens(self) -> int:
        limits = [self.config.max_input_tokens]
        for value in (getattr(self.tokenizer, "model_max_length", None),
                      getattr(self.model.config, "max_position_embeddings", None),
                      getattr(self.model.config, "max_encoder_position_embeddings", None)):
            if isinstance(value, int) and 0 < value < 1_000_000:
                limits.append(value)
        return min(limits)

    def count_tokens(self, texts: list[str]) -> list[int]:
        encoded = self.tokenizer(texts, add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def generation_kwargs(self, unit: str) -> dict:
        config = self.config
        kwargs = dict(
            max_new_tokens=config.max_new_tokens if unit == "group" else config.summary_max_new_tokens,
            min_new_tokens=config.min_new_tokens, num_beams=config.num_beams, do_sample=False,
            no_repeat_ngram_size=config.no_repeat_ngram_size,
            repetition_penalty=config.repetition_penalty,
            pad_token_id=self.tokenizer.pad_token_id,
        )
        if config.num_beams > 1:
            kwargs.update(length_penalty=config.length_penalty, early_stopping=True)
        return kwargs

    def model_inputs(self, requests: list[FusionRequest]) -> dict[str, torch.Tensor]:
        raise NotImplementedError

    def decode(self, output: torch.Tensor, inputs: dict[str, torch.Tensor]) -> list[str]:
        raise NotImplementedError

    def _batches(self, requests: list[FusionRequest]) -> list[list[int]]:
        """Length-sorted buckets within ``batch_size`` and ``max_batch_tokens`` (padded)."""
        lengths = self.count_tokens([self.request_text(r) for r in requests])
        order = sorted(range(len(requests)), key=lambda i: -lengths[i])
        batches: list[list[int]] = []
        for i in order:
            if batches:
                batch = batches[-1]
                # Sorted longest first, so the batch's first member sets its padded width.
                padded = lengths[batch[0]] * (len(batch) + 1)
                if len(batch) < self.config.batch_size and padded <= self.config.max_batch_tokens:
                    batch.append(i)
                    continue
            batches.append([i])
        return batches

    def request_text(self, request: FusionRequest) -> str:
        """The model input text of one request (used for length bucketing)."""
        return " ".join(p.text for p in request.passages)

    def _generate_batch(self, batch: list[FusionRequest]) -> list[str]:
        """Generate one batch; on CUDA out-of-memory, split it in half and retry each half."""
        try:
            inputs = self.model_inputs(batch)
            kwargs = self.generation_kwargs(batch[0].unit)
            prompt_length = inputs["input_ids"].shape[1]
            if not self.model.config.is_encoder_decoder:
                if kwargs.pop("no_repeat_ngram_size") and self.config.num_beams == 1:
                    kwargs["logits_processor"] = LogitsProcessorList(
                        [IncrementalNoRepeatNGram(self.config.no_repeat_ngram_size)])
                else:  # beams reorder rows between steps: the library's stateless version
                    kwargs["no_repeat_ngram_size"] = self.config.no_repeat_ngram_size
                if batch[0].unit == "group":
                    kwargs["stopping_criteria"] = StoppingCriteriaList(
                        [FirstSentenceStop(self.tokenizer, prompt_length)])
            with torch.inference_mode():
                output = self.model.generate(**inputs, **kwargs)
        except torch.OutOfMemoryError:
            if len(batch) == 1:
                raise
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            half = len(batch) // 2
            log.warning("out of memory on a batch of %d; retrying as %d + %d", len(batch), half, len(batch) - half)
            return self._generate_batch(batch[:half]) + self._generate_batch(batch[half:])
        new_tokens = output if self.model.config.is_encoder_decoder else output[:, inputs["input_ids"].shape[1]:]
        self.generated_tokens += int((new_tokens != self.tokenizer.pad_token_id).sum())
        return self.decode(output, inputs)

    def generate(self, requests: list[FusionRequest]) -> list[str]:
        """Generate in length-sorted, token-budgeted batches; results in request order."""
        results: list[str] = [""] * len(requests)
        for indices in self._batches(requests):
            for i, text in zip(indices, self._generate_batch([requests[i] for i in indices])):
                results[i] = text.strip()
        return results


@GENERATORS.register("seq2seq")
class Seq2SeqGenerator(HFGenerator):
    """Any ``AutoModelForSeq2SeqLM`` (BART, PEGASUS, T5, LED/PRIMERA) on packed documents."""

    name = "seq2seq"
    preferred_unit = "cluster"
    auto_class = "AutoModelForSeq2SeqLM"


    @property
    def separator(self) -> str:
        # PRIMERA was pre-trained with <doc-sep> between documents; others get a newline.
        return " <doc-sep> " if "<doc-sep>" in self.tokenizer.get_vocab() else "\n"

    def request_text(self, request: FusionRequest) -> str:
        return pack_documents(request, self.separator)

    def model_inputs(self, requests: list[FusionRequest]) -> dict[str, torch.Tensor]:
        texts = [self.request_text(r) for r in requests]
        limit = self.max_input_tokens
        lengths = self.count_tokens(texts)
        for text_length in lengths:
            if text_length > limit:
                log.warning("fusion input of %d tokens truncated to %d (fuse.max_input_tokens / "
                            "the model's limit); lower retrieve.budget_tokens to avoid it",
                            text_length, limit)
        # BERT-style tokenizers add token_type_ids, which generation models reject.
        inputs = self.tokenizer(texts, padding=True, truncation=True, max_length=limit, return_tensors="pt",
                                return_token_type_ids=False).to(self.device)
        if self.model.config.model_type == "led":
            # LED/PRIMERA attend globally from the first token and every document separator.
            global_mask = torch.zeros_like(inputs["input_ids"])
            global_mask[:, 0] = 1
            sep_id = self.tokenizer.convert_tokens_to_ids("<doc-sep>") \
                if "<doc-sep>" in self.tokenizer.get_vocab() else None
            if sep_id is not None:
                global_mask[inputs["input_ids"] == sep_id] = 1
            inputs["global_attention_mask"] = global_mask
        return dict(inputs)

    def decode(self, output: torch.Tensor, inputs: dict[str, torch.Tensor]) -> list[str]:
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


@GENERATORS.register("causal")
class CausalGenerator(HFGenerator):
    """Any instruction-tuned ``AutoModelForCausalLM``, prompted through its chat template."""

    name = "causal"
    preferred_unit = "group"
    auto_class = "AutoModelForCausalLM"

    def __init__(self, config: FuseConfig, model=None, tokenizer=None) -> None:
        super().__init__(config, model, tokenizer)
        self.tokenizer.padding_side = "left"  # generation continues from the right edge


    def prompt(self, request: FusionRequest) -> str:
        if getattr(self.tokenizer, "chat_template", None):
            messages = [{"role": "system", "content": SYSTEM},
                        {"role": "user", "content": instruction(request)}]
            return self.tokenizer.apply_chat_template(messages, tokenize=False,
                                                      add_generation_prompt=True)
        return f"{SYSTEM}\n\n{instruction(request)}\n\nAnswer:"

    def request_text(self, request: FusionRequest) -> str:
        return self.prompt(request)

    def model_inputs(self, requests: list[FusionRequest]) -> dict[str, torch.Tensor]:
        prompts = [self.request_text(r) for r in requests]
        # The chat template already holds the special tokens.
        return dict(self.tokenizer(prompts, padding=True, truncation=True, add_special_tokens=False,
                                   max_length=self.max_input_tokens, return_tensors="pt",
                                   return_token_type_ids=False).to(self.device))

    def decode(self, output: torch.Tensor, inputs: dict[str, torch.Tensor]) -> list[str]:
        new_tokens = output[:, inputs["input_ids"].shape[1]:]
        texts = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        return [t.strip() for t in texts]
