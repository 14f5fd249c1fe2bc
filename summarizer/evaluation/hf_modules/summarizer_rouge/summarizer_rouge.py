"""ROUGE-1/2/L/Lsum as a Hugging Face evaluate module: a drop-in for the hub's ``rouge``.

    import evaluate
    from summarizer.evaluation import module_path
    rouge = evaluate.load(module_path("rouge"))
    rouge.compute(predictions=["..."], references=["..."])          # {"rouge1": …, …}, mean F1
    rouge.compute(predictions=p, references=r, use_aggregator=False)  # one F1 per example
    rouge.compute(predictions=p, references=[["ref a", "ref b"], …])  # several references: the best

Same arguments and outputs as the hub's module (rouge_types, use_aggregator, use_stemmer,
tokenizer); the differences: the default tokenizer keeps non-ASCII letters ("Zürich"), rougeLsum
splits sentences with our splitter (no NLTK data), the aggregate is the plain mean of per-example
F1 (the hub reports a bootstrap's middle value; ``confidence_intervals=True`` adds seeded 95% CIs).
"""
import datasets
import evaluate

from summarizer.evaluation.rouge import ROUGE_TYPES, Rouge, bootstrap_interval

_CITATION = """@inproceedings{lin-2004-rouge,
    title = "{ROUGE}: A Package for Automatic Evaluation of Summaries",
    author = "Lin, Chin-Yew",
    booktitle = "Text Summarization Branches Out",
    year = "2004",
    publisher = "Association for Computational Linguistics",
    pages = "74--81",
}"""


class SummarizerRouge(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="ROUGE-1/2/L/Lsum F1 with a Unicode-aware tokenizer (the hub's rouge drops non-ASCII "
                        "letters); a drop-in for the hub's rouge module (summarizer project).",
            citation=_CITATION,
            inputs_description="predictions: list of summaries; references: list of reference summaries, or of "
                               "lists of references; rouge_types, use_aggregator, use_stemmer, tokenizer as in the "
                               "hub's rouge; confidence_intervals: add seeded 95% bootstrap CIs (<type>_ci).",
            features=[datasets.Features({"predictions": datasets.Value("string"),
                                         "references": datasets.Sequence(datasets.Value("string"))}),
                      datasets.Features({"predictions": datasets.Value("string"),
                                         "references": datasets.Value("string")})],
            reference_urls=["https://github.com/google-research/google-research/tree/master/rouge"],
        )

    def _compute(self, predictions, references, rouge_types=None, use_aggregator=True, use_stemmer=False,
                 tokenizer=None, confidence_intervals=False, seed=0, resamples=1000):
        types = list(rouge_types or ROUGE_TYPES)
        unknown = [t for t in types if t not in ROUGE_TYPES]
        if unknown:
            raise ValueError(f"rouge_types {unknown}: this module computes {', '.join(ROUGE_TYPES)}")
        scorer = Rouge(use_stemmer=use_stemmer, tokenizer=tokenizer)
        per_example = {name: [] for name in types}
        for prediction, reference in zip(predictions, references):
            candidates = [reference] if isinstance(reference, str) else list(reference)
            scores = [scorer.score(prediction, candidate) for candidate in candidates]
            for name in types:  # several references: the best, as rouge_score's score_multi does
                per_example[name].append(max(s[name].fmeasure for s in scores))
        if not use_aggregator:
            return per_example
        result = {}
        for name in types:
            interval = bootstrap_interval(per_example[name], seed=seed, resamples=resamples)
            result[name] = interval.mean
            if confidence_intervals:
                result[f"{name}_ci"] = (interval.low, interval.high)
        return result
