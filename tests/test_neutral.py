from summarizer.config import NeutralConfig
from summarizer.lexicon import Lexicon
from summarizer.neutral import strip_colour, strip_framing_lead_in


def lexicon(**settings) -> Lexicon:
    return Lexicon.from_config(NeutralConfig(**settings))


def test_colour_is_loaded_words_one_outlet_uses():
    docs = ["A lavish and grand ceremony.", "A grand ceremony.", "A ceremony."]
    assert lexicon().colour_words(docs) == frozenset({"lavish"})
    assert lexicon(max_outlets_for_colour=2).colour_words(docs) == frozenset({"lavish", "grand"})


def test_extra_loaded_words_count_whatever_their_case():
    # "Fiery" in a config was honoured by the comparison and ignored by the neutral stage.
    docs = ["A Fiery speech opened the summit.", "A speech opened the summit."]
    extra = lexicon(extra_loaded_words=("Fiery", "Rousing"))
    assert {"fiery", "rousing"} <= extra.modifiers and {"fiery", "rousing"} <= extra.loaded
    assert extra.colour_words(docs) == frozenset({"fiery"})
    assert strip_colour(docs[0], extra.colour_words(docs)).text == "A speech opened the summit."


def test_strip_colour_keeps_grammar():
    colour = frozenset({"lavish", "rapidly", "blossoming", "enthusiastic"})
    assert strip_colour("Talks took place during a lavish visit.", colour).text == "Talks took place during a visit."
    assert strip_colour("It cements a rapidly blossoming partnership.", colour).text == "It cements a partnership."
    assert strip_colour("An enthusiastic crowd cheered.", colour).text == "A crowd cheered."
    predicative = strip_colour("The visit was lavish.", colour)
    assert predicative.text == "The visit was lavish." and predicative.removed == ()


def test_one_outlets_framing_lead_in_is_dropped():
    docs = ["In a significant geopolitical development, Putin and Kim signed a pact.",
            "Putin and Kim signed a pact.", "The two leaders signed a pact on Wednesday."]
    edit = strip_framing_lead_in("In a significant geopolitical development, the two leaders signed a pact.",
                                 docs, lexicon())
    assert edit.text == "The two leaders signed a pact."
    assert edit.removed == ("In a significant geopolitical development",)
    # Attribution is no framing, and a lead-in two outlets share is not one outlet's colour.
    assert strip_framing_lead_in("In a statement, the ministry denied it.", docs, lexicon()).removed == ()
    shared = [docs[0], docs[0], docs[2]]
    assert strip_framing_lead_in(docs[0], shared, lexicon()).removed == ()
    assert strip_framing_lead_in(docs[0], shared, lexicon(max_outlets_for_colour=2)).text == \
        "Putin and Kim signed a pact."
