"""What the browser runs is as good as the CLI: the judged queries (tests/search/relevance.yaml)
typed into the header box and opened in the finder, in Chromium. Run with -s to see the figures."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from casebook.relevance import K, evaluate, load_judgments
from casebook.catalog import read_catalog
from casebook.index import CaseIndex, ensure_index
from test_search_box import BOX, box_case_ids, finder_case_ids, type_into_box

JUDGMENTS = load_judgments(Path(__file__).parents[1] / "search" / "relevance.yaml")


def test_header_box_and_finder_agree_and_rank_at_least_as_well_as_the_cli(page, site_url, project, tmp_path):
    page.goto(site_url + "about/")
    in_box, in_finder = {}, {}
    for item in JUDGMENTS:
        query = item["query"]
        type_into_box(page, query)
        page.wait_for_function("q => document.querySelector('form.cb-search--header .cb-search__all')"
                               "?.href.endsWith('?q=' + encodeURIComponent(q))", arg=page.locator(
                                   f"{BOX} input[name=q]").input_value())
        in_box[query] = box_case_ids(page)[:K]
    finder = page.context.new_page()
    for item in JUDGMENTS:
        finder.goto(site_url + "finder/?q=" + quote(item["query"]))
        in_finder[item["query"]] = finder_case_ids(finder)[:K]
    # The same engine behind both: the same five cases, in the same order, for every query.
    assert in_box == in_finder

    index_dir = tmp_path / "index"
    ensure_index(read_catalog(project), index_dir, project.dictionary_path)
    cli = CaseIndex(index_dir)
    try:
        cli_ndcg, cli_recall = evaluate(lambda q: [hit.id for hit in cli.search(q, limit=K)], JUDGMENTS)
    finally:
        cli.close()
    ndcg, recall = evaluate(lambda q: in_box[q], JUDGMENTS)
    print(f"\nbrowser engine: nDCG@5 = {ndcg:.3f}, recall@5 = {recall:.3f}; "
          f"CLI (Whoosh): nDCG@5 = {cli_ndcg:.3f}, recall@5 = {cli_recall:.3f} over {len(JUDGMENTS)} queries")
    assert ndcg >= cli_ndcg and recall >= cli_recall
