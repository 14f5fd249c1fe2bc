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


def test_cpu_dtype_is_measured_once_and_remembered(tiny_causal, tmp_path, monkeypatch):
    from transformers import AutoModelForCausalLM

    import summarizer.fuse.embedded as embedded

    model = AutoModelForCausalLM.from_pretrained(tiny_causal)
    monkeypatch.setattr(embedded, "cpu_has_native_bf16", lambda: True)
    timings = iter([2.0, 1.0, 1.5])  # measured in the order of CPU_VARIANTS
    monkeypatch.setattr(embedded, "_fusion_seconds", lambda m, v: next(timings))
    assert embedded.fastest_cpu_variant(model, tmp_path) == "bfloat16"
    assert list(tmp_path.glob(".dtypes-*")) == []  # written whole, then renamed

    def must_not_measure(*_):
        raise AssertionError("measured again")

    monkeypatch.setattr(embedded, "_fusion_seconds", must_not_measure)
    assert embedded.fastest_cpu_variant(model, tmp_path) == "bfloat16"
    (tmp_path / "cpu-dtypes.json").write_text("not json")  # damaged: measured again, not a crash
    monkeypatch.setattr(embedded, "_fusion_seconds", lambda m, v: 1.0)
    assert embedded.fastest_cpu_variant(model, tmp_path) == "float32"  # ties go to the first


def test_int8_decoding_keeps_prompt_passes_exact_and_decoding_close(tiny_causal):
    import torch
    from transformers import AutoModelForCausalLM

    from summarizer.fuse.hf_runtime import Int8DecodeLinear, int8_decoding

    exact = AutoModelForCausalLM.from_pretrained(tiny_causal).eval()
    fast = int8_decoding(AutoModelForCausalLM.from_pretrained(tiny_causal).eval())
    assert any(isinstance(m, Int8DecodeLinear) for m in fast.modules())
    prompt = torch.arange(3, 3 + Int8DecodeLinear.max_rows + 8).unsqueeze(0)
    with torch.inference_mode():
        assert torch.equal(exact(prompt).logits, fast(prompt).logits)  # many rows: float32 path
        few = prompt[:, :4]
        reference, quantized = exact(few).logits, fast(few).logits
    assert not torch.equal(reference, quantized)  # the int8 path ran
    assert torch.allclose(reference, quantized, atol=0.05 * float(reference.abs().max()))


def test_conversion_parses_the_gguf_file_once_and_restores_the_gguf_module(tmp_path):
    import gguf

    from summarizer.fuse.embedded import _gguf_parsed_once

    path = tmp_path / "tiny.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    plain_reader, plain_map = gguf.GGUFReader, gguf.get_tensor_name_map
    with _gguf_parsed_once():
        first = gguf.GGUFReader(path)
        assert gguf.GGUFReader(str(path)) is first  # the second load reuses the first parse
        assert gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, 2) is gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, 2)
        assert first.fields["llama.block_count"].contents() == 2
    assert (gguf.GGUFReader, gguf.get_tensor_name_map) == (plain_reader, plain_map)
    with pytest.raises(RuntimeError), _gguf_parsed_once():
        raise RuntimeError("conversion failed")
    assert (gguf.GGUFReader, gguf.get_tensor_name_map) == (plain_reader, plain_map)  # restored on failure too
