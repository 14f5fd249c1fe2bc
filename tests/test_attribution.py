"""Whose words each summary sentence uses and who else reports it, in every format; the comparison
and the headline read from the same facts."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from helpers import PACT, embed

from summarizer.config import RunConfig, with_overrides
from summarizer.render.labels import attribute, attribution_text
from summarizer.neutral.lexicon import Lexicon
from summarizer.pipeline import Pipeline
from summarizer.render.formats import render
from summarizer.neutral.hedges import speculative
from summarizer.retrieve.headline import choose_headline, scare_quotes
from summarizer.types import Origin, SentenceRef, SummarySentence, SupportCheck
from summarizer.verify.policy import repeated_stems

CONFIG = with_overrides(RunConfig(), fuse={"backend": "extractive"})


@pytest.fixture(scope="module")
def summary():
    return Pipeline(CONFIG).summarize(PACT)


def test_a_quoted_sentence_is_one_outlets_wording_and_the_others_corroborate(summary):
    texts = {d.doc_id: d.text for d in PACT.documents}
    first = summary.sentences[0]
    assert first.origin is Origin.EXTRACTED and set(first.cited_docs) == {"d0", "d1", "d2"}
    attribution = attribute(first, texts)
    own = next(d for d in PACT.documents if first.text in d.text).doc_id
    assert attribution.wording == (own,) and set(attribution.also) == {"d0", "d1", "d2"} - {own}
    assert attribution_text(attribution, str.upper).startswith(f"{own.upper()}'s wording; also reported by ")


def test_a_fused_sentence_names_every_outlet_whose_words_it_joins():
    texts = {"a": "The council approved the bridge on Tuesday.", "b": "By seven votes to two, the council agreed."}
    sentence = SummarySentence("The council approved the bridge by seven votes to two.", Origin.GENERATED,
                               (SentenceRef("a", 0, (0, 44)), SentenceRef("b", 0, (0, 43))), SupportCheck(True, 0.9))
    attribution = attribute(sentence, texts)
    assert attribution.wording == ("b", "a") and attribution.also == () and abs(sum(attribution.shares) - 1) < 1e-9
    assert attribution_text(attribution, str) == "wording of b and a"  # b supplies the most word pairs


def test_attribution_is_shown_in_every_format(summary):
    texts = {d.doc_id: d.text for d in PACT.documents}
    numbers = {d.doc_id: str(n) for n, d in enumerate(PACT.documents, start=1)}
    attributions = [attribute(s, texts) for s in summary.sentences]
    text = render(summary, PACT, CONFIG, "text")
    for sentence, attribution in zip(summary.sentences, attributions):
        marks = ",".join(numbers[d] for d in attribution.wording)
        if attribution.also:
            marks += "; also " + ",".join(numbers[d] for d in attribution.also)
        assert f"{sentence.text} [{marks}]" in text
    assert re.search(r"\nWords from: d\d \d+%", text)
    markdown = render(summary, PACT, CONFIG, "markdown")
    assert markdown.count("'s wording") + markdown.count("wording of ") == len(summary.sentences)
    record = json.loads(render(summary, PACT, CONFIG, "json"))
    for sentence in record["sentences"]:
        assert sentence["wording"] and set(sentence["wording"]) | set(sentence["also_reported_by"]) == \
            set(sentence["cited_documents"])
    assert abs(sum(record["wording_share"].values()) - 1) < 0.01
    pact = next(f for f in record["facts"] if "signed" in f["members"][0]["text"])
    assert pact["documents"] == ["d0", "d1", "d2"] and 0 < pact["confidence"] <= 1
    html = render(summary, PACT, CONFIG, "html")
    assert html.count('<span class="said">') == len(summary.sentences)
    assert html.count('class="cite wording"') == sum(len(a.wording) for a in attributions)


def test_the_comparison_reads_the_facts_and_each_outlet_leads_with_its_own_sentence(summary):
    comparison = summary.comparison
    alignment = summary.selection.alignment
    assert comparison.reported_by_all and comparison.reported_by_all[0].documents == ("d0", "d1", "d2")
    for fact in comparison.reported_by_all + comparison.reported_by_some + comparison.reported_by_one:
        members = next(f for f in alignment.facts if (f.members[0].doc_id, f.members[0].sentence) ==
                       (fact.sentences[0].doc_id, fact.sentences[0].index))
        assert fact.documents == tuple(dict.fromkeys(members.documents))
    for outlet, document in zip(comparison.outlets, PACT.documents):
        assert outlet.leads_with.text == document.text.split("\n")[0]
        assert outlet.leads_with.documents == ("d0", "d1", "d2")


def test_a_headline_with_scare_quotes_is_not_used_and_the_label_says_how_one_was_chosen(encoder):
    assert scare_quotes("Putin and Kim Forge Alliance Against Common 'Aggression'")
    assert not scare_quotes("Trump says 'no collusion' again") and not scare_quotes("It's Kim's day")
    lexicon = Lexicon.from_config(RunConfig().neutral)
    only = replace(PACT, documents=(replace(PACT.documents[0], title="Norland, Sudland Forge 'Alliance'"),
                                    *PACT.documents[1:]))
    assert choose_headline(embed(only, encoder), frozenset(), lexicon) is None
    plain = replace(PACT, documents=(replace(PACT.documents[0], title="Norland and Sudland sign defence pact"),
                                     *PACT.documents[1:]))
    headline = choose_headline(embed(plain, encoder), frozenset(), lexicon)
    assert headline.text == "Norland and Sudland sign defence pact"
    assert headline.basis == "headline of d0, the only outlet with one"


def test_speculation_needs_a_named_source():
    assert speculative("The agreement hints at potential military cooperation between the two.")
    assert speculative("Kim has been accused of supplying weapons, and Putin is believed to be providing technology.")
    assert not speculative("Rachel Lee said any such treaty could have significant implications.")
    assert not speculative("Putin and Kim signed the pact on Wednesday.")
    # a named party's reaction holds the hedge as what it fears: reported, not guessed
    assert not speculative("The agreement has raised concerns in the West, with fears that it could lead to a conflict.")
    assert speculative("The agreement has raised concerns, with fears that it could lead to a conflict.")


def test_a_report_that_closes_with_a_guess_keeps_the_report_and_loses_the_guess():
    from summarizer.neutral.wording import strip_speculative_clause

    accused = ("Kim has already been accused of supplying weapons to Russia, and Putin is believed to be "
               "providing North Korea with space technology that could bolster its missile program.")
    cut = strip_speculative_clause(accused)
    assert cut.text == "Kim has already been accused of supplying weapons to Russia."
    assert cut.removed == ("and Putin is believed to be providing North Korea with space technology that could "
                           "bolster its missile program",)
    assert not speculative(cut.text)
    # a guess through and through, a guess with its source, or too little left: unchanged
    for text in ("The agreement hints at potential military cooperation, and it could change the region.",
                 "Kim signed the pact on Wednesday, and Rachel Lee said it could change the region.",
                 "Kim was accused, while Putin is believed to help."):
        assert strip_speculative_clause(text).text == text
    # inside a quotation, in either house style: the speaker's words, never cut open
    for mark in ("'", '"'):
        quoted = (f"{mark}We have to think of ourselves as the bad guys, and it is still a controversial thing to "
                  f"suggest otherwise.{mark}")
        assert strip_speculative_clause(quoted).text == quoted
    # a hostile "sentence" of 5,000 clauses: the last few boundaries are read, not every one (25 s before)
    import time

    started = time.perf_counter()
    strip_speculative_clause("Kim was accused of things in the capital today" + ", and it could be so" * 5000 + ".")
    assert time.perf_counter() - started < 3.0


def test_the_neutral_stage_cuts_the_guess_and_retrieval_counts_the_report(encoder):
    from helpers import make_cluster, select
    from summarizer.neutral.wording import neutral_sentences
    from summarizer.types import Cluster, Document

    guess = ("Kim has been accused of supplying weapons to Russia, while Putin is thought to be giving Pyongyang "
             "space technology.")
    text = "Kim has been accused of supplying weapons to Russia, and Putin is believed to help its missile program."
    documents = (Document("a", text), Document("b", guess))
    sentence = SummarySentence(text, Origin.EXTRACTED, (SentenceRef("a", 0, (0, len(text))),
                                                        SentenceRef("b", 0, (0, len(guess)))), SupportCheck(True, 1.0))
    (edited,) = neutral_sentences([sentence], Cluster("guess", documents), frozenset(),
                                  Lexicon.from_config(RunConfig().neutral))
    assert edited.text == "Kim has been accused of supplying weapons to Russia."
    # both outlets' sentences guess after the report: the fact is offered as the report it is, not last
    config = with_overrides(RunConfig(), retrieve={"scorer": "lead", "summary_words": 12, "length_ratio": 0,
                                                   "headline": False})
    other = "Flooding closed three roads in the northern province of Hamgyong on Tuesday evening."
    chosen = select(make_cluster((text, other), (guess, other)), encoder, config)
    assert chosen.groups[0].representative.text in (text, guess)


def test_a_fusion_may_not_say_twice_what_each_source_says_once():
    sources = ["Putin hinted at arming adversaries of the West.", "Putin hinted at arming Western adversaries."]
    assert repeated_stems("Putin hinted at arming Western adversaries of the West.", sources) == ["west"]
    assert repeated_stems("Russian President Putin said Russia will help.", ["Russian President Putin said Russia "
                                                                             "will help North Korea."]) == []


def test_a_modifier_no_other_outlet_uses_for_the_fact_is_deleted_though_another_fact_uses_it():
    from summarizer.neutral.wording import fact_colour, neutral_sentences
    from summarizer.types import Cluster, Document

    documents = (Document("a", "The president made the announcement during a lavish visit to Pyongyang."),
                 Document("b", "The president announced it during his visit to Pyongyang."),
                 Document("c", "Kim greeted him with a lavish welcome at the airport."))
    cluster = Cluster("colour", documents)
    sentence = SummarySentence(documents[0].text, Origin.EXTRACTED,
                               (SentenceRef("a", 0, (0, len(documents[0].text))),
                                SentenceRef("b", 0, (0, len(documents[1].text)))), SupportCheck(True, 1.0))
    lexicon = Lexicon.from_config(RunConfig().neutral)
    texts = {d.doc_id: d.text for d in documents}
    assert fact_colour(sentence, texts, lexicon) == {"lavish"}  # "c" uses it, but for another fact
    (edited,) = neutral_sentences([sentence], cluster, frozenset(), lexicon)
    assert edited.text == "The president made the announcement during a visit to Pyongyang." and edited.edits == ("lavish",)


def test_speculation_is_demoted_only_where_other_outlets_could_corroborate(encoder):
    """Speculation goes last so that what several outlets report comes first; one article has no
    other outlet, and demoting its hedged lead cost R-2 on 75 CNN/DailyMail articles (eval/README.md)."""
    from helpers import make_cluster, select

    lead = "The storm is believed to be the strongest in decades and could reach the coast on Friday."
    rest = ["The city opened three shelters near the harbour on Tuesday evening.",
            "Schools in the eastern districts will stay open this week, the mayor said."]
    assert speculative(lead)
    config = with_overrides(RunConfig(), retrieve={"scorer": "lead", "summary_words": 20, "length_ratio": 0,
                                                   "headline": False})
    alone = select(make_cluster(("", " ".join([lead, *rest]))), encoder, config)
    assert alone.groups and alone.groups[0].representative.text == lead
    pair = select(make_cluster(("", " ".join([lead, *rest])), ("", " ".join(rest))), encoder, config)
    assert lead not in [g.representative.text for g in pair.groups[:1]]
