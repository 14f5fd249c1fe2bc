"""Output formats: plain text, Markdown and JSON, all from the same Summary records."""
from __future__ import annotations

import html
import json
import re
from typing import Any

from summarizer.config_schema import RunConfig
from summarizer.fuse.novelty import bigram_sets, is_fused
from summarizer.align.records import Alignment
from summarizer.render.labels import Attribution, attribute, attribution_text, label_line, sentence_label, wording_shares
from summarizer.text import printable
from summarizer.types import Cluster, ComparedFact, Comparison, Origin, SentenceRef, Summary

#: 2: every record's key is "id" (was "cluster_id" in summaries, while batch lines and errors had "id")
SCHEMA_VERSION = 2

def _citation_marks(attribution: Attribution, doc_numbers: dict[str, int]) -> str:
    """"[3; also 1,2]": the outlet whose words the sentence uses, then the others that report it."""
    marks = ",".join(str(doc_numbers[d]) for d in attribution.wording)
    if attribution.also:
        marks += "; also " + ",".join(str(doc_numbers[d]) for d in attribution.also)
    return f"[{marks}]"


def _texts(cluster: Cluster) -> dict[str, str]:
    return {d.doc_id: d.text for d in cluster.documents}


def _shares_line(summary: Summary, cluster: Cluster, attributions: list[Attribution]) -> str:
    """"Words from: BBC 45%, 000 30%, …": each outlet's share of the summary's words."""
    names = {d.doc_id: d.name for d in cluster.documents}
    shares = wording_shares(summary, attributions)
    return "Words from: " + ", ".join(f"{names[d]} {round(100 * v)}%" for d, v in shares.items())


def _doc_numbers(cluster: Cluster) -> dict[str, int]:
    return {d.doc_id: i for i, d in enumerate(cluster.documents, start=1)}


def render_text(summary: Summary, cluster: Cluster) -> str:
    """The summary as one paragraph with citation marks; model text is marked "*" (see its last line)."""
    numbers = _doc_numbers(cluster)
    texts = _texts(cluster)
    attributions = [attribute(s, texts) for s in summary.sentences]
    body = " ".join(f"{s.text} {_citation_marks(a, numbers)}{'*' if s.origin is not Origin.EXTRACTED else ''}"
                    for s, a in zip(summary.sentences, attributions))
    body += (f"\n\n{label_line(summary)} (model text marked *; [n; also m]: the outlet whose words a sentence "
             f"uses, then the others that report it)")
    if summary.sentences:
        body += f"\n{_shares_line(summary, cluster, attributions)}"
    if summary.headline:
        body = f"{summary.headline.text} [{numbers[summary.headline.doc_id]}]\n({summary.headline.basis})\n\n{body}"
    sources = "\n".join(f"  [{n}] {d.name}" + (f" — {d.title}" if d.title else "")
                        for d, n in zip(cluster.documents, numbers.values()))
    return f"{body}\n\nSources:\n{sources}\n"


# Characters that mean something inside a line of Markdown (CommonMark: emphasis, code, links,
# tables, strike-through); "<" and "&" are HTML-escaped. Text from the sources is escaped before it
# goes into a Markdown page, so a title holding "<img onerror=…>" or "[link](…)" stays text. Our
# own lines start every line, so line-start markers ("#", "-", "1.") in source text mean nothing.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def markdown_text(text: str) -> str:
    """``text`` (from a source, an id, a model) as literal Markdown text: HTML and Markdown escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(printable(text), quote=False))


def render_markdown(summary: Summary, cluster: Cluster) -> str:
    numbers = _doc_numbers(cluster)
    lines = [f"## Summary: {markdown_text(cluster.cluster_id)}", "", f"*{label_line(summary)}*", ""]
    if summary.headline:
        n = numbers[summary.headline.doc_id]
        lines += [f"**{markdown_text(summary.headline.text)}** [{n}](#source-{n}) "
                  f"*({markdown_text(summary.headline.basis)})*", ""]
    texts, names = _texts(cluster), {d.doc_id: d.name for d in cluster.documents}
    attributions = [attribute(s, texts) for s in summary.sentences]
    for sentence, attribution in zip(summary.sentences, attributions):
        marks = ", ".join(f"[{numbers[d]}](#source-{numbers[d]})" for d in attribution.wording + attribution.also)
        said = attribution_text(attribution, lambda d: names[d])
        lines.append(f"- {markdown_text(sentence.text)} {marks} *({markdown_text(sentence_label(sentence))})* · "
                     f"*{markdown_text(said)}*")
    if summary.sentences:
        lines += ["", f"*{markdown_text(_shares_line(summary, cluster, attributions))}*"]
    lines += ["", "### Sources", ""]
    for doc in cluster.documents:
        n = numbers[doc.doc_id]
        title = f" — {markdown_text(doc.title)}" if doc.title else ""
        lines.append(f'<a id="source-{n}"></a>{n}. {markdown_text(doc.name)}{title}')
    if summary.comparison is not None:
        lines += [""] + _markdown_comparison(summary.comparison, cluster)
    lines += ["", f"*{summary.word_count} words · model: {markdown_text(summary.model)}*", ""]
    for warning in summary.warnings:
        lines.append(f"> warning: {markdown_text(warning)}")
    return "\n".join(lines) + "\n"


def _markdown_fact(fact: ComparedFact, numbers: dict[str, int]) -> str:
    outlets = ", ".join(f"[{numbers[d]}](#source-{numbers[d]})" for d in fact.documents)
    return f"- {markdown_text(fact.text)} — {outlets}"


def _markdown_comparison(comparison: Comparison, cluster: Cluster) -> list[str]:
    numbers = _doc_numbers(cluster)
    names = {d.doc_id: d.name for d in cluster.documents}
    lines = ["### Where the outlets agree and differ", ""]
    if comparison.note:
        return lines + [f"*{comparison.note}*", ""]
    for heading, facts in (("What all outlets report", comparison.reported_by_all),
                           ("Reported by only some", comparison.reported_by_some),
                           ("Reported by one outlet only", comparison.reported_by_one)):
        lines += [f"**{heading}**", ""]
        lines += [_markdown_fact(f, numbers) for f in facts] or ["- (none)"]
        lines.append("")
    for outlet in comparison.outlets:
        n = numbers[outlet.doc_id]
        lines += [f"**[{n}] {markdown_text(names[outlet.doc_id])}**", ""]
        if outlet.distinctive_terms:
            terms = "; ".join(f"“{markdown_text(t.term)}”" + (" (loaded)" if t.loaded else "")
                              for t in outlet.distinctive_terms)
            lines.append(f"- Wording only this outlet uses: {terms}")
        for fact in outlet.omissions:
            lines.append(f"- Leaves out: {markdown_text(fact.text)}")
        for fact in outlet.only_here:
            lines.append(f"- Only here: {markdown_text(fact.text)}")
        for order in outlet.same_order:
            lines.append(f"- Tells {order.facts} of its {order.of} facts in the same order as "
                         f"[{numbers[order.doc_id]}] {markdown_text(names[order.doc_id])}")
        lines.append("")
    return lines


def sentence_ref_record(ref: SentenceRef, texts: dict[str, str]) -> dict[str, Any]:
    """A citation as JSON: document, sentence index, character span and the sentence itself."""
    text = texts[ref.doc_id]
    return {"doc_id": ref.doc_id, "sentence_index": ref.index, "span": list(ref.span),
            "text": text[ref.span[0]:ref.span[1]]}


def facts_record(alignment: Alignment, texts: dict[str, str]) -> list[dict[str, Any]]:
    """The JSON ``facts`` section: every fact of the alignment that two outlets or more state, with
    its members (one per outlet, two where an outlet states it twice), its confidence and, per
    outlet, the probability that the outlet states it (``Fact.stated_by``)."""
    return [{"documents": list(dict.fromkeys(fact.documents)), "confidence": fact.confidence,
             "members": [sentence_ref_record(SentenceRef(m.doc_id, m.sentence, m.span), texts) for m in fact.members],
             "also": [sentence_ref_record(SentenceRef(m.doc_id, m.sentence, m.span), texts) for m in fact.also],
             "stated_by": dict(zip(alignment.document_ids, fact.stated_by))}
            for fact in alignment.facts if len(set(fact.documents)) > 1]


def comparison_record(comparison: Comparison, cluster: Cluster) -> dict[str, Any]:
    """The JSON ``comparison`` section (documented in README.md, "Output format")."""
    texts = {d.doc_id: d.text for d in cluster.documents}

    def fact(f: ComparedFact | None) -> dict[str, Any] | None:
        if f is None:
            return None
        return {"text": f.text, "documents": list(f.documents),
                "sentences": [sentence_ref_record(r, texts) for r in f.sentences],
                "salience": f.salience, "in_summary": f.in_summary}

    return {
        "documents": list(comparison.documents),
        "reported_by_all": [fact(f) for f in comparison.reported_by_all],
        "reported_by_some": [fact(f) for f in comparison.reported_by_some],
        "reported_by_one": [fact(f) for f in comparison.reported_by_one],
        "outlets": [{
            "doc_id": o.doc_id, "title": o.title, "leads_with": fact(o.leads_with),
            "distinctive_terms": [{"term": t.term, "count": t.count, "loaded": t.loaded, "context": t.context,
                                   "sentence": sentence_ref_record(t.sentence, texts)}
                                  for t in o.distinctive_terms],
            "omissions": [fact(f) for f in o.omissions],
            "only_here": [fact(f) for f in o.only_here],
            "same_order": [{"doc_id": s.doc_id, "facts": s.facts, "of": s.of} for s in o.same_order],
        } for o in comparison.outlets],
        "note": comparison.note,
    }


def edit_notes(removed: tuple[str, ...]) -> list[str]:
    """The JSON record's notes of what the neutral stage removed ("removed 'lavish'")."""
    return [f"removed {word!r}" for word in removed]


def summary_record(summary: Summary, cluster: Cluster, config: RunConfig | None) -> dict[str, Any]:
    """The JSON form of a summary (schema documented in README.md, "Output format"); without a
    ``config`` (the Python API) the record has no "config" and keeps the timings."""
    texts = {d.doc_id: d.text for d in cluster.documents}
    sources = bigram_sets([s.text for s in summary.selection.segmented.sentences])
    attributions = [attribute(s, texts) for s in summary.sentences]

    def ref(c) -> dict[str, Any]:
        return sentence_ref_record(c, texts)

    return {
        "id": summary.cluster_id,
        "schema_version": SCHEMA_VERSION,
        "summary": summary.text,
        "word_count": summary.word_count,
        # One outlet's headline, chosen because the others' agree with it most (not in "summary").
        "headline": {"text": summary.headline.text, "document": summary.headline.doc_id,
                     "basis": summary.headline.basis, "edits": edit_notes(summary.headline.edits)}
        if summary.headline else None,
        "sentences": [{
            "text": s.text,
            "origin": s.origin.value,
            "label": sentence_label(s),
            # No copy of one source sentence, and resting on two or more documents.
            "fused": is_fused(s.text, sources, s.cited_docs),
            "citations": [ref(c) for c in s.citations],
            "cited_documents": list(s.cited_docs),
            # Whose words it uses (the main one first) and the other outlets that report its fact.
            "wording": list(attributions[k].wording),
            "also_reported_by": list(attributions[k].also),
            "support": {"supported": s.check.supported, "similarity": s.check.similarity,
                        "unsupported_terms": list(s.check.unsupported_terms), "reason": s.check.reason},
            "edits": edit_notes(s.edits),
            "full_names": list(s.full_names),
            "rejected_model_text": s.rejected_text,
        } for k, s in enumerate(summary.sentences)],
        "wording_share": wording_shares(summary, attributions),
        "facts": facts_record(summary.selection.alignment, texts) if summary.selection.alignment else [],
        "selection": [{
            "rank": rank,
            "representative": ref(g.representative),
            "members": [ref(m) for m in g.members],
            "support_count": g.support_count,
            "support_documents": list(g.support_docs),
            "salience": g.salience,
        } for rank, g in enumerate(summary.selection.groups, start=1)],
        "budget": {"tokens": summary.selection.budget_tokens, "used_tokens": summary.selection.used_tokens},
        "documents": [{"doc_id": d.doc_id, "outlet": d.name, "title": d.title, "date": d.date or None, "source": d.source,
                       "characters": len(d.text), "removed_lines": list(d.removed_lines)}
                      for d in cluster.documents],
        "reference": cluster.references[0] if cluster.references else None,  # the first; all below
        "references": list(cluster.references),
        "model": {"backend": summary.backend, "name": summary.model},
        "config": config.to_dict() if config is not None else None,
        "timings_seconds": summary.timings if config is None or config.output.include_timings else None,
        "warnings": list(summary.warnings),
        "comparison": comparison_record(summary.comparison, cluster) if summary.comparison else None,
    }


def error_record(cluster_id: str, message: str) -> dict[str, Any]:
    """The JSON record of a cluster that could not be read or summarised (``run`` and ``batch``)."""
    return {"id": cluster_id, "error": message}


def summary_json(summary: Summary) -> str:
    """``Summary.to_json``: the JSON record of a summary, indented, without the run's config."""
    record = summary_record(summary, summary.selection.cluster, None)
    record.pop("config")
    return json.dumps(record, ensure_ascii=False, indent=2)


def render_json(summary: Summary, cluster: Cluster, config: RunConfig) -> str:
    return json.dumps(summary_record(summary, cluster, config), ensure_ascii=False, indent=2)


def render(summary: Summary, cluster: Cluster, config: RunConfig, fmt: str) -> str:
    if fmt == "json":
        return render_json(summary, cluster, config) + "\n"
    if fmt == "markdown":
        return render_markdown(summary, cluster)
    if fmt == "html":
        from summarizer.render.html import render_html

        return render_html(summary, cluster)
    return render_text(summary, cluster)
