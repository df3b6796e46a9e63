"""What the browser runs is as good as the CLI: the judged queries (tests/search/relevance.yaml)
typed into the header box and opened in the finder of the repository's library, in Chromium,
scored over the cases the set judges. Run with -s to see the figures."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from casebook.index import CaseIndex
from evaluation.relevance import K, evaluate, load_judgments
from test_search_box import BOX, box_case_ids, finder_case_ids, type_into_box

JUDGMENTS = load_judgments(Path(__file__).parents[1] / "search" / "relevance.yaml")


def test_header_box_and_finder_agree_and_rank_at_least_as_well_as_the_cli(page, real_site_url, real_catalog, real_index_dir):
    site_url = real_site_url
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
        in_finder[item["query"]] = finder_case_ids(finder)
    # The same engine behind both: the same five cases, in the same order, for every query.
    assert in_box == {query: ids[:K] for query, ids in in_finder.items()}

    library = {case.id for case in real_catalog.cases}
    cli = CaseIndex(real_index_dir)
    try:
        # As many as the finder's first page shows: the cases nobody judged are dropped before scoring.
        cli_ndcg, cli_recall = evaluate(lambda q: [hit.id for hit in cli.search(q, limit=len(in_finder[q]))],
                                        JUDGMENTS, library)
    finally:
        cli.close()
    ndcg, recall = evaluate(lambda q: in_finder[q], JUDGMENTS, library)
    print(f"\nbrowser engine: nDCG@5 = {ndcg:.3f}, recall@5 = {recall:.3f}; "
          f"CLI (Whoosh): nDCG@5 = {cli_ndcg:.3f}, recall@5 = {cli_recall:.3f} over {len(JUDGMENTS)} queries")
    assert ndcg >= cli_ndcg and recall >= cli_recall
