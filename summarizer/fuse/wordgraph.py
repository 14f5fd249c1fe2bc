"""Multi-sentence compression on a word graph (Filippova 2010): candidate fusions of one fact.

The sentences several outlets wrote about one fact become one directed graph: each word is a
node, a word two sentences share is one node, and each sentence is a path from START to END.
Paths through the graph that no single outlet wrote are candidate fusions: they switch from one
outlet's wording to another's where the two share words, so every word and every adjacent pair
of words comes from a source. Edge weights follow Filippova (2010): an edge many sentences share,
between words that stand close in them, is cheap, so the cheapest paths are the consensus
wording. Paths are found cheapest first by a best-first search bounded by exact costs to the end
(``_cheapest_paths``); what is fluent, grammatical and faithful among them is decided by the
caller (``fuse/choose.py``).
"""
from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import networkx as nx

from summarizer.text import STOPWORDS, words_and_marks

_NO_SPACE_BEFORE = frozenset(",.;:!?)%")
_SENTENCE_END = frozenset('.!?"')
START, END = "<start>", "<end>"


def tokenize(sentence: str) -> list[str]:
    """Words and punctuation marks, as the graph's nodes carry them."""
    return words_and_marks(sentence)


def detokenize(tokens: Sequence[str]) -> str:
    """Tokens back to text: no space before closing punctuation, quotes hugging what they quote."""
    text = ""
    quote_open = False
    for token in tokens:
        if token == '"':
            text += '"' if quote_open else (" " if text else "") + '"'
            quote_open = not quote_open
        elif (not text or token in _NO_SPACE_BEFORE or text.endswith(("(", "$")) or (quote_open and text.endswith('"'))
              or (token in ("'", "’") and text.endswith("s"))):  # "$1.9", the possessive "Evers' mandate"
            text += token
        else:
            text += " " + token
    return text


def _starts_word(token: str) -> bool:
    """Whether ``token`` starts with a word character (a letter, digit or underscore: what the
    regex class means, str.isalnum being its definition of letters and digits), without a regex:
    it is asked of every token of every path enumerated."""
    return token[:1].isalnum() or token[:1] == "_"


def _kind(token: str) -> str:
    if not _starts_word(token):
        return "punctuation"
    return "stopword" if token.lower() in STOPWORDS else "content"


@dataclass
class _Node:
    word: str  # as first seen
    positions: dict[int, int]  # sentence index → token position in it
    inner_form: str = ""  # as written inside a sentence ("the", where "The" opened another)

    def form(self, first: bool) -> str:
        """The word as it stands first in a sentence (capitalised) or inside one."""
        if first:
            return self.word[:1].upper() + self.word[1:]
        return self.inner_form or self.word


class WordGraph:
    """The word graph of a few sentences about one fact."""

    def __init__(self, sentences: Sequence[str]) -> None:
        self.sentences = [tokenize(s) for s in sentences]
        self.graph = nx.DiGraph()
        self.nodes: dict[str, _Node] = {}
        self._by_word: dict[str, list[str]] = {}
        self.paths: list[list[str]] = []
        for index, tokens in enumerate(self.sentences):
            self._add_sentence(index, tokens)
        self._weigh()

    def _mapped_node(self, index: int, tokens: list[str], position: int, previous: str) -> str | None:
        """An existing node this token may share, or None.

        A content word joins a node of the same word that this sentence does not use yet; a
        stopword only where it also shares a neighbour (Filippova's rule: "the" is not one node
        for the whole graph); punctuation only where it shares both neighbours, since a comma
        joined on one side lets a path drop a clause's other comma ("An adviser, warned").
        """
        token = tokens[position]
        options = [n for n in self._by_word.get(token.lower(), ()) if index not in self.nodes[n].positions]
        if not options:
            return None
        following = tokens[position + 1].lower() if position + 1 < len(tokens) else None

        def shared_context(node: str) -> tuple[bool, bool]:
            before = self.graph.has_edge(previous, node)
            after = following is not None and any(
                self.nodes[m].word.lower() == following for m in self.graph.successors(node) if m in self.nodes)
            return before, after

        kind = _kind(token)
        best = max(options, key=lambda n: (sum(shared_context(n)), -options.index(n)))
        before, after = shared_context(best)
        if kind == "content" or (kind == "stopword" and (before or after)) or (before and after):
            return best
        return None

    def _add_sentence(self, index: int, tokens: list[str]) -> None:
        previous = START
        path = []
        for position, token in enumerate(tokens):
            node = self._mapped_node(index, tokens, position, previous)
            if node is None:
                node = f"{token.lower()}#{len(self.nodes)}"
                self.nodes[node] = _Node(token, {})
                self._by_word.setdefault(token.lower(), []).append(node)
            self.nodes[node].positions[index] = position
            if position > 0 and not self.nodes[node].inner_form:
                self.nodes[node].inner_form = token
            self._link(previous, node)
            previous = node
            path.append(node)
        self._link(previous, END)
        self.paths.append(path)

    def _link(self, a: str, b: str) -> None:
        if self.graph.has_edge(a, b):
            self.graph[a][b]["count"] += 1
        else:
            self.graph.add_edge(a, b, count=1)

    def _frequency(self, node: str) -> int:
        return len(self.nodes[node].positions) if node in self.nodes else len(self.sentences)

    def _position(self, node: str, index: int) -> int | None:
        if node == START:
            return -1
        if node == END:
            return len(self.paths[index])
        return self.nodes[node].positions.get(index)

    def _weigh(self) -> None:
        """Filippova's weight: w(a, b) = (f(a) + f(b)) / Σ_s 1 / diff(s, a, b), divided by f(a)·f(b)."""
        for a, b, data in self.graph.edges(data=True):
            closeness = 0.0
            for index in range(len(self.sentences)):
                pa, pb = self._position(a, index), self._position(b, index)
                if pa is not None and pb is not None and pb > pa:
                    closeness += 1.0 / (pb - pa)
            weight = (self._frequency(a) + self._frequency(b)) / max(closeness, 1e-9)
            data["weight"] = weight / (self._frequency(a) * self._frequency(b))

    def candidates(self, limit: int, max_paths: int, min_words: int, max_words: int) -> list[str]:
        """Up to ``limit`` distinct sentences along the cheapest of ``max_paths`` paths, none a copy
        of an input.

        A candidate ends as a sentence ends, has ``min_words``..``max_words`` words, uses no content
        word twice, and closes every quotation and parenthesis it opens. The paths counted are the
        cheapest simple paths that use no content word twice and fit ``max_words``. Two paths
        through different nodes of one word spell the same sentence: it is kept once.
        """
        originals = {" ".join(t.lower() for t in tokens) for tokens in self.sentences}
        found: dict[str, None] = {}  # texts in the order found
        for count, path in enumerate(self._cheapest_paths(max_words)):
            if count >= max_paths or len(found) >= limit:
                break
            tokens = [self.nodes[n].form(first=i == 0) for i, n in enumerate(path)]
            if _acceptable(tokens, originals, min_words, max_words):
                found.setdefault(detokenize(tokens))
        return list(found)

    def _cheapest_paths(self, max_words: int) -> Iterator[tuple[str, ...]]:
        """START-to-END paths, cheapest first, as their inner nodes.

        Best-first search over path prefixes, ranked by cost so far plus the exact cheapest cost
        from the prefix's last node to END (a consistent bound, so complete paths come out in cost
        order). A prefix that repeats a node or a content word, or that cannot end within
        ``max_words`` words, is dropped with all its extensions: cutting them where they start,
        instead of enumerating every simple path (Yen's algorithm) and filtering, keeps the search
        near-linear in the paths it yields on the long sentences of full articles.
        """
        reverse = self.graph.reverse(copy=False)
        cost_to_end = nx.single_source_dijkstra_path_length(reverse, END, weight="weight")
        is_word = {n: _starts_word(node.word) for n, node in self.nodes.items()}
        # fewest words between a node and END (the node itself not counted)
        words_to_end = nx.single_source_dijkstra_path_length(
            reverse, END, weight=lambda u, v, d: 1 if is_word.get(u) else 0)
        if START not in cost_to_end:
            return
        heap: list[tuple[float, int, float, str, tuple[str, ...], frozenset[str], int]] = [
            (cost_to_end[START], 0, 0.0, START, (), frozenset(), 0)]
        pushed = 1
        while heap:
            _, _, cost, node, path, content, word_total = heapq.heappop(heap)
            if node == END:
                yield path
                continue
            for following, data in self.graph[node].items():
                if following not in cost_to_end:
                    continue
                cost_after = cost + data["weight"]
                if following == END:
                    heapq.heappush(heap, (cost_after, pushed, cost_after, END, path, content, word_total))
                    pushed += 1
                    continue
                if following in path:
                    continue
                word = self.nodes[following].word.lower()
                words_after = word_total + is_word[following]
                if words_after + words_to_end[following] > max_words:
                    continue
                if _kind(word) == "content":
                    if word in content:
                        continue
                    content_after = content | {word}
                else:
                    content_after = content
                heapq.heappush(heap, (cost_after + cost_to_end[following], pushed, cost_after, following,
                                      path + (following,), content_after, words_after))
                pushed += 1


def _acceptable(tokens: list[str], originals: set[str], min_words: int, max_words: int) -> bool:
    word_tokens = [t.lower() for t in tokens if _starts_word(t)]
    if not min_words <= len(word_tokens) <= max_words or not tokens or tokens[-1] not in _SENTENCE_END:
        return False
    if " ".join(t.lower() for t in tokens) in originals:
        return False
    content = [t for t in word_tokens if t not in STOPWORDS]
    if len(content) != len(set(content)):
        return False
    return tokens.count('"') % 2 == 0 and tokens.count("(") == tokens.count(")")
