"""The embedded model's de-quantised cache: built once, atomically, and rebuilt when damaged."""
import pytest

from summarizer.config import FuseConfig
from summarizer.fuse.embedded import EmbeddedGenerator, cached_checkpoint


@pytest.mark.slow
def test_cache_is_built_once_and_rebuilt_when_truncated(tmp_path):
    first = cached_checkpoint(str(tmp_path))
    assert cached_checkpoint(str(tmp_path)) == first  # warm: found, not converted again
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no temporary folders left

    weights = first / "model.safetensors"
    with weights.open("r+b") as handle:
        handle.truncate(1024)
    generator = EmbeddedGenerator(FuseConfig(cache_dir=str(tmp_path)))
    assert weights.stat().st_size > 100_000_000
    assert generator.count_tokens(["Putin met Kim."])[0] > 0
