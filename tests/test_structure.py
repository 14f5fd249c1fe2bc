"""Structural contradictions the guard's word checks miss, and the corruptions that test them (issue #21)."""
import random

from summarizer.evaluation.corruptions import corrupt, lower_case_words, names_in
from summarizer.verify.structure import (contradictions, gender_conflicts, negation_conflicts, number_conflicts,
                                         role_conflicts)

SOURCE = "Paul added that he does not believe it is possible Trump will be convicted by the Senate."


def test_reversed_roles_are_named_and_a_passive_is_not_a_reversal():
    assert role_conflicts("Trump added that he does not believe it is possible Paul will be convicted.",
                          SOURCE) == ("trump … paul",)
    assert role_conflicts("Norland defeated Sudland on Sunday.", "Sudland defeated Norland on Sunday.")
    assert role_conflicts("Sudland was defeated by Norland on Sunday.", "Norland defeated Sudland on Sunday.") == ()
    assert role_conflicts("Putin and Kim signed a pact.", "Kim and Putin signed a pact.") == ()  # nothing between
    assert role_conflicts(SOURCE, SOURCE) == ()


def test_negation_added_or_dropped_on_a_shared_predicate():
    assert negation_conflicts("The leader would not be tested like never before.",
                              "The leader would be tested like never before.") == ("not test",)
    assert negation_conflicts("Paul added that he believes Trump will be convicted.", SOURCE) == (
        "dropped not believ",)
    assert negation_conflicts(SOURCE, SOURCE) == ()
    assert negation_conflicts("Biden hasn’t spoken to him.", "Biden hasn't spoken to him since.") == ()  # curly


def test_gender_and_numbers():
    assert gender_conflicts("She added that she does not believe it.", SOURCE) == ("she",)
    assert gender_conflicts("They added that they do not believe it.", SOURCE) == ()
    assert number_conflicts("In a narrow 52-7 vote, the Senate confirmed Barrett.",
                            "In a narrow 52-48 vote, the Senate confirmed Barrett.") == ("7",)
    assert number_conflicts("The Senate confirmed Barrett 52 to 48.", "The Senate confirmed Barrett in a 52-48 vote.") == ()
    assert contradictions(SOURCE, [SOURCE]) == ()
    # a fused sentence may take a number from another outlet's wording than the closest one
    fused = "One hour after the vote, Pelosi announced a deal on trade."
    assert contradictions(fused, ["By 10 am, Pelosi announced a deal on trade.",
                                  "One hour after the vote, Pelosi announced a trade deal."]) == ()
    assert contradictions(fused, ["By 10 am, Pelosi announced a deal on trade."]) == ("One",)


def test_corruptions_change_one_thing_each_and_keep_the_original():
    text = "On Monday Paul said that 52 senators will not convict Trump, and he expects a vote in March."
    unrelated = "Officials in Harbor City said the bridge would open next year, after the council approved the plan."
    made = {c.kind: c.text for c in corrupt(text, ["Harbor City", "Trump"], ["52", "12"], unrelated,
                                            random.Random(0), lower_case_words(text + " " + unrelated))}
    assert made["original"] == text
    assert made["entity"] in (text.replace("Paul", "Harbor City"), text.replace("Trump", "Harbor City"))
    assert made["number"] == text.replace("52", "12")
    assert made["date"] == text.replace("Monday", "Tuesday")
    assert made["negation"] == text.replace("will not convict", "will convict")
    assert made["pronoun"] == text.replace(" he ", " she ")
    assert made["role"] == "On Monday Trump said that 52 senators will not convict Paul, and he expects a vote in March."
    assert made["fusion"] == "On Monday Paul said that 52 senators will not convict Trump, and the council approved the plan."
    assert names_in("Experts warn that Kim Jong Un may test.", frozenset({"experts"})) == ["Kim Jong Un"]


def test_a_hostile_sentence_of_thousands_of_names_is_checked_quickly():
    import time

    names = [f"Name{chr(97 + i % 26)}{chr(97 + (i // 26) % 26)}{chr(97 + (i // 676) % 26)}" for i in range(5000)]
    text = " ".join(f"{n} met" for n in names) + "."
    source = " ".join(f"{n} met" for n in [names[1], names[0], *names[2:]]) + "."  # the first two swapped
    started = time.perf_counter()
    found = contradictions(text, [source, source])
    assert time.perf_counter() - started < 2  # 37 s for 1,000 names before names and length were capped
    assert found == (f"{names[0].lower()} … {names[1].lower()}",)
