"""ROUGE-1/2/L/Lsum with stemming and a Unicode-aware tokenizer, as a Hugging Face evaluate module.

    import evaluate
    from summarizer.evaluation import module_path
    rouge = evaluate.load(module_path("rouge"))
    rouge.compute(predictions=["..."], references=["..."])
"""
import datasets
import evaluate

from summarizer.evaluation.rouge import ROUGE_TYPES, Rouge, bootstrap_interval


class SummarizerRouge(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="Per-example ROUGE F1 averaged, with seeded bootstrap 95% CIs (summarizer project).",
            citation="Lin, 2004. ROUGE: A Package for Automatic Evaluation of Summaries.",
            inputs_description="predictions: list of summaries; references: list of reference summaries.",
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Value("string")}),
        )

    def _compute(self, predictions, references, seed=0, resamples=1000):
        scorer = Rouge()
        scores = [scorer.score(p, r) for p, r in zip(predictions, references)]
        result = {}
        for name in ROUGE_TYPES:
            interval = bootstrap_interval([s[name].fmeasure for s in scores], seed=seed, resamples=resamples)
            result[name] = interval.mean
            result[f"{name}_ci"] = (interval.low, interval.high)
        return result
