import pytest
from helpers import PACT
from helpers import guard_and_index as build_guard

from summarizer.verify import clean_draft, looks_like_fragment, role_phrases


@pytest.fixture(scope="module")
def guard_and_index(encoder):
    return build_guard(PACT, encoder)


def _verdict(guard_and_index, text):
    guard, index = guard_and_index
    return guard.check([text], index)[0]


def test_faithful_paraphrase_is_supported(guard_and_index):
    verdict = _verdict(guard_and_index, "Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday.")
    assert verdict.check.supported, verdict.check.reason
    assert {s.doc_id for s in verdict.support} >= {"d0", "d1"}


@pytest.mark.parametrize("text, expected", [
    # The two failures seen from the embedded model (issue #2):
    ("Norland and Sudland signed a mutual defence pact during his visit to the United States.", "United"),
    ("The above three sources provide different perspectives on the pact.", "no source sentence says this"),
    ("Norland and Sudland signed a mutual defence pact in Port Vale on Friday.", "Friday"),
    ("Officials said the pact will take effect in 2031.", "2031"),
    ("Officials said the pact will not take effect in March.", "not"),
    ('The agreement commits both countries to "help each other forever" if either is attacked.', "quotation"),
    ("The pact was signed by Sudland in Port Vale on Wednesday.", "by sudland"),
    ("The leaders of Norland and Sudland, who signed a mutual defence pact on Wednesday.", "not a complete sentence"),
    # structure the words alone do not show (verify/structure.py, issue #21)
    ("Officials said the pact will not take effect in March and trade fell.", "contradicts its closest source sentence: not take"),
    ("Trade between the two countries fell by 21 percent last year.", "21"),
])
def test_unsupported_sentences_are_rejected(guard_and_index, text, expected):
    verdict = _verdict(guard_and_index, text)
    assert not verdict.check.supported
    assert expected in verdict.check.reason or expected in verdict.check.unsupported_terms


def test_repair_keeps_the_supported_clause(guard_and_index):
    guard, index = guard_and_index
    repaired = guard.repair("Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday, "
                            "while thousands of Zorbian soldiers watched.", index)
    assert repaired is not None
    assert repaired.text == "Norland and Sudland signed a mutual defence pact in Port Vale on Wednesday."
    assert repaired.verdict.check.supported


def test_helpers():
    assert clean_draft("1) The pact \u201cholds\u201d.") == 'The pact "holds".'
    assert looks_like_fragment("The agreement between Norland and Sudland.")
    assert not looks_like_fragment("The agreement was signed.")
    # A sentence may end in a relative clause; only a main clause without a verb is a fragment.
    assert not looks_like_fragment("Connecticut voted to join the compact, which would pool its votes.")
    assert not looks_like_fragment("Kyle Rittenhouse allegedly shot three people in Kenosha.")
    assert not looks_like_fragment("The pact cements a partnership.")
    assert looks_like_fragment("The pact, which was announced after a meeting in Port Vale.")
    assert role_phrases("Kim was accused by Russia's leaders of sending arms to the United States.") == [
        "by russia", "to the united states"]


def test_a_number_must_keep_its_unit(encoder):
    """Seen from the embedded model: "after a 2-year debate" from sources with "7 to 2" and
    "almost three years". Every token is in the sources; the number-unit pair is not."""
    from helpers import make_cluster

    cluster = make_cluster(
        ("The council voted 7 to 2 on Tuesday to approve a new bridge, ending a debate that lasted almost "
         "three years.",),
        ("The council approved a new bridge by a vote of 7 to 2 on Tuesday after a three-year debate.",))
    guard, index = build_guard(cluster, encoder)
    wrong, right = guard.check(["The council approved a new bridge on Tuesday by 7 to 2 after a 2-year debate.",
                                "The council approved a new bridge on Tuesday by 7 to 2 after a debate of three years."],
                               index)
    assert not wrong.check.supported and "2 year" in wrong.check.unsupported_terms
    assert right.check.supported, right.check.reason


def test_hedged_sources_need_a_hedged_sentence(encoder):
    """Seen from the embedded model: "Evidence has since emerged suggesting that Russia has
    deployed North Korean missiles" became "Russia has recently deployed North Korea's missiles"."""
    from helpers import make_cluster

    cluster = make_cluster(
        ("Evidence has since emerged suggesting that Russia has deployed North Korean missiles in Ukraine.",),
        ("Recent reports suggest that North Korean missiles are being used by Russia in Ukraine.",))
    guard, index = build_guard(cluster, encoder)
    stated, hedged = guard.check(["Russia has deployed North Korean missiles in Ukraine.",
                                  "Evidence suggests that Russia has deployed North Korean missiles in Ukraine."], index)
    assert not stated.check.supported and "only report or suggest" in stated.check.reason
    assert hedged.check.supported, hedged.check.reason
    # "May" the month is no hedge.
    from summarizer.verify.guard import _hedged
    assert not _hedged("The pact takes effect in May.") and _hedged("The pact may take effect soon.")


def test_certainty_the_sources_lack_is_unsupported(encoder):
    """Seen from the embedded model on examples/bridge: "is expected to open in 2029, according to
    the transport department" became "The transport department has confirmed that ... will open"."""
    upgraded, reported = _check_against(encoder, [
        ("The bridge will cost 240 million dollars and is expected to open in 2029, according to the "
         "city's transport department.",),
        ("The transport department said the bridge will cost 240 million dollars and should open in 2029.",)], [
        "The transport department has confirmed that the bridge will cost 240 million dollars and will open in 2029.",
        "The transport department said the bridge will cost 240 million dollars and should open in 2029."])
    assert not upgraded.check.supported and "confirmed" in upgraded.check.reason
    assert reported.check.supported, reported.check.reason


def test_a_half_quotation_is_unsupported(encoder):
    """Copying the first sentence of a quotation that goes on ('"We will not stand by.') leaves
    the quotation open, which misattributes where it ends."""
    half, = _check_against(encoder, [('"We will not stand by. We will raise it in Geneva," Biden said on Sunday.',),
                                      ("Biden said on Sunday that he would raise the matter in Geneva.",)],
                           ['"We will not stand by. Biden said he would raise the matter in Geneva.'])
    assert not half.check.supported and "quotation opens or closes" in half.check.reason

def test_a_decimal_is_no_form_of_its_digits_run_together(encoder):
    """A decimal is one number, not its digits run together: "$1.5 billion" gave the term form "15",
    which every check of shared terms read as the source stating 15 (the guard's quantity and
    contradiction checks reject the sentence as well)."""
    from summarizer.text import term_forms

    assert "15" not in term_forms("The bridge will cost $1.5 billion.") and "1.5" in term_forms("cost $1.5 billion")
    tenfold, = _check_against(encoder, [("The bridge will cost $1.5 billion, the council of Port Vale said.",),
                                        ("Port Vale's council put the bridge's cost at $1.5 billion.",)],
                              ["The bridge will cost $15 billion, the council of Port Vale said."])
    assert not tenfold.check.supported and "15" in tenfold.check.unsupported_terms


def _check_against(encoder, documents, candidates):
    """Guard verdicts for ``candidates`` against a cluster of one-sentence-list ``documents``."""
    from helpers import make_cluster

    guard, index = build_guard(make_cluster(*documents), encoder)
    return guard.check(candidates, index)


def test_a_source_sentence_as_written_is_not_a_fragment(encoder):
    """Headlines and datelines often have no verb the hint list knows; copied whole they are
    what the outlet wrote. The same words cut out of a longer sentence still are a fragment."""
    from helpers import make_cluster

    cluster = make_cluster(("WASHINGTON — The offer: a bridge for the town of Port Vale.",
                            "The council approved the bridge on Tuesday."),
                           ("The agreement between Norland and Sudland on the new trade route, which "
                            "officials in Port Vale announced on Tuesday after long talks.",))
    guard, index = build_guard(cluster, encoder)
    verbatim, cut = guard.check(["WASHINGTON — The offer: a bridge for the town of Port Vale.",
                                 "The agreement between Norland and Sudland on the new trade route."], index)
    assert verbatim.check.supported, verbatim.check.reason
    assert not cut.check.supported and "not a complete sentence" in cut.check.reason


def test_structure_checks_read_words_of_any_script():
    """Issue #32 (tokenizers): the structure checks read words from "[A-Za-z]" on, so "économique"
    was "conomique" and a conflict was reported about a word no sentence has."""
    from summarizer.text import stem
    from summarizer.verify.structure import negation_conflicts

    assert negation_conflicts("The plan is not économique.", "The plan is économique.") == (f"not {stem('économique')}",)
