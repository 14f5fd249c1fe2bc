"""The cross-outlet comparison on hand-built clusters whose answer is known."""
import pytest
from helpers import make_cluster

from summarizer.config import load_config
from summarizer.pipeline import Pipeline

# Fact A and B: all three outlets. Fact C: outlets 0 and 1 only (so outlet 2 leaves it out).
# Outlet 0 alone calls the talks "lavish"; outlet 2 alone reports the weather.
HARBOUR = make_cluster(
    ("Ministers from Eastland and Westland agreed a fishing treaty in Lowport on Friday after three days of talks.",
     "The treaty sets a shared catch limit of 40,000 tonnes for the northern bay.",
     "The lavish talks were held in the old customs house overlooking the harbour.",
     "Inspectors from both countries will board trawlers to check the catches."),
    ("Eastland and Westland signed a fishing treaty in Lowport on Friday, ending three days of negotiations.",
     "Under the treaty the two countries share a catch limit of 40,000 tonnes in the northern bay.",
     "Inspectors from both sides will be allowed to board trawlers and check their catches."),
    ("A fishing treaty was agreed by Eastland and Westland on Friday in the port of Lowport after three days of talks.",
     "The deal fixes a joint catch limit of 40,000 tonnes for the northern bay.",
     "Heavy rain and strong winds battered the coast throughout the meeting."),
    cluster_id="harbour",
)


@pytest.fixture(scope="module")
def comparison(encoder):
    pipeline = Pipeline(load_config(None, ["fuse.backend=extractive"]))
    return pipeline.summarize(HARBOUR).comparison


def _has(facts, words):
    return any(all(w in f.text.lower() for w in words) for f in facts)


def test_facts_every_outlet_reports(comparison):
    assert comparison.documents == ("d0", "d1", "d2")
    assert _has(comparison.reported_by_all, ["treaty", "friday"])
    assert _has(comparison.reported_by_all, ["catch limit", "40,000"])
    for fact in comparison.reported_by_all:
        assert fact.documents == ("d0", "d1", "d2")
        assert {r.doc_id for r in fact.sentences} == {"d0", "d1", "d2"}


def test_facts_only_some_report_and_who_leaves_them_out(comparison):
    inspectors = [f for f in comparison.reported_by_some if "inspectors" in f.text.lower()]
    assert len(inspectors) == 1 and inspectors[0].documents == ("d0", "d1")
    outlets = {o.doc_id: o for o in comparison.outlets}
    assert _has(outlets["d2"].omissions, ["inspectors"])
    assert not outlets["d0"].omissions and not outlets["d1"].omissions
    assert _has(outlets["d2"].only_here, ["rain"])
    assert _has(comparison.reported_by_one, ["rain"])
    assert all(f.documents == ("d2",) for f in outlets["d2"].only_here)


def test_distinctive_wording_puts_loaded_words_first(comparison):
    outlets = {o.doc_id: o for o in comparison.outlets}
    first = outlets["d0"].distinctive_terms[0]
    assert first.term == "lavish" and first.loaded
    assert "lavish talks" in first.context and first.sentence.doc_id == "d0"
    # Names are facts, not wording; words other outlets share are not distinctive.
    for outlet in comparison.outlets:
        terms = {t.term for t in outlet.distinctive_terms}
        assert not terms & {"lowport", "Lowport", "treaty", "friday", "Friday"}
    d2_terms = {t.term for t in outlets["d2"].distinctive_terms}
    assert d2_terms & {"rain", "winds", "battered", "heavy", "coast"}


def test_leads_with_the_first_sentences_fact(comparison):
    for outlet in comparison.outlets:
        assert outlet.leads_with is not None
        assert outlet.leads_with.documents == ("d0", "d1", "d2")


def test_one_document_has_nothing_to_compare(encoder):
    single = make_cluster(HARBOUR.documents[0].text.split("\n"), cluster_id="single")
    summary = Pipeline(load_config(None, ["fuse.backend=extractive"])).summarize(single)
    assert summary.comparison.note == "one document: nothing to compare"
    assert summary.comparison.outlets == ()


def test_comparison_can_be_turned_off(encoder):
    summary = Pipeline(load_config(None, ["fuse.backend=extractive", "compare.enabled=false"])).summarize(HARBOUR)
    assert summary.comparison is None


# Issue #20 item 4: a person two outlets quote is no one outlet's fact; a sentence that points back
# ("It could also …") is listed as no outlet's fact; everyday words are no outlet's wording.
QUOTED_TWICE = make_cluster(
    ("Ministers from Eastland and Westland agreed a fishing treaty in Lowport on Friday after three days of talks.",
     "The treaty sets a shared catch limit of 40,000 tonnes for the northern bay.",
     "Mara Quill of the Harbour Institute emphasized the regional ramifications of the agreement for trawler crews.",
     "It could also reshape the market for cod later this year, say observers."),
    ("Eastland and Westland signed a fishing treaty in Lowport on Friday, ending three days of negotiations.",
     "Under the treaty the two countries share a catch limit of 40,000 tonnes in the northern bay.",
     "Mara Quill, a fellow at the Harbour Institute, said any such deal would matter to fishing towns.",
     "Officials will help the fleets adapt later, the ministry said, in a disastrous turn for smugglers."),
    ("A fishing treaty was agreed by Eastland and Westland on Friday in the port of Lowport after three days of talks.",
     "The deal fixes a joint catch limit of 40,000 tonnes for the northern bay.",
     "Heavy rain and strong winds battered the coast throughout the meeting."),
    cluster_id="quoted-twice",
)


def test_only_here_holds_against_names_and_sentences_that_point_back(encoder):
    comparison = Pipeline(load_config(None, ["fuse.backend=extractive"])).summarize(QUOTED_TWICE).comparison
    listed = [f.text for f in comparison.reported_by_one] + [f.text for o in comparison.outlets for f in o.only_here]
    assert not any("Mara Quill" in t or t.startswith("It could") for t in listed)
    assert any("rain" in t for t in listed)  # the third outlet's own fact stays
    terms = {t.term: t for o in comparison.outlets for t in o.distinctive_terms}
    assert "later" not in terms and "help" not in terms  # everyday English (wordfreq Zipf >= 4.5)
    assert terms["disastrous"].loaded  # a subjective adjective both lexicons rate (lexicon.py)


def test_one_outlet_facts_have_their_own_list(comparison):
    from summarizer.render.formats import render_markdown
    from summarizer.render.html import render_html

    summary = Pipeline(load_config(None, ["fuse.backend=extractive"])).summarize(HARBOUR)
    html, markdown = render_html(summary, HARBOUR), render_markdown(summary, HARBOUR)
    for page in (html, markdown):
        some, one = page.index("Reported by only some"), page.index("Reported by one outlet only")
        assert page.index("Inspectors", some) < one < page.index("Heavy rain", some)


def test_a_subjective_adjective_used_as_a_noun_is_not_loaded():
    """"Any kind of treaty": between a determiner and "of" the word is a noun (the seeds' BBC card
    listed "kind" as loaded wording); "a kind gesture" keeps its mark."""
    from summarizer.compare.outlets import distinctive_terms
    from summarizer.config import RunConfig
    from summarizer.neutral.lexicon import Lexicon
    from summarizer.segment import segment_cluster

    others = ("The ministers signed the fishing treaty on Friday in Lowport.",
              "Both countries signed the treaty after long talks in Lowport.")
    lexicon = Lexicon.from_config(RunConfig().neutral)
    for sentence, loaded in (("Any kind of fishing treaty could let inspectors board trawlers in Lowport.", False),
                             ("The minister made a kind gesture to the inspectors in Lowport.", True)):
        segmented = segment_cluster(make_cluster((sentence,), *[(o,) for o in others]), RunConfig().segment)
        terms = {t.term: t.loaded for t in distinctive_terms(segmented, "d0", lexicon, limit=10)}
        marked = [term for term, is_loaded in terms.items() if "kind" in term.split() and is_loaded]
        assert marked == (["kind gesture"] if loaded else []), (sentence, terms)


def test_an_outlet_leaves_out_a_fact_only_as_surely_as_the_setting_asks(encoder):
    def run(*settings):
        return Pipeline(load_config(None, ["fuse.backend=extractive", *settings])).summarize(HARBOUR)

    result = run()
    inspectors = next(f for f in result.selection.alignment.facts if "Inspectors" in f.members[0].text)
    assert inspectors.stated_by[:2] == (1.0, 1.0)  # its members' outlets
    unstated = 1.0 - inspectors.stated_by[2]  # d2's weather sentence is a near pair, not the fact
    assert 0.75 <= unstated < 1.0
    stricter = run(f"compare.left_out_confidence={(unstated + 1.0) / 2}")
    assert not {o.doc_id: o for o in stricter.comparison.outlets}["d2"].omissions


def test_a_list_cut_at_max_facts_keeps_every_fact_the_summary_states(encoder):
    pipeline = Pipeline(load_config(None, ["fuse.backend=extractive", "compare.max_facts=1"]))
    summary = pipeline.summarize(HARBOUR)
    listed = [*summary.comparison.reported_by_all, *summary.comparison.reported_by_some]
    shared_in_summary = [g for g in summary.selection.groups if g.support_count > 1]
    assert len(shared_in_summary) > 1  # more than the one slot each list has
    for group in shared_in_summary:
        assert any(f.in_summary and group.representative.text == f.text for f in listed), group.representative.text
    for listing in (summary.comparison.reported_by_all, summary.comparison.reported_by_some):
        assert all(f.in_summary for f in listing[1:])  # past the one slot, only the summary's facts
