"""Sentence segmentation for news text, keeping each sentence's character span."""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from summarizer.config_schema import SegmentConfig
from summarizer.types import Cluster, Document, SegmentedCluster, Sentence

_HAS_WORD = re.compile(r"\w")


# pysbd's rule for numbered references ("… in 2019.[12] The") nests quantifiers, so a crafted
# run of brackets ("figures ..[111 111][111 111]…", 109 characters) takes it over a minute. This
# form matches the same references (digit groups separated by a comma, a dash or a space) with
# one way to match each, so it runs in linear time.
# The empty group keeps pysbd's group numbers (its replacement reads groups 2 and 7).
_NUMBERED_REFERENCE = (r"(?<=[^\d\s])(\.|∯)((\[()\d{1,3}(?:(?:,\s?|\s?-\s?|\s)\d{1,3})*\])+|((\d{1,3}\s?)?\d{1,3}))"
                       r"(\s)(?=[A-Z])")
# pysbd rescans the whole text for every abbreviation it finds, so its time grows with the square
# of a paragraph's length (40,000 characters: 6 s; 200,000: 128 s). Longer paragraphs are split
# into pieces of at most this many characters, at sentence ends, before pysbd sees them; news
# paragraphs are far shorter (at most 770 characters in NeuS and the seeds), so they are unaffected.
MAX_PIECE_CHARS = 3000
#: characters before a period that can hold an abbreviation ("Sept.", "Corp.", "U.S.")
_ABBREVIATION_REACH = 16
_PIECE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATION_BEFORE = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Prof|Inc|Co|"
                                  r"Corp|Ltd|No|vs|etc|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)|(?:[A-Z]\.)+[A-Z])\.$")


def _spans_without_regex(self, sentences: list[str]) -> list:
    r"""pysbd's ``Segmenter.sentences_with_char_spans`` with ``str.find`` for its regex.

    pysbd locates each sentence by compiling ``re.escape(sentence) + r"\s*"`` and scanning the
    paragraph with it: a new pattern per sentence, never in re's cache (on 200 articles, 3 s of
    pattern compiling). Same semantics: the first non-overlapping occurrence, left to right,
    whose end (trailing whitespace included; ``\s`` is ``str.isspace``) passes the previous
    sentence's end; a sentence not found verbatim is dropped, as pysbd drops it.
    """
    from pysbd import Segmenter
    from pysbd.utils import TextSpan

    if not all(sentences):  # an empty pattern matches everywhere: left to pysbd's own loop
        return Segmenter.sentences_with_char_spans(self, sentences)
    text = self.original_text
    spans, prior_end = [], 0
    # Where each sentence's run of matches was left: the matches before it ended at or before a
    # previous sentence's end, and ends only grow, so a repeated sentence resumes there ("Yes. "
    # 40,000 times took 6 s, each repeat rescanning the paragraph from its start, as pysbd does).
    resume: dict[str, int] = {}
    for sentence in sentences:
        position = resume.get(sentence, 0)
        while (start := text.find(sentence, position)) >= 0:
            end = start + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            position = end
            if end > prior_end:
                spans.append(TextSpan(text[start:end], start, end))
                prior_end = end
                break
        resume[sentence] = position
    return spans


_PER_THREAD = threading.local()


def _segmenter(language: str):
    """This thread's segmenter for ``language``: pysbd keeps per-call state on the instance, so one
    shared by threads gave one ``Summarizer`` called from 8 threads different sentences (redteam W1)."""
    cached = getattr(_PER_THREAD, "segmenters", None)
    if cached is None:
        cached = _PER_THREAD.segmenters = {}
    if language not in cached:
        cached[language] = _new_segmenter(language)
    return cached[language]


def _new_segmenter(language: str):
    import pysbd

    # clean=False keeps the text byte-identical, so spans can be located exactly.
    fast = type("FindSpansSegmenter", (pysbd.Segmenter,), {"sentences_with_char_spans": _spans_without_regex})
    segmenter = fast(language=language, clean=False)
    safe = type(f"Linear{segmenter.language_module.__name__}", (segmenter.language_module,),
                {"NUMBERED_REFERENCE_REGEX": _NUMBERED_REFERENCE})
    segmenter.language_module = safe
    return segmenter


def _pieces(paragraph: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, str]]:
    """``paragraph`` as (offset, piece) pieces of at most ``limit`` characters, cut after a sentence
    end that is no abbreviation ("Mr.", "U.S."), else at a space, else anywhere."""
    pieces = []
    start = 0
    while len(paragraph) - start > limit:
        window = paragraph[start:start + limit]
        cut = 0
        for match in _PIECE_END.finditer(window, limit // 2):
            # An abbreviation ends at the period: only its last few characters are searched (a
            # longer run of initials ends in one that matches alone), not the window up to it
            # again for every candidate cut (200,000 characters in one line: 3.6 s of searching).
            period = match.start() + 1
            if not _ABBREVIATION_BEFORE.search(window, max(0, period - _ABBREVIATION_REACH), period):
                cut = match.end()
        if not cut:
            cut = window.rfind(" ", limit // 2) + 1 or limit
        pieces.append((start, paragraph[start:start + cut]))
        start += cut
    pieces.append((start, paragraph[start:]))
    return pieces


_TOKEN = re.compile(r"\S+")


def _ends_sentence(token: str, following: str) -> bool:
    """``token`` ends a sentence and ``following`` starts the next ("works." "If"; not "Mr." "Kim"):
    the sentence end ``_pieces`` cuts at."""
    period = len(token.rstrip("\"')]")) - 1
    return (period >= 0 and _PIECE_END.match(f"{token} {following}", period) is not None
            and not _ABBREVIATION_BEFORE.search(token, 0, period + 1))


_CLAUSE_END = re.compile(r"[,;:)\]]$|^[-–—]$")


def _split_long(sentence: str, start: int, max_words: int) -> list[tuple[str, tuple[int, int]]]:
    """Cut an over-long "sentence" (a list, a transcript, text without punctuation) into pieces
    of at most ``max_words`` words, at a sentence end or else a clause boundary where one is near
    the limit."""
    tokens = list(_TOKEN.finditer(sentence))
    if len(tokens) <= max_words:
        return [(sentence, (start, start + len(sentence)))]
    pieces = []
    first = 0
    while first < len(tokens):
        last = min(first + max_words, len(tokens)) - 1
        if last < len(tokens) - 1:
            # Prefer the latest sentence end in the last two thirds of the piece (pysbd joins the
            # sentences of a quotation that runs over several: "'That's how football works. …"),
            # then the latest clause boundary.
            window = range(last, first + max_words // 3, -1)
            ends = (k for k in window if _ends_sentence(tokens[k].group(0), tokens[k + 1].group(0)))
            clauses = (k for k in window if _CLAUSE_END.search(tokens[k].group(0)))
            found = next(ends, None)
            last = found if found is not None else next(clauses, last)
        begin, end = tokens[first].start(), tokens[last].end()
        pieces.append((sentence[begin:end], (start + begin, start + end)))
        first = last + 1
    return pieces


# No sentence begins with these: a piece that does continues the one before, cut after a "?" or
# "!" inside a title or a quotation ("What's the Matter with Kansas?, and …").
_CONTINUES = frozenset(",;:)]}")
_CLOSING_MARKS = frozenset("'\"")
_MARKED = frozenset(".!?,'\"")


def split_sentences(text: str, language: str = "en", max_words: int = 120) -> list[tuple[str, tuple[int, int]]]:
    """Split ``text`` into (sentence, (start, end)) pairs with ``text[start:end] == sentence``.

    Newlines are hard boundaries: news paragraphs never continue a sentence across them,
    and pysbd handles abbreviations ("Mr Kim", "U.S."), quotes and dashes within a line.
    A "sentence" longer than ``max_words`` words is cut into pieces (see ``_split_long``).
    """
    segmenter = _segmenter(language)
    pieces: list[tuple[str, tuple[int, int]]] = []
    offset = 0
    for line in text.split("\n"):
        for shift, paragraph in _pieces(line) if line.strip() else []:
            cursor = 0
            spans: list[list[int]] = []
            for raw in segmenter.segment(paragraph) if paragraph.strip() else []:
                sentence = raw.strip()
                if not sentence:
                    continue
                start = paragraph.find(sentence, cursor)
                if start < 0:  # pysbd altered the text after all; fall back to the cursor
                    start = cursor
                end = start + len(sentence)
                # pysbd leaves out a closing single mark that ends a paragraph ("… love you, mum.'")
                rest = paragraph[end:].rstrip()
                if rest and paragraph[end - 1] in _MARKED and set(rest) <= _CLOSING_MARKS:
                    end += len(rest)
                cursor = end
                if spans and sentence[0] in _CONTINUES:
                    spans[-1][1] = end  # "… What's the Matter with Kansas?, and the second …": one sentence
                else:
                    spans.append([start, end])
            for start, end in spans:
                if _HAS_WORD.search(paragraph[start:end]):
                    begin = offset + shift + start
                    pieces.extend(_split_long(text[begin:offset + shift + end], begin, max_words))
        offset += len(line) + 1
    return pieces


def document_blocks(sentences: Sequence[Sentence]) -> list[tuple[str, int, int]]:
    """(document id, first, end) of each document's run of ``sentences``: a SegmentedCluster keeps
    each document's sentences together, so one pass finds them (retrieval and the comparison
    reduce similarity over these column blocks)."""
    blocks: list[tuple[str, int, int]] = []
    for i, sentence in enumerate(sentences):
        if blocks and blocks[-1][0] == sentence.doc_id:
            blocks[-1] = (sentence.doc_id, blocks[-1][1], i + 1)
        else:
            blocks.append((sentence.doc_id, i, i + 1))
    return blocks


def segment_document(document: Document, language: str = "en", max_words: int = 120) -> list[Sentence]:
    return [
        Sentence(doc_id=document.doc_id, index=i, text=text, span=span)
        for i, (text, span) in enumerate(split_sentences(document.text, language, max_words))
    ]


def segment_cluster(cluster: Cluster, config: SegmentConfig) -> SegmentedCluster:
    """Segment every document of the cluster; sentence indices restart per document."""
    sentences: list[Sentence] = []
    for document in cluster.documents:
        sentences.extend(segment_document(document, config.language, config.max_sentence_words))
    return SegmentedCluster(cluster=cluster, sentences=tuple(sentences))
