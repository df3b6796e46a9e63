"""Search quality on the repository's cases: nDCG@5 and recall@5 over a judged query set, scored
over the cases it judges (a case added since is dropped from the rankings before scoring).

The same set is also run against Whoosh's default analyzer (StandardAnalyzer), to show what the
Chinese analysis adds; run `pytest tests/search -s` to see both sets of figures. How queries in
either script and tag synonyms are answered is tested on the fixture library.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup

from casebook.index import SEARCHED_FIELDS, CaseIndex, field_texts
from evaluation.relevance import evaluate, load_judgments

JUDGMENTS = load_judgments(Path(__file__).with_name("relevance.yaml"))
NDCG_BAR = 0.90
RECALL_BAR = 0.95
TEXT_FIELDS = list(SEARCHED_FIELDS)  # each a Whoosh field of its own here


RANKED = 50  # ranked before the unjudged cases are dropped and the first five scored


@pytest.fixture(scope="module")
def case_index(index_dir):
    opened = CaseIndex(index_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def real_index(real_index_dir):
    opened = CaseIndex(real_index_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def evaluate_ranking(real_catalog):
    library = {case.id for case in real_catalog.cases}
    return lambda rank: evaluate(rank, JUDGMENTS, library)


def test_relevance_set_is_large_and_well_formed():
    assert len(JUDGMENTS) >= 25
    assert all(set(item["judgments"]) <= JUDGMENTS.cases for item in JUDGMENTS)
    assert all(grade in (1, 2) for item in JUDGMENTS for grade in item["judgments"].values())


def test_search_quality_meets_the_bar(real_index, evaluate_ranking):
    ndcg, recall = evaluate_ranking(lambda q: [hit.id for hit in real_index.search(q, limit=RANKED)])
    print(f"\ncasebook analyzer: nDCG@5 = {ndcg:.3f}, recall@5 = {recall:.3f} over {len(JUDGMENTS)} queries")
    assert ndcg >= NDCG_BAR and recall >= RECALL_BAR


def test_default_analyzer_does_worse(real_catalog, real_index, evaluate_ranking, tmp_path):
    schema = Schema(id=ID(stored=True), **{name: TEXT(analyzer=StandardAnalyzer()) for name in TEXT_FIELDS})
    ix = whoosh_index.create_in(tmp_path, schema)
    synonyms = {tag.name: tag.synonyms for tag in real_catalog.vocabulary.tags}
    with ix.writer() as writer:
        for case in real_catalog.cases:
            writer.add_document(id=case.id, **field_texts(case, synonyms))
    parser = MultifieldParser(TEXT_FIELDS, schema, group=OrGroup)
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        baseline = evaluate_ranking(lambda q: [hit["id"] for hit in searcher.search(parser.parse(q), limit=RANKED)])
    ours = evaluate_ranking(lambda q: [hit.id for hit in real_index.search(q, limit=RANKED)])
    print(f"\nWhoosh default analyzer: nDCG@5 = {baseline[0]:.3f}, recall@5 = {baseline[1]:.3f}")
    assert ours[0] > baseline[0] and ours[1] > baseline[1]


@pytest.mark.parametrize("query, province, expected", [
    ("積分制", None, "fenggang-party-masses-direct-deliberation"),
    ("網格員", "福建省", "jinjiang-grid-womens-groups"),
    ("网格包保", None, "ningguo-songhe-grid-baobao"),  # the case written from a traditional source
])
def test_traditional_and_simplified_queries_find_the_case(case_index, query, province, expected):
    assert expected in [hit.id for hit in case_index.search(query, province=province, limit=3)]


def test_synonyms_expand_queries(case_index):
    ids = [hit.id for hit in case_index.search("积分管理", limit=5)]
    assert "honghuagang-jinianguan-reporting-party-members" in ids
