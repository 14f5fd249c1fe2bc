from summarizer.config import NeutralConfig
from summarizer.neutral import colour_words, strip_colour


def test_colour_is_loaded_words_one_outlet_uses():
    docs = ["A lavish and grand ceremony.", "A grand ceremony.", "A ceremony."]
    assert colour_words(docs, NeutralConfig()) == frozenset({"lavish"})
    assert colour_words(docs, NeutralConfig(max_outlets_for_colour=2)) == frozenset({"lavish", "grand"})


def test_strip_colour_keeps_grammar():
    colour = frozenset({"lavish", "rapidly", "blossoming", "enthusiastic"})
    assert strip_colour("Talks took place during a lavish visit.", colour).text == "Talks took place during a visit."
    assert strip_colour("It cements a rapidly blossoming partnership.", colour).text == "It cements a partnership."
    assert strip_colour("An enthusiastic crowd cheered.", colour).text == "A crowd cheered."
    predicative = strip_colour("The visit was lavish.", colour)
    assert predicative.text == "The visit was lavish." and predicative.removed == ()
