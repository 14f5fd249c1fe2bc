"""Factual consistency of summaries against their source documents (offline, no NLI weights).

    consistency = evaluate.load(module_path("consistency"))
    consistency.compute(predictions=["summary ..."], sources=[["doc 1 ...", "doc 2 ..."]])
"""
import datasets
import evaluate
import numpy as np

from summarizer.types import Cluster, Document


class SummarizerConsistency(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="Per-sentence support of a summary by its sources: MiniLM similarity plus agreement of "
                        "names, numbers, dates, negations, quotes and roles (summarizer project).",
            citation="""@software{summarizer_consistency,
    title = "summarizer: offline factual consistency of summaries against their sources",
    note = "The pipeline's faithfulness guard as a metric; FRANK results in eval/README.md",
}""",
            inputs_description="predictions: list of summaries; sources: list of lists of source documents.",
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "sources": datasets.Sequence(datasets.Value("string"))}),
        )

    def _compute(self, predictions, sources):
        from summarizer.config import EmbeddingConfig
        from summarizer.embed.encoder import get_encoder
        from summarizer.evaluation.consistency import OfflineConsistency

        scorer = OfflineConsistency(get_encoder(EmbeddingConfig()))
        results = []
        for number, (summary, documents) in enumerate(zip(predictions, sources)):
            cluster = Cluster(str(number), tuple(Document(f"d{i}", text) for i, text in enumerate(documents)))
            results.append(scorer.score(summary, cluster))
        return {"consistency_score": float(np.nanmean([r.summary_score for r in results])),
                "consistency_mean": float(np.nanmean([r.mean for r in results])),
                "consistency_min": float(np.nanmean([r.minimum for r in results])),
                "supported_share": float(np.nanmean([r.supported_share for r in results])),
                "per_example": [r.summary_score for r in results]}
