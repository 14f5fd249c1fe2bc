"""Where and how a Hugging Face model runs: device, dtype, CPU features, int8 decoding weights."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import torch

from summarizer.errors import RunError

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass(frozen=True)
class CpuInfo:
    name: str  # "model name" of /proc/cpuinfo
    flags: frozenset[str]  # its feature flags (avx512_bf16, amx_bf16, ...)


@functools.lru_cache(maxsize=1)
def cpu_info() -> CpuInfo:
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
    return CpuInfo(name, flags)


def cpu_has_native_bf16() -> bool:
    """The CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere torch emulates it slowly."""
    flags = cpu_info().flags
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


def load_error(model: str, error: Exception) -> RunError:
    hint = ("it is not a local folder, and hub names need network access"
            if not Path(model).exists() else "the folder does not hold a loadable checkpoint")
    return RunError(f"fuse.model={model!r} could not be loaded: {hint} "
                        f"({type(error).__name__}: {error})")
