"""summarizer/runtime.py: torch threads sized to the CPUs the process may use; one device resolver."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_torch_threads_follow_the_cpus_this_process_may_use():
    code = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
            "from summarizer.runtime import size_torch_threads, usable_cpus; print(usable_cpus(), size_torch_threads())")
    environment = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                                                    "SUMMARIZER_THREADS")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120)
    assert done.stdout.split() == ["1", "1"], done.stderr[-500:]
    environment["SUMMARIZER_THREADS"] = "3"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120)
    assert done.stdout.split() == ["1", "3"], done.stderr[-500:]


def test_one_device_resolver_names_the_setting():
    """Issue #32: the encoder, the fusion models and the NLI checker resolve devices in one place;
    `embedding.device=auto` was a traceback, and `cuda` on a machine without it too."""
    import torch

    from summarizer.errors import RunError
    from summarizer.runtime import resolve_device

    assert resolve_device("auto", "embedding.device").type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert resolve_device("cpu", "fuse.device") == torch.device("cpu")
    with pytest.raises(RunError, match=r"embedding.device='gpu' is no device"):
        resolve_device("gpu", "embedding.device")
    if not torch.cuda.is_available():
        with pytest.raises(RunError, match=r"fuse.device=cuda but no CUDA device is available"):
            resolve_device("cuda", "fuse.device")
