"""Comparable cases: quality over the judged set of the repository's cases (scored over the cases
it judges), and on the fixture library honest reasons, the empty state and the score's breakdown.
Run `pytest tests/search -s` to see the figures."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from casebook.comparables import COMMON_SHARE, ComparableFinder, read_key_terms
from casebook.config import casebook_config
from evaluation.relevance import evaluate_comparables, load_judgments

JUDGED = load_judgments(Path(__file__).with_name("comparables.yaml"))
# Measured on the judged set: the word-based scorer this replaced had P@3 0.686, nDCG@5 0.769.
P3_BAR = 0.78
NDCG_BAR = 0.75


@pytest.fixture(scope="module")
def finder(catalog, index_dir):
    return ComparableFinder(catalog, read_key_terms(index_dir))


@pytest.fixture(scope="module")
def real_finder(real_catalog, real_index_dir):
    return ComparableFinder(real_catalog, read_key_terms(real_index_dir))


def test_each_judged_case_is_judged_against_at_least_three_others():
    assert {item["case"] for item in JUDGED} <= JUDGED.cases
    for item in JUDGED:
        assert len(item["judgments"]) >= 3 and set(item["judgments"]) <= JUDGED.cases - {item["case"]}, item["case"]
        assert all(value["grade"] in (0, 1, 2, 3) and value["why"].strip() for value in item["judgments"].values())


def test_comparable_quality_meets_the_bar(real_finder, real_catalog):
    library = {case.id for case in real_catalog.cases}
    precision, ndcg, judged = evaluate_comparables(
        # Ranked further than a page shows: the cases nobody judged are dropped before scoring.
        lambda case_id: [c.id for c in real_finder.similar(case_id, limit=4 * real_finder.shown).close], JUDGED, library)
    print(f"\ncomparable cases: P@3 = {precision:.3f}, nDCG@5 = {ndcg:.3f} over {judged} cases")
    assert precision >= P3_BAR and ndcg >= NDCG_BAR


def test_the_women_in_the_grid_cases_lead_each_other(finder):
    for case_id, others in (
            ("jinjiang-grid-womens-groups", {"ningguo-songhe-grid-baobao", "songming-xiaojie-womens-federation"}),
            ("songming-xiaojie-womens-federation", {"ningguo-songhe-grid-baobao", "jinjiang-grid-womens-groups"})):
        close = finder.similar(case_id).close
        assert others <= {c.id for c in close[:3]}, case_id
    ningguo = {c.id: c for c in finder.similar("jinjiang-grid-womens-groups").close}["ningguo-songhe-grid-baobao"]
    assert ningguo.reasons[0].startswith("同样发动妇联和妇女骨干")


def test_the_other_points_system_county_comes_before_unrelated_ones(finder):
    ids = [c.id for c in finder.similar("fenggang-party-masses-direct-deliberation").close]
    assert "jinchuan-tongxin-365" in ids[:3]
    reasons = {c.id: c.reasons for c in finder.similar("fenggang-party-masses-direct-deliberation").close}
    assert "用积分制激励参与" in reasons["jinchuan-tongxin-365"][0] and "（县级）" in reasons["jinchuan-tongxin-365"][0]


def test_a_case_without_comparables_says_so_and_offers_related_cases_apart(finder):
    found = finder.similar("chaoyang-nongzhanguan-lake-water-supply")
    assert found.close == ()
    assert [c.id for c in found.related] == ["jinchuan-tongxin-365"]
    assert found.related[0].reasons == ("同样针对多部门协同难",)


def test_reasons_name_what_is_shared_never_bare_context(finder, catalog):
    """Every case shown is above the threshold and comes with reasons built from its mechanisms,
    actors or problems: no "同为县层级" or "都提到妇女"."""
    for case in catalog.cases:
        for comparable in finder.similar(case.id).close:
            assert comparable.score >= finder.threshold and comparable.reasons, (case.id, comparable.id)
            assert all(reason.startswith("同样") for reason in comparable.reasons), comparable.reasons
            assert not any(word in "".join(comparable.reasons) for word in ("同为", "都提到", "共同关键词"))


def test_the_ranking_adds_up_the_same_parts_as_the_breakdown(finder, catalog):
    """The ranking accumulates scores feature by feature through postings; in a library this
    small no posting is cut, so it must agree with the breakdown shown by `similar --why`."""
    for case in catalog.cases:
        ranked = dict((other_id, score) for score, other_id in finder.ranked(case.id))
        for comparable in finder.similar(case.id).close:
            assert ranked[comparable.id] == pytest.approx(comparable.score)
            # What a practice is weighs more than its words.
            assert comparable.breakdown["text"] < comparable.score / 2


def test_a_case_without_comparables_is_offered_first_the_cases_run_by_the_same_kind_of_actor(catalog):
    """Who runs a practice: with no case comparable (a threshold none reaches), the related list
    starts with the cases sharing one of its actors, said with the actor's reason, the closest
    first (by the score that fell short), before the cases that only share a province or a problem."""
    out_of_reach = casebook_config({"comparables": {"threshold": 2.0}})
    finder = ComparableFinder(dataclasses.replace(catalog, config=out_of_reach), {})
    reason_of = {tag.name: tag.reason for tag in catalog.vocabulary.tags if tag.group == "主体"}
    offered = 0
    for case in catalog.cases:
        found = finder.similar(case.id, limit=len(catalog.cases))
        assert found.close == ()
        actors = {tag for tag in case.tags if tag in reason_of and finder.common[tag] <= COMMON_SHARE}
        by_actor = [c.id for c in found.related if any(reason_of[tag] in c.reasons[0] for tag in actors)]
        score = {other_id: points for points, other_id in finder.ranked(case.id)}
        expected = sorted((other.id for other in catalog.cases if other.id != case.id and actors & set(other.tags)),
                          key=lambda other_id: (-score.get(other_id, 0.0), other_id))
        assert by_actor == expected == [c.id for c in found.related][:len(expected)], case.id
        offered += len(expected)
    assert offered  # the fixture library has cases sharing an actor
