"""The NeuS framing-bias metric (Arousal+, Arousal-) as an evaluate module.

The NRC-VAD lexicon may not be redistributed: pass the path of your own copy.

    arousal = evaluate.load(module_path("arousal"))
    arousal.compute(predictions=[...], references=[...], lexicon_path="NRC-VAD-Lexicon.txt")
"""
import datasets
import evaluate


class SummarizerArousal(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="Arousal of generated-not-in-reference words by valence (Lee et al., 2022, NeuS). "
                        "Lower is more neutral; grows with length, so report it beside length.",
            citation="Lee et al., 2022. NeuS: Neutral Multi-News Summarization for Mitigating Framing Bias.",
            inputs_description="predictions, references: lists of strings; lexicon_path: NRC-VAD-Lexicon.txt.",
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
        )

    def _compute(self, predictions, references, lexicon_path=None):
        from summarizer.evaluation.neutrality import LexiconError, load_vad_lexicon, neus_arousal
        from summarizer.text import word_count

        if not lexicon_path:
            raise LexiconError("lexicon_path is required: the NRC-VAD lexicon is not redistributable; get it "
                               "from http://saifmohammad.com/WebPages/nrc-vad.html")
        lexicon = load_vad_lexicon(lexicon_path)
        scores = [neus_arousal(p, r, lexicon) for p, r in zip(predictions, references)]
        count = max(1, len(scores))
        return {"arousal_positive": sum(s.positive for s in scores) / count,
                "arousal_negative": sum(s.negative for s in scores) / count,
                "arousal_total": sum(s.total for s in scores) / count,
                "words": sum(word_count(p) for p in predictions) / count}
