from summarizer.segment import split_sentences


def test_news_abbreviations_quotes_and_dashes():
    text = ('Mr Kim met Mr. Putin in the U.S. capital. "We will help," said Mr Kim \u2014 twice. '
            "It cost $1.5 billion.\nA new paragraph starts here")
    pieces = split_sentences(text)
    assert [s for s, _ in pieces] == [
        "Mr Kim met Mr. Putin in the U.S. capital.",
        '"We will help," said Mr Kim \u2014 twice.',
        "It cost $1.5 billion.",
        "A new paragraph starts here",
    ]
    for sentence, (start, end) in pieces:
        assert text[start:end] == sentence


def test_empty_and_punctuation_only():
    assert split_sentences("") == []
    assert split_sentences("...\n--") == []
