from hypothesis import given, settings
from hypothesis import strategies as st
from summarizer.config import NeutralConfig
from summarizer.neutral.lexicon import Lexicon
from summarizer.neutral.wording import strip_colour, strip_framing_lead_in


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


def test_a_framing_lead_in_keeps_when_it_happened():
    docs = ["In a landmark summit on Wednesday, Putin and Kim signed a pact.", "Putin and Kim signed a pact."]
    edit = strip_framing_lead_in(docs[0], docs, lexicon())
    assert edit.text == "On Wednesday, Putin and Kim signed a pact."
    assert edit.removed == ("In a landmark summit",)
    late = strip_framing_lead_in("In a stunning reversal late last year, the court ruled.", docs, lexicon())
    assert late.text == "Late last year, the court ruled." and late.removed == ("In a stunning reversal",)
    # a month name inside the phrase that is not its ending time stays removed with it
    assert strip_framing_lead_in("In a landmark May Day speech, Kim spoke.", docs, lexicon()).text == "Kim spoke."


def test_an_opening_that_answers_a_missing_sentence_is_dropped():
    from summarizer.neutral.wording import neutral_wording

    edit = neutral_wording('In turn, Kim pledged "full support" for Russia.', [], frozenset(), lexicon())
    assert edit.text == 'Kim pledged "full support" for Russia.' and edit.removed == ("In turn",)
    # "in response to" names what it answers: it stays
    kept = "In response to the vote, the council met."
    assert neutral_wording(kept, [], frozenset(), lexicon()).text == kept


def test_a_closing_clause_only_one_outlet_adds_is_dropped():
    from summarizer.neutral.wording import strip_unshared_tail

    own = ('Kim pledged "full support and solidarity" for Russia\'s actions in Ukraine, calling the two '
           'countries\' friendship "fiery" and closer than in Soviet times.')
    other = 'Kim offered "full support and solidarity" for Russia in its conflict in Ukraine.'
    edit = strip_unshared_tail(own, [own, other])
    assert edit.text == 'Kim pledged "full support and solidarity" for Russia\'s actions in Ukraine.'
    assert edit.removed == ('calling the two countries\' friendship "fiery" and closer than in Soviet times',)
    # another outlet states the clause too: it is part of the fact
    echo = 'Kim backed Russia in Ukraine, calling their friendship "fiery" and closer than in Soviet times.'
    assert strip_unshared_tail(own, [own, echo]).text == own
    # one outlet alone: nothing to intersect with; attribution is never cut
    assert strip_unshared_tail(own, [own]).text == own
    said = "The two leaders signed a mutual defence treaty in the capital, according to state media."
    cited = "Russia has fired North Korean missiles at targets in Ukraine, citing two American officials."
    assert strip_unshared_tail(cited, [cited, other]).text == cited
    # a quantity another outlet states is the fact, however it is worded
    spaced = ("The agency on Friday announced new guidance for distancing between children in schools, "
              "allowing for just three feet of space between students instead of the six it had recommended.")
    feet = "The agency on Friday is updating its distancing guidelines for children in schools from 6 feet to 3 feet."
    assert strip_unshared_tail(spaced, [spaced, feet]).text == spaced
    assert strip_unshared_tail(said, [said, other]).text == said
    # a clause inside a quotation is the speaker's: cutting it would misquote
    quoted = ("'Kim pledged full support and solidarity for Russia's actions in Ukraine, calling the two "
              "countries' friendship fiery and closer than in Soviet times.'")
    assert strip_unshared_tail(quoted, [quoted, other]).text == quoted


def test_the_article_follows_the_sound_of_the_word_after_a_deletion():
    """Issue #17: the repair wrote "a hour-long", "an university", "an one-sided"; it also touched
    articles nowhere near a deletion ("Part A of" became "Part An of")."""
    colour = frozenset({"lavish", "brutal", "stunning", "extraordinary"})
    cases = {"It was a lavish hour-long parade.": "It was an hour-long parade.",
             "An extraordinary university vote passed.": "A university vote passed.",
             "It was a brutal one-sided match.": "It was a one-sided match.",
             "A stunning 8-year-old won.": "An 8-year-old won.",
             "An extraordinary FBI raid and Part A of the plan.": "An FBI raid and Part A of the plan.",
             "A stunning NATO summit began.": "A NATO summit began."}
    for text, expected in cases.items():
        assert strip_colour(text, colour).text == expected


def test_indefinite_article_by_sound():
    from summarizer.neutral.articles import indefinite_article

    an = ["hour", "honest", "apple", "umbrella", "unusual", "FBI", "MP", "NHS", "X-ray", "F-16", "8-year-old",
          "11-year-old", "18", "80", "11,000", "OPEC", "EU"]
    a = ["university", "one-sided", "European", "user", "usual", "Ukrainian", "US", "UN", "NATO", "hotel",
         "U-turn", "110", "1,100", "year", "once"]
    assert [w for w in an if indefinite_article(w) != "an"] == []
    assert [w for w in a if indefinite_article(w) != "a"] == []


_WORDS = ["the", "treaty", "signed", "Kim", "Putin", "calling", "saying", "noting", "according", "citing", "three",
          "3", "feet", "talks", "after", "visit", "fiery", "friendship", "said", "allies", "to", "in"]


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=24), st.lists(st.sampled_from(_WORDS), max_size=12),
       st.lists(st.sampled_from(_WORDS), max_size=16))
@settings(max_examples=300, deadline=None)
def test_the_closing_clause_cut_only_ever_shortens_at_a_comma(head, tail, other_words):
    from summarizer.neutral.wording import strip_unshared_tail

    text = " ".join(head) + (", " + " ".join(tail) if tail else "") + "."
    other = " ".join(other_words) + "."
    edit = strip_unshared_tail(text, [text, other])
    if edit.text == text:
        assert edit.removed == ()
    else:  # a leading part of the sentence up to one of its commas, whole words, eight or more of them
        kept = edit.text.rstrip(".")
        assert text.startswith(kept) and text[len(kept)] == "," and len(kept.split()) >= 8
        assert len(edit.removed) == 1 and edit.removed[0] in text
