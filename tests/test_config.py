import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from summarizer.config import ConfigError, RunConfig, load_config, parse_override

ROOT = Path(__file__).resolve().parent.parent


def _flat(data: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in data.items():
        flat.update(_flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return flat


def test_default_yaml_matches_builtin_defaults():
    assert load_config(ROOT / "configs" / "default.yaml") == RunConfig()
    # Key sets both ways: a key deleted from the YAML would otherwise fall back to its default unseen.
    written = _flat(yaml.safe_load((ROOT / "configs" / "default.yaml").read_text(encoding="utf-8")))
    built_in = _flat(RunConfig().to_dict())
    assert set(written) == set(built_in), (set(written) ^ set(built_in))
    for key, value in built_in.items():
        assert (list(value) if isinstance(value, tuple) else value) == written[key], key


def test_the_default_config_ships_in_the_package():
    from summarizer.cli import DEFAULT_CONFIG, _parser

    assert DEFAULT_CONFIG.is_file() and load_config(DEFAULT_CONFIG) == RunConfig()
    assert (ROOT / "configs" / "default.yaml").resolve() == DEFAULT_CONFIG.resolve()
    run = _parser()._subparsers._group_actions[0].choices["run"]
    assert "summarizer/default.yaml" in run.format_help().replace("\n", "").replace(" ", "")


def test_checking_a_config_imports_no_model_library():
    # A typo must be reported at once: validation checks names without importing any backend.
    script = ("import sys; from summarizer.config import load_config; "
              "load_config(None, ['fuse.backend=default', 'retrieve.scorer=learned']); "
              "heavy = [m for m in ('torch', 'transformers', 'datasets', 'evaluate', 'ray') if m in sys.modules]; "
              "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def test_a_config_typo_on_the_command_line_is_reported_at_once():
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "summarizer", "run", "examples/bridge", "--set", "fuse.bakend=x"],
                            capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    assert result.returncode == 2 and "did you mean 'backend'" in result.stderr
    assert seconds < 5, seconds  # about 0.3 s here; the bound leaves room for a loaded CI machine


def test_overrides_are_typed():
    config = load_config(None, ["fuse.num_beams=4", "retrieve.lexical_weight=0.5",
                                "neutral.drop_loaded_words=false", "fuse.model=2024"])
    assert config.fuse.num_beams == 4
    assert config.retrieve.lexical_weight == 0.5
    assert config.neutral.drop_loaded_words is False
    assert config.fuse.model == "2024"  # a numeric-looking path stays a string


def test_unknown_key_suggests_the_right_one():
    with pytest.raises(ConfigError, match=r"unknown config key 'fuse.num_beam'.*did you mean 'num_beams'"):
        load_config(None, ["fuse.num_beam=2"])
    with pytest.raises(ConfigError, match="did you mean 'retrieve'"):
        load_config(None, ["retreive.order=position"])


def test_unknown_backend_lists_available():
    with pytest.raises(ValueError, match=r"unknown fusion backend 'bart'; available: causal, default, embedded, "
                                         r"extractive, seq2seq, wordgraph"):
        load_config(None, ["fuse.backend=bart"])


@pytest.mark.parametrize("override, message", [
    ("fuse.num_beams=0", "fuse.num_beams = 0 is out of range"),
    ("fuse.num_beams=two", "fuse.num_beams: expected int"),
    ("output.format=pdf", "output.format = 'pdf'; choose one of text, markdown, json, jsonl, html"),
    ("fuse.backend=seq2seq", "needs fuse.model"),
    ("fuse", "expected KEY=VALUE"),
    ("retrieve.mmr_lambda=.nan", "retrieve.mmr_lambda: expected a finite number"),
    ("guard.min_similarity=-.inf", "guard.min_similarity: expected a finite number"),
    ("retrieve.scorer=leanred", "retrieve.scorer: unknown salience scorer 'leanred' .did you mean 'learned'"),
    ("evaluation.consistency=nil", "evaluation.consistency: unknown consistency scorer 'nil'"),
])
def test_bad_values_are_explained(override, message):
    with pytest.raises(ConfigError, match=message):
        load_config(None, [override])


def test_yaml_is_data_not_code(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text("seed: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(evil)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_parse_override_nests():
    assert parse_override("a.b.c=[1, 2]") == {"a": {"b": {"c": [1, 2]}}}


def test_the_configuration_reference_is_generated_from_the_schema():
    """docs/configuration-reference.md is what scripts/config_reference.py makes of the schema and
    default.yaml: a key added, removed or re-documented without regenerating it fails here."""
    from helpers import ROOT, load_script

    script = load_script("config_reference")
    assert (ROOT / "docs" / "configuration-reference.md").read_text(encoding="utf-8") == script.reference(), \
        "run python scripts/config_reference.py"
