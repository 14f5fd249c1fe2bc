"""The index page of a folder of summary pages: one row per cluster, linking its page."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from summarizer.render.html import page_head


def opening(text: str, words: int = 40) -> str:
    """The first ``words`` words of a summary, for an index row."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


@dataclass(frozen=True)
class IndexEntry:
    """One row of an index page."""

    cluster_id: str
    page: str | None  # the page's file name; None for a cluster that failed
    text: str  # the summary's first words, or the error
    documents: int


def render_index(entries: list[IndexEntry], title: str = "Summaries") -> str:
    """An index page linking each cluster's page, with its first words and number of sources."""
    rows = []
    for entry in entries:
        name = (f'<a href="{escape(entry.page)}">{escape(entry.cluster_id)}</a>' if entry.page
                else escape(entry.cluster_id))
        rows.append(f"<tr><th scope=\"row\">{name}</th><td>{entry.documents}</td><td>{escape(entry.text)}</td></tr>")
    table_style = ("table { border-collapse:collapse; width:100%; } th, td { text-align:left; vertical-align:top; "
                   "padding:.4rem .5rem; border-bottom:1px solid var(--line); } td:nth-child(2) { text-align:right; }")
    return f"""{page_head(title, table_style)}
<body>
<header><p class="kicker">{len(entries)} clusters</p><h1>{escape(title)}</h1></header>
<main>
<table>
<thead><tr><th scope="col">cluster</th><th scope="col">sources</th><th scope="col">summary</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
</main>
</body>
</html>
"""
