"""scripts/build_fusion_pairs.py: lever 3's training pairs keep only faithful fusions."""
import json
import sys

from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_fusion_pairs  # noqa: E402

CLUSTER = {"id": "bridge", "documents": [
    {"text": "The council approved the bridge on Tuesday by a vote of 7 to 2. It will open in 2029."},
    {"text": "The council voted 7 to 2 on Tuesday to approve the new bridge. Work starts next spring."}],
    # a fusion of the two first sentences, a copy of one, and an invention
    "reference": "The council approved the new bridge by a vote of 7 to 2 on Tuesday. Work starts next spring. "
                 "The mayor resigned in protest on Wednesday."}


def test_only_supported_fusions_of_two_outlets_become_pairs(tmp_path, capsys):
    data = tmp_path / "train.jsonl"
    data.write_text(json.dumps(CLUSTER) + "\n", encoding="utf-8")
    output = tmp_path / "pairs.jsonl"
    assert build_fusion_pairs.main(["--data", str(data), "--output", str(output)]) == 0
    counts = {line[6:].strip(): int(line[:6]) for line in capsys.readouterr().out.splitlines()[:5]}
    assert counts["reference sentences"] == 3
    assert counts["supported by the guard"] == 2  # not the invented resignation
    pairs = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [p["target"] for p in pairs] == ["The council approved the new bridge by a vote of 7 to 2 on Tuesday."]
    assert len(pairs[0]["sources"]) == 2 and pairs[0]["id"] == "bridge"
