"""Our metrics as Hugging Face ``evaluate`` modules, loadable offline by path."""
from pathlib import Path

from summarizer.errors import UsageError

_MODULES = {"rouge": "summarizer_rouge", "consistency": "summarizer_consistency", "arousal": "summarizer_arousal"}


def module_path(name: str) -> str:
    """Local path of one of our metrics as a Hugging Face ``evaluate`` module (loads offline)."""
    if name not in _MODULES:
        raise UsageError(f"unknown evaluate module {name!r}; available: {', '.join(sorted(_MODULES))}")
    return str(Path(__file__).resolve().parent / "hf_modules" / _MODULES[name])
