"""The two implementations of the browser's ranking agree: search-engine.js in Chromium over the
built fixture site, and casebook.finder_ranking over the same index files, score a shared set of
queries (the judged queries, traditional script, tag synonyms, whole questions, words no case
holds) with the same cases, in the same order, with the same scores."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from casebook.finder_ranking import rank, site_files
from evaluation.relevance import load_judgments

JUDGED = [item["query"] for item in load_judgments(Path(__file__).parents[1] / "search" / "relevance.yaml")]
MORE = [
    "積分管理",                     # a tag's synonym, in traditional script: the tag's bonus
    "网格化管理 积分制 楼栋长",      # several words: coverage
    "怎样调动居民参与小区治理",       # a whole question: question words out, the weak matches cut
    "如何發揮婦聯執委作用，讓婦女參與基層治理？",
    "老旧小区加装电梯",              # a word no case holds
    "ＡＢＣ 2024 党建",              # full-width Latin letters and numbers
]
QUERIES = list(dict.fromkeys(JUDGED + MORE))


@pytest.fixture
def in_browser(page, site_url) -> dict[str, list[tuple[str, float]]]:
    page.goto(site_url)
    return {query: [(case_id, score) for case_id, score in ranked] for query, ranked in page.evaluate(
        """queries => new Promise(resolve => casebook.define("ranking-probe", ["engine"], async engine => {
            const results = [];
            for (const query of queries) {
              const found = await engine.search(query);
              const rows = await engine.cases(found.ranked);
              results.push([query, rows.map((row, i) => [row.id, found.scores.get(found.ranked[i])])]);
            }
            resolve(results);
        }))""", QUERIES)}


def test_python_and_the_browser_rank_every_query_alike(in_browser, built_site):
    files = site_files(built_site)
    for query in QUERIES:
        ours, theirs = rank(query, files), in_browser[query]
        assert [case_id for case_id, _ in ours] == [case_id for case_id, _ in theirs], query
        for (case_id, score), (_, expected) in zip(ours, theirs, strict=True):
            assert math.isclose(score, expected, rel_tol=1e-6), (query, case_id, score, expected)
    # Not an agreement on nothing: most queries find cases, and some find many.
    assert sum(bool(in_browser[query]) for query in QUERIES) >= 0.9 * len(QUERIES)
    assert max(len(ranked) for ranked in in_browser.values()) >= 5
