"""Hugging Face backends: any seq2seq checkpoint and any instruction-tuned causal LM."""
from __future__ import annotations

import logging

import torch
from transformers import LogitsProcessorList, StoppingCriteriaList

from summarizer.config_schema import FuseConfig
from summarizer.fuse.base import FusionRequest, Generator
from summarizer.fuse.decoding import FirstSentenceStop, IncrementalNoRepeatNGram
from summarizer.fuse.hf_runtime import load_error, resolve_dtype
from summarizer.fuse.prompts import SYSTEM, instruction, pack_documents
from summarizer.runtime import resolve_device

log = logging.getLogger(__name__)

#: a generation setting's value where neither the config nor the model's generation_config sets it
GENERATION_DEFAULTS = {"max_new_tokens": 60, "summary_max_new_tokens": 220, "min_new_tokens": 0, "num_beams": 1,
                       "no_repeat_ngram_size": 3, "repetition_penalty": 1.0, "length_penalty": 1.0}
# generation_config keys by which a model sets a length ("max_length" in BART-CNN's, say)
_MODEL_KEYS = {"max_new_tokens": ("max_new_tokens", "max_length"), "min_new_tokens": ("min_new_tokens", "min_length")}
# the length setting of the other unit, not used for this one
_OTHER_UNIT = {"group": {"summary_max_new_tokens"}, "cluster": {"max_new_tokens"}}


class HFGenerator(Generator):
    """Shared batching, tokenisation and decoding for both model families."""

    def __init__(self, config: FuseConfig, model=None, tokenizer=None) -> None:
        super().__init__(config)
        self.device = resolve_device(config.device, "fuse.device")
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
        """What ``generate`` gets: each setting the config sets; else, where the model's own
        generation_config sets it (what its authors tuned), nothing (generate then uses the
        model's); else the backend's default. Decoding is always greedy or beam search: the same
        input gives the same summary."""
        own = self.model.generation_config.to_diff_dict()
        kwargs: dict = {"do_sample": False, "pad_token_id": self.tokenizer.pad_token_id}
        for key, default in GENERATION_DEFAULTS.items():
            if key in _OTHER_UNIT[unit]:
                continue
            name = "max_new_tokens" if key == "summary_max_new_tokens" else key
            value = getattr(self.config, key)
            if value is not None:
                kwargs[name] = value
            elif not any(k in own for k in _MODEL_KEYS.get(name, (name,))):
                kwargs[name] = default
        if kwargs.get("num_beams", own.get("num_beams", 1)) > 1:
            kwargs.setdefault("early_stopping", own.get("early_stopping", True))
        else:
            kwargs.pop("length_penalty", None)  # means nothing without beams
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
                own = self.model.generation_config
                no_repeat = kwargs.get("no_repeat_ngram_size", own.no_repeat_ngram_size or 0)
                if no_repeat and kwargs.get("num_beams", own.num_beams or 1) == 1:
                    kwargs["no_repeat_ngram_size"] = 0  # done incrementally instead (same bans)
                    kwargs["logits_processor"] = LogitsProcessorList([IncrementalNoRepeatNGram(no_repeat)])
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
