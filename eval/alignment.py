"""Cross-outlet fact alignment against the hand-labelled dev set (eval/alignment/devset.json).

    python eval/alignment.py [--devset eval/alignment/devset.json] [--held-out] [--errors]
                             [--output eval/results/alignment-DATE.json] [--set align.KEY=VALUE ...]

Scores the alignment stage (``align``) beside the former seed-centred grouping (retrieval's
``group_facts`` at ``retrieve.group_threshold``) on every labelled cluster:

- (fact, outlet) precision: of the outlets a multi-outlet group says report its fact (the labelled
  fact it overlaps most), the share whose sentence does state it (members or 'also');
- (fact, outlet) recall: of the outlets of each labelled fact that two outlets or more report
  (its members), the share found together in one predicted multi-outlet group;
- link precision and recall over cross-outlet sentence pairs put in one group.

The bundled pair model's context part was fitted on these clusters: ``--held-out`` refits it for
each cluster on the others only (leave one cluster out), the honest estimate. ``--errors`` prints
every wrong and missed (fact, outlet) pair with its sentence, for reading.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from summarizer.align.aligner import align
from summarizer.align.devset import LabelledCluster, load_devset
from summarizer.align.pair_model import load_pair_model
from summarizer.align.stage import cross_scores
from summarizer.align.training import context_rows, fit_context
from summarizer.config import load_config, merged_config
from summarizer.config_schema import RunConfig
from summarizer.embed.encoder import embed_clusters, get_encoder
from summarizer.pipeline import Pipeline
from summarizer.registries import SCORERS
from summarizer.retrieve.grouping import candidate_mask, sentence_word_counts
from summarizer.retrieve.scoring import cluster_signals
from summarizer.embed.similarity import Similarity


def score(labelled: LabelledCluster, groups: list[list[int]]) -> dict:
    """(fact, outlet) and link counts of one cluster's predicted groups against its labels."""
    keys, facts = labelled.keys, labelled.facts
    outlet = [k.split(":")[0] for k in keys]
    result = defaultdict(int, wrong=[], missed=[])
    multi = [[keys[i] for i in g] for g in groups if len({outlet[i] for i in g}) > 1]
    for group in multi:
        fact = max(facts, key=lambda f: (len(f.accepted & set(group)), len(f.members & set(group))), default=None)
        accepted = fact.accepted if fact else frozenset()
        for key in group:
            result["claimed"] += 1
            if key in accepted and len(accepted & set(group)) > 1:
                result["right"] += 1
            else:
                result["wrong"].append({"fact": fact.name if fact else "", "sentence": key, "group": group})
        for a, left in enumerate(group):
            for right in group[a + 1:]:
                result["links"] += 1
                result["right_links"] += any(left in f.accepted and right in f.accepted for f in facts)
    for fact in facts:
        outlets = {k.split(":")[0] for k in fact.members}
        if len(outlets) < 2:
            continue
        result["gold"] += len(outlets)
        best = max(multi, key=lambda g: len({k.split(":")[0] for k in g if k in fact.members}), default=[])
        covered = {k.split(":")[0] for k in best if k in fact.accepted}
        credit = outlets & covered if len(covered) > 1 else set()
        result["found"] += len(credit)
        result["missed"] += [{"fact": fact.name, "outlet": o, "group": best} for o in sorted(outlets - credit)]
        members = sorted(fact.members)
        for a, left in enumerate(members):
            for right in members[a + 1:]:
                if left.split(":")[0] != right.split(":")[0]:
                    result["gold_links"] += 1
                    result["found_links"] += any(left in g and right in g for g in multi)
    return result


def also_counts(labelled: LabelledCluster, aligned) -> tuple[int, int]:
    """Second-part links (``Fact.also``) right by the labels, and all of them: a link is right when
    its sentence is a member or ``also`` of the labelled fact the predicted fact overlaps most."""
    right = claimed = 0
    for fact in aligned.facts:
        keys = {labelled.keys[m.position] for m in fact.members}
        gold = max(labelled.facts, key=lambda f: len(f.accepted & keys), default=None)
        for member in fact.also:
            claimed += 1
            right += gold is not None and bool(gold.accepted & keys) and labelled.keys[member.position] in gold.accepted
    return right, claimed


# The former grouping (retrieve/grouping.py until the alignment stage replaced it), kept here as
# the baseline this dev set is scored against.
def group_facts(segmented, pairwise, salience: np.ndarray,
                candidate: np.ndarray) -> list[list[int]]:
    """Greedy grouping: each candidate, by salience, takes its best match from every other doc.

    A seed's best unassigned match in a document joins it when it reaches the grouping threshold
    (``pairwise.threshold``), so only the sentences at or above it are looked at (``close_to``),
    then the best of those per document (the first of equal maxima, as a scan in document order
    would give). Work per seed does not grow with the number of documents.
    """
    doc_of = [s.doc_id for s in segmented.sentences]
    doc_index = {doc: k for k, doc in enumerate(dict.fromkeys(doc_of))}
    doc_number = np.array([doc_index[d] for d in doc_of], dtype=int)
    assigned = np.zeros(len(doc_of), dtype=bool)
    groups: list[list[int]] = []
    for seed in sorted(np.flatnonzero(candidate), key=lambda i: (-salience[i], i)):
        if assigned[seed]:
            continue
        members = [int(seed)]
        assigned[seed] = True
        close, values = pairwise.close_to(int(seed))
        keep = ~assigned[close] & (doc_number[close] != doc_number[seed])
        close, values = close[keep], values[keep]
        if close.size:
            # per document (in document order) the closest, then the lowest index among equals
            order = np.lexsort((close, -values, doc_number[close]))
            ranked = close[order]
            _, first_of_document = np.unique(doc_number[ranked], return_index=True)
            best = ranked[first_of_document]
            members.extend(int(b) for b in best)
            assigned[best] = True
        groups.append(members)
    return groups


def former_groups(embedded, config: RunConfig, similarity: Similarity) -> list[list[int]]:
    """Retrieval's former grouping; sentences it left out (no candidate seed reached them) alone."""
    signals = cluster_signals(embedded, similarity, config.retrieve)
    salience = SCORERS.get(config.retrieve.scorer)(signals, config.retrieve)
    candidate = candidate_mask(embedded.segmented, sentence_word_counts(embedded.segmented), config.retrieve)
    groups = group_facts(embedded.segmented, signals.pairwise, salience, candidate)
    grouped = {i for g in groups for i in g}
    return groups + [[i] for i in range(len(embedded.sentences)) if i not in grouped]


def comparison_errors(labelled: LabelledCluster, comparison) -> list[str]:
    """What the comparison says that the labels contradict: an outlet listed for a fact its sentence
    does not state; a fact listed as one outlet's that another outlet's sentence states; an outlet
    said to leave out a fact one of its sentences states (as a member or a second part)."""
    key = {(s.doc_id, s.index): k for s, k in zip(labelled.segmented.sentences, labelled.keys)}
    errors = []

    def gold(fact) -> tuple | None:
        keys = [key[(r.doc_id, r.index)] for r in fact.sentences]
        return max(labelled.facts, key=lambda f: len(f.accepted & set(keys)), default=None), keys

    for name, facts in (("all", comparison.reported_by_all), ("some", comparison.reported_by_some)):
        for fact in facts:
            truth, keys = gold(fact)
            wrong = [k for k in keys if truth is None or k not in truth.accepted]
            if wrong:
                errors.append(f"reported by {name}: {', '.join(wrong)} do not state '{fact.text[:60]}'")
    for fact in comparison.reported_by_one:
        (only,) = [key[(r.doc_id, r.index)] for r in fact.sentences]
        others = [f for f in labelled.facts if only in f.accepted and len({k.split(':')[0] for k in f.members}) > 1]
        if others:
            errors.append(f"reported by one: {only} is '{others[0].name}', which other outlets report")
    outlet_keys = {k.split(":")[0] for k in labelled.keys}
    for profile in comparison.outlets:
        short = next(o for o in outlet_keys if profile.doc_id.startswith(o) or profile.doc_id == o)
        for fact in profile.omissions:
            truth, _ = gold(fact)
            if truth and any(k.split(":")[0] == short for k in truth.accepted):
                errors.append(f"{short} said to leave out '{truth.name}', which it states")
    return errors


def _as_comparison(record: dict) -> SimpleNamespace:
    """A saved JSON comparison section as objects with the fields ``comparison_errors`` reads."""
    def fact(f: dict) -> SimpleNamespace:
        return SimpleNamespace(text=f["text"], documents=tuple(f["documents"]), sentences=tuple(
            SimpleNamespace(doc_id=s["doc_id"], index=s["sentence_index"]) for s in f["sentences"]))

    return SimpleNamespace(
        reported_by_all=[fact(f) for f in record["reported_by_all"]],
        reported_by_some=[fact(f) for f in record["reported_by_some"]],
        reported_by_one=[fact(f) for f in record["reported_by_one"]],
        outlets=[SimpleNamespace(doc_id=o["doc_id"], omissions=[fact(f) for f in o["omissions"]])
                 for o in record["outlets"]])


def rates(t: dict) -> dict:
    return {"fact_outlet_precision": t["right"] / max(1, t["claimed"]), "fact_outlet_recall": t["found"] / max(1, t["gold"]),
            "link_precision": t["right_links"] / max(1, t["links"]), "link_recall": t["found_links"] / max(1, t["gold_links"]),
            "claimed": t["claimed"], "gold": t["gold"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", default="eval/alignment/devset.json")
    parser.add_argument("--output", default="")
    parser.add_argument("--set", action="append", default=[], metavar="align.KEY=VALUE")
    parser.add_argument("--held-out", action="store_true", help="refit the context part without each cluster")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--comparisons", default="", help="score the comparison sections of this JSON Lines file "
                        "(run --format jsonl of another version) instead of running this version's pipeline")
    args = parser.parse_args(argv)
    overrides: dict = {}
    for item in args.set:
        key, _, value = item.partition("=")
        section, _, name = key.partition(".")
        overrides.setdefault(section, {})[name] = json.loads(value)
    config = merged_config(load_config(None), overrides) if overrides else load_config(None)
    clusters = load_devset(args.devset, config)
    encoder = get_encoder(config.embedding)
    similarity = Similarity(encoder, config.retrieve.lexical_weight)
    model = load_pair_model(config.align.pair_model)
    cross = cross_scores(config.align, config.embedding.device)
    rows = context_rows(clusters, encoder, config.align.min_similarity, cross) if args.held_out else None
    totals: dict[str, dict[str, dict]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    report: dict = {}
    models = {}
    for labelled in clusters:
        embedded = embed_clusters([labelled.segmented], encoder)[0]
        if rows is not None:  # the context part fitted without this cluster
            keep = rows.cluster != labelled.name
            held_out = dataclasses.replace(rows, features=rows.features[keep], labels=rows.labels[keep],
                                           cluster=rows.cluster[keep])
            used = dataclasses.replace(model, context=fit_context(held_out))
        else:
            used = model
        models[labelled.name] = used
        aligned = align(embedded.sentences, embedded.vectors, [d.doc_id for d in embedded.cluster.documents], used,
                        config.align.min_similarity, config.align.same_fact_probability, cross)
        for scope in ("seeds" if labelled.name == "seeds" else "neus", "all"):
            right, claimed = also_counts(labelled, aligned)
            totals["second parts"][scope]["right"] += right
            totals["second parts"][scope]["claimed"] += claimed
        methods = {"former grouping": former_groups(embedded, config, similarity),
                   "alignment": [list(f.positions) for f in aligned.facts]}
        for method, groups in methods.items():
            result = score(labelled, groups)
            for scope in ("seeds" if labelled.name == "seeds" else "neus", "all"):
                for k, v in result.items():
                    if isinstance(v, int):
                        totals[method][scope][k] += v
            report.setdefault(labelled.name, {})[method] = dict(result)
            if args.errors and method == "alignment":
                text = dict(zip(labelled.keys, (s.text for s in labelled.segmented.sentences)))
                for wrong in result["wrong"]:
                    print(f"WRONG  {labelled.name} [{wrong['fact']}] {wrong['sentence']}: "
                          f"{text[wrong['sentence']][:100]}  (group {wrong['group']})")
                for missed in result["missed"]:
                    print(f"MISSED {labelled.name} [{missed['fact']}] {missed['outlet']} (best {missed['group']})")
    saved = {}
    if args.comparisons:  # another version's output: its comparison sections, read as records
        for line in Path(args.comparisons).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            saved[record["id"]] = _as_comparison(record["comparison"])
    folder = tempfile.TemporaryDirectory()
    wrong_claims = 0
    for labelled in clusters:
        cluster = labelled.segmented.cluster
        if saved:
            comparison = saved[cluster.cluster_id]
        else:  # this version's pipeline, with the pair model this cluster was aligned with
            path = Path(folder.name) / f"{labelled.name}.json"
            models[labelled.name].save(path)
            comparison = Pipeline(merged_config(config, {"fuse": {"backend": "extractive"},
                                                         "align": {"pair_model": str(path)}})).summarize(cluster).comparison
        errors = comparison_errors(labelled, comparison)
        wrong_claims += len(errors)
        report.setdefault(labelled.name, {})["comparison errors"] = errors
        if args.errors:
            for error in errors:
                print(f"COMPARISON {labelled.name}: {error}")
    print(f"comparison lists contradicted by the labels ({args.comparisons or 'this version'}): {wrong_claims}")
    print(f"{'method':16} {'scope':6} {'P(f,o)':>7} {'R(f,o)':>7} {'P link':>7} {'R link':>7}  claimed/gold")
    summary = {}
    also = totals.pop("second parts")
    for method, scopes in totals.items():
        for scope in ("seeds", "neus", "all"):
            row = summary.setdefault(method, {})[scope] = rates(scopes[scope])
            print(f"{method:16} {scope:6} {row['fact_outlet_precision']:7.3f} {row['fact_outlet_recall']:7.3f} "
                  f"{row['link_precision']:7.3f} {row['link_recall']:7.3f}  {row['claimed']}/{row['gold']}")
    for scope in ("seeds", "neus", "all"):
        right, claimed = also[scope]["right"], also[scope]["claimed"]
        summary.setdefault("second parts", {})[scope] = {"precision": right / max(1, claimed), "claimed": claimed}
        print(f"second-part links (Fact.also), {scope}: {right} of {claimed} right by the labels")
    if args.output:
        Path(args.output).write_text(json.dumps({"held_out": args.held_out, "align": dataclasses.asdict(config.align),
                                                 "summary": summary, "clusters": report}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
