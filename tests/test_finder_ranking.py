"""casebook.finder_ranking: the browser's ranking in Python, over the index finder.py writes.
That it equals the browser's own is tested in Chromium (tests/browser/test_engine_parity.py)."""

from __future__ import annotations

import pytest

from casebook.catalog import read_catalog
from casebook.finder import finder_files
from casebook.finder_ranking import rank

POINTS_CASES = {"fenggang-party-masses-direct-deliberation", "honghuagang-jinianguan-reporting-party-members",
                "ningguo-songhe-grid-baobao"}


@pytest.fixture(scope="module")
def files(project):
    return finder_files(read_catalog(project))


def test_traditional_script_ranks_as_simplified(files):
    assert rank("網格員", files) == rank("网格员", files) != []


def test_a_tag_named_by_its_synonym_lifts_the_tag_s_cases(files, project):
    tagged = {case.id for case in read_catalog(project).cases if "积分制" in case.tags}
    ranked = [case_id for case_id, _ in rank("积分管理", files)]
    assert POINTS_CASES <= tagged and set(ranked[:len(tagged)]) == tagged


def test_a_long_question_keeps_only_the_strong_matches(files):
    """Of the cases any pair of the question reaches, those under KEEP_SHARE of the best are cut."""
    question = "怎样调动居民参与小区治理"
    reached = {case_id for pair in ("居民", "参与", "小区", "治理", "调动") for case_id, _ in rank(pair, files)}
    kept = rank(question, files)
    assert 0 < len(kept) < len(reached)
    assert [score for _, score in kept] == sorted((score for _, score in kept), reverse=True)
