from pathlib import Path

import pytest

from summarizer.config import ConfigError, RunConfig, load_config, parse_override

ROOT = Path(__file__).resolve().parent.parent


def test_default_yaml_matches_builtin_defaults():
    assert load_config(ROOT / "configs" / "default.yaml") == RunConfig()


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
    with pytest.raises(ValueError, match=r"unknown fusion backend 'bart'; available: causal, default, "
                                         r"extractive, seq2seq"):
        load_config(None, ["fuse.backend=bart"])


@pytest.mark.parametrize("override, message", [
    ("fuse.num_beams=0", "fuse.num_beams = 0 is out of range"),
    ("fuse.num_beams=two", "fuse.num_beams: expected int"),
    ("output.format=pdf", "output.format = 'pdf'; choose one of text, markdown, json, html"),
    ("fuse.backend=seq2seq", "needs fuse.model"),
    ("fuse", "expected KEY=VALUE"),
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
