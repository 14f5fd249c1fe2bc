"""One self-contained HTML page per summary: the summary with clickable citations, where the
outlets agree and differ, and the sources side by side.

Everything is inline (CSS, a few lines of JS) and a Content-Security-Policy forbids any fetch,
so the page opens offline and leaks nothing. Every piece of source text goes through
``html.escape``: a source holding ``<script>`` shows as text.
"""
from __future__ import annotations

import re
import zlib
from html import escape
from importlib import resources
from pathlib import Path

from summarizer.render.labels import attribute, attribution_text, label_line, sentence_label
from summarizer.render.paths import write_atomically
from summarizer.types import Cluster, ComparedFact, Comparison, DistinctiveTerm, Origin, SentenceRef, Summary

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'")

# The page's CSS and its few lines of JS (citation highlighting) ship as package data.
_STYLE = resources.files("summarizer.assets").joinpath("page.css").read_text(encoding="utf-8")
_SCRIPT = resources.files("summarizer.assets").joinpath("page.js").read_text(encoding="utf-8")


def page_script() -> str:
    """The page's one inline script, exactly as the page holds it (the service allows it by hash)."""
    return _SCRIPT


def page_head(title: str, extra_style: str = "") -> str:
    """The document start: language, viewport, the no-fetch policy, title and inline CSS."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="referrer" content="no-referrer">
<title>{escape(title)}</title>
<style>{_STYLE}{extra_style}</style>
</head>"""


def sentence_anchor(number: int, index: int) -> str:
    """The element id of sentence ``index`` of source number ``number`` (1-based)."""
    return f"s{number}-{index}"


class _Page:
    """Numbers the sources once and renders the page's pieces with them."""

    def __init__(self, summary: Summary, cluster: Cluster) -> None:
        self.summary = summary
        self.cluster = cluster
        self.numbers = {d.doc_id: i for i, d in enumerate(cluster.documents, start=1)}
        self.names = {d.doc_id: d.name for d in cluster.documents}

    def anchor(self, ref: SentenceRef) -> str:
        return sentence_anchor(self.numbers[ref.doc_id], ref.index)

    def chip(self, doc_id: str, refs: tuple[SentenceRef, ...]) -> str:
        """A numbered link to one outlet, highlighting its sentences among ``refs``."""
        own = [self.anchor(r) for r in refs if r.doc_id == doc_id]
        n = self.numbers[doc_id]
        href = f"#{own[0]}" if own else f"#source-{n}"
        return (f'<a class="chip" href="{href}" data-targets="{" ".join(own)}" '
                f'aria-label="source {n}: {escape(self.names[doc_id])}" title="{escape(self.names[doc_id])}">{n}</a>')

    # -- summary ------------------------------------------------------------------------
    def summary_html(self) -> str:
        if not self.summary.sentences:
            return '<p class="none">No summary: the documents share no usable sentence.</p>'
        parts = []
        texts = {d.doc_id: d.text for d in self.cluster.documents}
        for sentence in self.summary.sentences:
            attribution = attribute(sentence, texts)
            cites = []
            for doc_id in sentence.cited_docs:  # the outlets whose words it uses are marked bold
                own = [self.anchor(c) for c in sentence.citations if c.doc_id == doc_id]
                n = self.numbers[doc_id]
                words = " wording" if doc_id in attribution.wording else ""
                cites.append(f'<a class="cite{words}" href="#{own[0]}" data-targets="{" ".join(own)}" '
                             f'aria-label="source {n}, {escape(self.names[doc_id])}: show the supporting '
                             f'sentence">{n}</a>')
            # The label is visible text, not a tooltip: phone readers never hover.
            kind = "quoted" if sentence.origin is Origin.EXTRACTED else "model"
            said = attribution_text(attribution, lambda d: self.names[d])
            origin = (f' <span class="origin {kind}">{escape(sentence_label(sentence))}</span>'
                      f'<span class="said">{escape(said)}</span>')
            parts.append(f'<p>{escape(sentence.text)}<span class="cites">{"".join(cites)}</span>{origin}</p>')
        return "\n".join(parts)

    def headline_html(self) -> str:
        """The page's <h1>: the outlets' most shared headline, cited, else the cluster's id."""
        headline = self.summary.headline
        if not headline:
            return f"<h1>{escape(self.cluster.cluster_id)}</h1>"
        n = self.numbers[headline.doc_id]
        return (f'<h1 class="headline">{escape(headline.text)}<span class="cites">'
                f'<a class="cite" href="#source-{n}" aria-label="source {n}, '
                f'{escape(self.names[headline.doc_id])}: its headline">{n}</a></span>'
                f' <span class="origin quoted">{escape(headline.basis)}</span></h1>')

    # -- comparison ---------------------------------------------------------------------
    def fact_item(self, fact: ComparedFact, outlet: str | None = None) -> str:
        """A fact; outlet numbers link to (and highlight) where each outlet says it.

        With ``outlet``, only that outlet's number is shown (its own sentence).
        """
        if outlet is None:
            chips = "".join(self.chip(d, fact.sentences) for d in fact.documents)
            outlets = f' <span class="outlets-of">{len(fact.documents)} of {len(self.numbers)}: {chips}</span>'
        else:
            outlets = f' <span class="outlets-of">{self.chip(outlet, fact.sentences)}</span>'
        return f"<li>{escape(fact.text)}{outlets}</li>"

    def fact_list(self, facts: tuple[ComparedFact, ...], empty: str, outlet: str | None = None) -> str:
        if not facts:
            return f'<p class="none">{escape(empty)}</p>'
        return '<ul class="facts">' + "".join(self.fact_item(f, outlet) for f in facts) + "</ul>"

    def term_item(self, term: DistinctiveTerm) -> str:
        loaded = ' <span class="loaded">loaded word</span>' if term.loaded else ""
        times = f" ×{term.count}" if term.count > 1 else ""
        anchor = self.anchor(term.sentence)
        return (f'<li><a class="term" href="#{anchor}" data-targets="{anchor}">{escape(term.term)}</a>{times}{loaded} '
                f'<span class="context">“{escape(term.context)}”</span></li>')

    def comparison_html(self, comparison: Comparison) -> str:
        if comparison.note:
            return f'<p class="none">{escape(comparison.note)}</p>'
        blocks = [
            '<div class="grid">',
            '<div><h3 id="h-all">What all outlets report</h3>'
            + self.fact_list(comparison.reported_by_all, "No fact is reported by every outlet.") + "</div>",
            '<div><h3 id="h-some">Reported by only some</h3>'
            + self.fact_list(comparison.reported_by_some, "No fact is reported by some outlets but not all.")
            + "</div>",
            '<div><h3 id="h-one">Reported by one outlet only</h3>'
            + self.fact_list(comparison.reported_by_one, "No fact is one outlet's alone.") + "</div>",
            "</div>",
            # Outlet cards close the comparison section and open their own: on a wide screen the
            # fact lists sit beside the summary and the cards span the page below them.
            '</section>\n<section id="outlets" aria-labelledby="h-each">',
            '<h2 id="h-each">Outlet by outlet</h2>',
            '<div class="grid">',
        ]
        for outlet in comparison.outlets:
            n = self.numbers[outlet.doc_id]
            lead = ""
            if outlet.leads_with is not None:
                shared = len(outlet.leads_with.documents)
                note = "as every outlet reports" if shared == len(self.numbers) else \
                    f"reported by {shared} of {len(self.numbers)}"
                lead = (f"<h4>Leads with ({note})</h4>"
                        f'<ul class="facts">{self.fact_item(outlet.leads_with, outlet.doc_id)}</ul>')
            terms = ("<ul>" + "".join(self.term_item(t) for t in outlet.distinctive_terms) + "</ul>") \
                if outlet.distinctive_terms else '<p class="none">None found.</p>'
            # outlets telling the story in its order: three outlets may be one report rewritten
            order = "".join(f'<p class="order">Tells {o.facts} of its {o.of} facts in the same order as '
                            f'<a class="chip" href="#source-{self.numbers[o.doc_id]}">{self.numbers[o.doc_id]}</a> '
                            f"{escape(self.names[o.doc_id])}.</p>" for o in outlet.same_order)
            blocks.append(
                f'<section class="card" aria-labelledby="o-{n}"><h4 id="o-{n}" class="outlet-name">'
                f'<a class="chip" href="#source-{n}">{n}</a> {escape(self.names[outlet.doc_id])}</h4>'
                f"{order}{lead}<h4>Wording only this outlet uses</h4>{terms}"
                f"<h4>Leaves out what most others report</h4>"
                + self.fact_list(outlet.omissions, "Nothing that most others report.")
                + "<h4>Only this outlet reports</h4>"
                + self.fact_list(outlet.only_here, "Nothing found.", outlet.doc_id)
                + "</section>")
        blocks.append("</div>")
        return "\n".join(blocks)

    # -- sources ------------------------------------------------------------------------
    def source_html(self, number: int) -> str:
        document = self.cluster.documents[number - 1]
        used = {(m.doc_id, m.index) for g in self.summary.selection.groups for m in g.members}
        used |= {(c.doc_id, c.index) for s in self.summary.sentences for c in s.citations}
        sentences = sorted((s for s in self.summary.selection.segmented.sentences if s.doc_id == document.doc_id),
                           key=lambda s: s.span[0])
        text = document.text
        paragraphs: list[list[str]] = [[]]
        cursor = 0

        def gap(piece: str) -> None:
            chunks = re.split(r"\n\s*", piece)
            for k, chunk in enumerate(chunks):
                if k:
                    paragraphs.append([])
                if chunk.strip():  # in a span, so a phone's collapsed card can hide it
                    paragraphs[-1].append(f'<span class="gap">{escape(chunk)}</span>')
                elif chunk:
                    paragraphs[-1].append(escape(chunk))

        for sentence in sentences:
            start, end = sentence.span
            if start < cursor:
                continue
            gap(text[cursor:start])
            classes = "sent used" if (sentence.doc_id, sentence.index) in used else "sent"
            paragraphs[-1].append(f'<span class="{classes}" id="{sentence_anchor(number, sentence.index)}" '
                                  f'tabindex="-1">{escape(text[start:end]).replace(chr(10), " ")}</span>')
            cursor = end
        gap(text[cursor:])
        # On a phone a card shows only its selected sentences until expanded; a paragraph without
        # one is hidden whole.
        def paragraph(pieces: list[str]) -> str:
            used = any('class="sent used"' in piece for piece in pieces)
            return f'<p class="has-used">{"".join(pieces)}</p>' if used else f'<p>{"".join(pieces)}</p>'

        body = "\n".join(paragraph(p) for p in paragraphs if p)
        # The outlet's name heads the card, then the article's own headline; the file is named
        # once, small, for those who need to find it.
        headline = f'<p class="doc-title">{escape(document.title)}</p>' if document.title else ""
        return (f'<article class="source" id="source-{number}" aria-labelledby="src-{number}">'
                f'<h3 id="src-{number}"><span class="chip">{number}</span> {escape(document.name)}</h3>'
                f'{headline}<p class="doc-id">{escape(document.source or document.doc_id)}</p>'
                f'<button class="expand" type="button" aria-expanded="false">Show the whole article</button>'
                f'{body}</article>')

    def page(self) -> str:
        summary, cluster = self.summary, self.cluster
        count = len(cluster.documents)
        warnings = "".join(f"<li>{escape(w)}</li>" for w in summary.warnings)
        comparison = self.comparison_html(summary.comparison) if summary.comparison is not None else \
            '<p class="none">The comparison is turned off (compare.enabled: false).</p>'
        title = summary.headline.text if summary.headline else f"{cluster.cluster_id}: neutral summary"
        return f"""{page_head(title)}
<body>
<a class="skip" href="#summary">Skip to the summary</a>
<header>
<p class="kicker">Neutral summary of {count} source{"s" if count != 1 else ""} · {escape(cluster.cluster_id)}</p>
{self.headline_html()}
<p class="meta">{summary.word_count} words · {escape(label_line(summary))} (model: {escape(summary.model)}) ·
each number links to the source sentences a sentence rests on</p>
</header>
<main>
<section id="summary" aria-labelledby="h-summary">
<h2 id="h-summary">Summary</h2>
<div class="summary">{self.summary_html()}</div>
{f'<ul class="warnings" aria-label="warnings">{warnings}</ul>' if warnings else ""}
</section>
<section id="comparison" aria-labelledby="h-comparison">
<h2 id="h-comparison">Where the outlets agree and where they differ</h2>
{comparison}
</section>
<section id="sources" aria-labelledby="h-sources">
<h2 id="h-sources">Sources</h2>
<p class="legend"><span class="used">Shaded sentences</span> were selected for the summary;
<span class="hl">highlighted</span> ones are those the last clicked citation or outlet number points to.</p>
<div class="sources">
{"".join(self.source_html(n) for n in range(1, count + 1))}
</div>
</section>
</main>
<footer><p>Made by summarizer. Every summary sentence cites the source sentences it rests on and was checked
against them; facts are grouped across outlets by meaning, so a list may miss a fact an outlet words very
differently.</p></footer>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def render_html(summary: Summary, cluster: Cluster) -> str:
    """The whole page for one summary, as a string."""
    return _Page(summary, cluster).page()


def summary_page(summary: Summary) -> str:
    """``Summary.to_html``: the page of a summary, with the cluster its selection was made from."""
    return render_html(summary, summary.selection.cluster)


def page_name(cluster_id: str) -> str:
    """A safe, unique file name for a cluster's page (ids may hold any characters), the same in every
    run (a batch's index is rebuilt from its ids). An id that is not already a safe lower-case name
    gets its hash: "Story" and "story" must not share a file where names ignore case (macOS,
    Windows), and index.html is the index page's."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", cluster_id).strip("._")[:80] or "cluster"
    if safe != cluster_id or safe != safe.lower() or safe == "index":
        safe += f"-{zlib.crc32(cluster_id.encode('utf-8')):08x}"
    return f"{safe}.html"


def write_page(directory: Path, name: str, html: str) -> Path:
    """Write a page atomically (temporary file, then rename), so a crash leaves no half page."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    write_atomically(target, html)
    return target
