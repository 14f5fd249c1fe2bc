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


def test_one_outlets_framing_lead_in_is_dropped():
    from summarizer.neutral import strip_framing_lead_in

    docs = ["In a significant geopolitical development, Putin and Kim signed a pact.",
            "Putin and Kim signed a pact.", "The two leaders signed a pact on Wednesday."]
    edit = strip_framing_lead_in("In a significant geopolitical development, the two leaders signed a pact.",
                                 docs, NeutralConfig())
    assert edit.text == "The two leaders signed a pact."
    assert edit.removed == ("In a significant geopolitical development",)
    # Attribution is no framing, and a lead-in two outlets share is not one outlet's colour.
    assert strip_framing_lead_in("In a statement, the ministry denied it.", docs, NeutralConfig()).removed == ()
    shared = [docs[0], docs[0], docs[2]]
    assert strip_framing_lead_in(docs[0], shared, NeutralConfig()).removed == ()
    assert strip_framing_lead_in(docs[0], shared, NeutralConfig(max_outlets_for_colour=2)).text == \
        "Putin and Kim signed a pact."
