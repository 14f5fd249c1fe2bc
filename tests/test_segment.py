from summarizer.segment import split_sentences


def _assert_split(text: str, expected: list[str]) -> None:
    """``text`` splits into ``expected``, each with the span it has in ``text``."""
    pieces = split_sentences(text)
    assert [sentence for sentence, _ in pieces] == expected
    for sentence, (start, end) in pieces:
        assert text[start:end] == sentence


def test_news_abbreviations_quotes_and_dashes():
    text = ('Mr Kim met Mr. Putin in the U.S. capital. "We will help," said Mr Kim \u2014 twice. '
            "It cost $1.5 billion.\nA new paragraph starts here")
    _assert_split(text, ["Mr Kim met Mr. Putin in the U.S. capital.", '"We will help," said Mr Kim \u2014 twice.',
                         "It cost $1.5 billion.", "A new paragraph starts here"])


def test_no_sentence_begins_with_a_comma():
    """pysbd ends a sentence at "D-Calif." and at a "?" inside a title; the piece after it, which
    begins with a comma, belongs to the same sentence (68 of 8,403 NeuS/FRANK/seeds texts had one)."""
    text = ("Sen. Bernie Sanders, I-Vt., on Monday released the results of his exam. "
            "The first in Thomas Frank's What's the Matter with Kansas?, and the second in another book. "
            "Is it over? Yes.")
    _assert_split(text, ["Sen. Bernie Sanders, I-Vt., on Monday released the results of his exam.",
                         "The first in Thomas Frank's What's the Matter with Kansas?, and the second in another book.",
                         "Is it over?", "Yes."])


def test_empty_and_punctuation_only():
    assert split_sentences("") == []
    assert split_sentences("...\n--") == []


def test_sentence_spans_are_found_as_pysbd_finds_them_without_a_regex_per_sentence():
    """Our span finder (str.find) against pysbd's own (a compiled pattern per sentence), on texts
    with repeated sentences, abbreviations and Unicode whitespace: the same spans, always."""
    import pysbd
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from summarizer.segment.sentences import _segmenter

    ours = _segmenter("en")
    theirs = pysbd.Segmenter(language="en", clean=False)
    theirs.language_module = ours.language_module  # the same rules; only the span finder differs
    pieces = st.sampled_from(["Mr. Kim met Putin.", "It rained.", "It rained.", "The U.S. said no.", "Yes!",
                              '"Go," he said.', "a.m.", "No. 5 won.", "...", "....", "!!", "", "It"])
    spaces = st.sampled_from([" ", "  ", "\u00a0", "\u2003", "\t", ""])

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.lists(st.tuples(pieces, spaces), max_size=12))
    def check(parts):
        text = "".join(p + s for p, s in parts)
        assert ours.segment(text) == theirs.segment(text)

    check()


def test_long_paragraphs_are_cut_where_a_search_of_the_whole_prefix_would_cut_them():
    """``_pieces`` looks for an abbreviation in the last few characters before each period only;
    the cuts equal those of searching everything before the period (the former way, quadratic)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from summarizer.segment.sentences import _ABBREVIATION_BEFORE, _PIECE_END, _pieces

    def whole_prefix(paragraph, limit):
        pieces, start = [], 0
        while len(paragraph) - start > limit:
            window = paragraph[start:start + limit]
            cut = 0
            for match in _PIECE_END.finditer(window, limit // 2):
                if not _ABBREVIATION_BEFORE.search(window[:match.start() + 1]):
                    cut = match.end()
            if not cut:
                cut = window.rfind(" ", limit // 2) + 1 or limit
            pieces.append((start, paragraph[start:start + cut]))
            start += cut
        return pieces + [(start, paragraph[start:])]

    words = st.sampled_from(["Mr.", "Sept.", "U.S.", "A.B.C.D.E.F.G.H.I.J.", "Corp.", "Inc.", "news.", "Yes.",
                             "said", "the", "TheCorp.", "no. 5", "Kim", '"Go."', "(ok.)", "x" * 30 + "Dr."])

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(st.lists(words, min_size=1, max_size=120), st.integers(40, 200))
    def check(chosen, limit):
        paragraph = " ".join(chosen)
        assert _pieces(paragraph, limit) == whole_prefix(paragraph, limit)

    check()


def test_a_closing_single_mark_that_ends_a_paragraph_stays_with_its_sentence():
    """pysbd drops the closing mark of a single-quoted quotation at a paragraph's end; the sentence
    keeps it, or it reads as a quotation that never closes (British papers quote with single marks)."""
    _assert_split("He told her: 'I love you, mum.'\nNext.", ["He told her: 'I love you, mum.'", "Next."])
    _assert_split('He told her: "I love you, mum."', ['He told her: "I love you, mum."'])
    _assert_split("The players' union met the Joneses'", ["The players' union met the Joneses'"])


def test_an_over_long_sentence_is_cut_at_a_sentence_end_before_a_comma():
    """pysbd joins a single-quoted quotation that runs over several sentences into one "sentence" (the
    Daily Mail's style); cut to length, it breaks at a sentence end near the limit ("stick." / "'I've"),
    not at a comma, which left the piece "it's the manager who gets the stick. 'I've got …"."""
    text = ("If they perform, you get a better reputation as a manager and that has been the case here with a "
            "great response from them. 'That's how football works. If they play well, your stock rises. Equally, "
            "if they don't play well, it's the manager who gets the stick. 'I've got broad shoulders and I know "
            "what to expect but I can't praise the players highly enough. They have worked so hard and they have "
            "taken on board everything I have tried to tell them.' Ex-Killie player Locke was crestfallen.")
    pieces = split_sentences(text, max_words=40)
    assert all(text[a:b] == piece for piece, (a, b) in pieces)
    assert [piece.split()[-1] for piece, _ in pieces] == ["them.", "stick.", "them.'", "crestfallen."]
    # no sentence end near the limit: a clause boundary, never after an abbreviation ("Mr." / "Kim")
    listing = ", ".join(["Mr. Kim met the mayor of the city"] * 12) + "."
    assert all(not piece.startswith("Kim") for piece, _ in split_sentences(listing, max_words=20))
