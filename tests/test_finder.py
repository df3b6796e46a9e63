"""The browser's search index: the analysis search-engine.js mirrors, and what the files hold."""

import dataclasses
import json
import re

from casebook.catalog import read_catalog
from casebook.finder import (
    FOLDING_SCRIPT,
    YEAR_UNKNOWN,
    FinderState,
    finder_files,
    hand_written_pages,
    listing_orders,
    shard_of,
    title_sort_key,
    tokens,
)
from casebook.memo import CaseMemo
from casebook.routes import match
from casebook.search_contract import LISTING_ORDERS, ROWS_PER_FILE, tag_term
from helpers import copy_project, dump_case, write_case


def named(files: dict[str, str]) -> dict[str, str]:
    """The search index's files by their names (meta, terms/3 …), wherever the build put them."""
    return {keys["path"]: text for path, text in files.items() if (keys := match("finder_index", path))}


def data(script: str):
    """The data a finder index script hands to casebook.receiveIndex."""
    return json.loads(re.fullmatch(r'casebook\.receiveIndex\("[^"]+",(.*)\);\n', script, re.S).group(1))


def test_tokens_are_character_pairs_folded_to_simplified():
    assert tokens("網格員") == ["网格", "格员"]
    assert tokens("ＡＢＣ 12 积") == ["abc", "12", "积"]


def test_shard_hash_is_fnv1a_as_in_the_engine():
    # 0x811c9dc5 ^ ord("a") * 0x01000193 mod 2**32, the FNV-1a test vector for "a"
    assert shard_of("a", 2**32) == 0xE40C292C


def test_every_pair_of_a_case_is_in_its_shard(project):
    catalog = read_catalog(project)
    files = finder_files(catalog)
    meta = data(named(files)["meta"])
    assert meta["count"] == len(catalog.cases)
    for token in tokens(catalog.cases[0].title):
        assert token in data(named(files)[f"terms/{shard_of(token, meta['shards'])}"])


def test_a_title_pair_outweighs_the_same_pair_in_the_body_only(project):
    catalog = read_catalog(project)
    files = finder_files(catalog)
    meta = data(named(files)["meta"])
    postings = data(named(files)[f"terms/{shard_of('格姐', meta['shards'])}"])["格姐"]
    numbers, weights, previous = [], [], 0
    for gap, weight in zip(postings[::2], postings[1::2], strict=True):
        previous += gap
        numbers.append(previous)
        weights.append(weight)
    ids = [catalog.cases[n].id for n in numbers]
    assert ids[weights.index(max(weights))] == "jinjiang-grid-womens-groups"  # 格姐 is in its title


def test_each_tag_lists_its_cases_under_its_own_term(project):
    catalog = read_catalog(project)
    files = finder_files(catalog)
    meta = data(named(files)["meta"])
    term = tag_term("积分制")
    flat = data(named(files)[f"terms/{shard_of(term, meta['shards'])}"])[term]
    numbers = [sum(flat[0:i + 1:2]) for i in range(0, len(flat), 2)]
    assert {catalog.cases[n].id for n in numbers} == {c.id for c in catalog.cases if "积分制" in c.tags}
    assert "积分管理" in meta["tags"]["积分制"]  # the synonyms a query may name the tag by


def test_what_a_first_query_loads_does_not_grow_with_the_library(project):
    """meta.js holds no per-case list: the facts per case are in facets.js, for the finder only."""
    catalog = read_catalog(project)
    meta = data(named(finder_files(catalog))["meta"])
    assert not any(isinstance(value, list) and len(value) == len(catalog.cases) for value in meta.values())
    facets = data(named(finder_files(catalog))["facets"])
    assert len(facets["docs"]) == len(catalog.cases)


def test_hand_written_pages_are_indexed_as_plain_text(project):
    pages = {page.path: page for page in hand_written_pages(project.root / "docs", project.contributing_path)}
    assert {"about", "contributing", "downloads", "finder"} <= set(pages)
    assert "index" not in pages  # the home page is generated from the cases
    assert pages["about"].title == "关于本案例库"
    assert pages["finder"].title == "案例检索"  # from the front matter
    assert pages["contributing"].title.startswith("投稿")
    downloads = pages["downloads"].text
    assert "cases.csv" in downloads and "](" not in downloads and "|" not in downloads and "#" not in downloads
    files = finder_files(read_catalog(project), list(pages.values()))
    listed = data(named(files)["pages"])
    assert [row[0] for row in listed] == sorted(pages)


def test_the_folding_script_maps_traditional_characters_onto_those_the_index_holds(project):
    """網格員 typed in a search box becomes 网格员; every character it folds to is in the index."""
    catalog = read_catalog(project)
    files = finder_files(catalog, hand_written_pages(project.root / "docs", project.contributing_path))
    variants = json.loads(re.search(r"const variants = (\{.*?\});", files[FOLDING_SCRIPT]).group(1))
    assert "".join(variants.get(character, character) for character in "網格員") == "网格员"
    indexed = "".join(token for name, script in named(files).items() if name.startswith("terms/")
                      for token in data(script))
    pages = data(named(files)["pages"])
    assert set(variants.values()) <= set(indexed) | set("".join(title + text for _, title, text in pages))
    assert all(len(key) == 1 and key != value for key, value in variants.items())


def test_an_edit_updates_the_previous_shards_as_a_full_build_would(project):
    """With a state kept between builds, an edit that leaves the average length as it was
    updates the previous shards in place; the files equal those of a build from scratch."""
    catalog = read_catalog(project)
    memo, state = CaseMemo(), FinderState()
    before = finder_files(catalog, (), memo, state, content_named=False)  # as a preview keeps them
    first, *others = catalog.cases
    # Same length, other characters: new pairs, the same average length.
    edited = dataclasses.replace(first, background=first.background.replace(first.background[:4], "楼栋议事", 1))
    catalog_edited = dataclasses.replace(catalog, cases=(edited, *others))
    key = state.key
    memo.new_build()
    after = finder_files(catalog_edited, (), memo, state, content_named=False)
    assert state.key == key  # the shards were updated, not rebuilt
    assert after == finder_files(catalog_edited, content_named=False)
    changed = [name for name in before if before[name] != after[name]]
    assert changed and all(name == FOLDING_SCRIPT or match("finder_index", name)["path"].startswith("terms/")
                           for name in changed)


def test_every_listing_order_holds_every_case_once_in_pages_of_rows(project):
    catalog = read_catalog(project)
    files = finder_files(catalog)
    overview = data(named(files)["overview"])
    assert overview["count"] == len(catalog.cases)
    rows_by_id = {row[0]: row for row in (data(named(files)[f"docs/{n}"])
                                          for n in range(0, (len(catalog.cases) - 1) // ROWS_PER_FILE + 1))
                  for row in row}
    for order, _ in LISTING_ORDERS:
        numbers = data(named(files)[f"order/{order}"])
        assert sorted(numbers) == list(range(len(catalog.cases))), order
        listed = [row for n in range(0, (len(numbers) - 1) // ROWS_PER_FILE + 1)
                  for row in data(named(files)[f"list/{order}/{n}"])]
        # A page of the list shows what a search result shows, in the order's sequence.
        assert listed == [rows_by_id[catalog.cases[n].id] for n in numbers], order


def test_listing_orders_sort_newest_first_by_province_and_by_pinyin_of_the_title(project):
    catalog = read_catalog(project)
    orders = listing_orders(catalog)
    cases = catalog.cases
    dates = [cases[n].reported_date for n in orders["newest"] if cases[n].reported_date]
    assert dates == sorted(dates, reverse=True)
    provinces = catalog.vocabulary.province_names
    ranks = [provinces.index(cases[n].region.province) for n in orders["province"]]
    assert ranks == sorted(ranks)
    keys = [title_sort_key(cases[n].title) for n in orders["title"]]
    assert keys == sorted(keys)
    # By sound, not by code point: 安 (an) before 北 (bei) before 昌 (chang), whatever their code points.
    assert sorted(["昌吉", "北京", "安宁"], key=title_sort_key) == ["安宁", "北京", "昌吉"]


def test_overview_counts_each_filter_value_as_the_per_case_facets_do(project):
    catalog = read_catalog(project)
    files = finder_files(catalog)
    overview = data(named(files)["overview"])["counts"]
    facets = data(named(files)["facets"])
    for column, facet in enumerate(facets["facets"]):
        counted: dict[str, int] = {}
        for doc in facets["docs"]:
            cell = doc[column]
            for position in cell if isinstance(cell, list) else [cell]:
                value = facets["values"][facet][position]
                counted[value] = counted.get(value, 0) + 1
        assert overview[facet] == counted, facet
    problems = {problem for case in catalog.cases for problem in case.problems}
    assert set(overview["problem"]) == problems


def test_the_year_filter_counts_the_cases_without_a_year(tmp_path, example_data):
    """A year filter listing only the few dated years would hide that most reports give none."""
    project = copy_project(tmp_path / "project", with_cases=False)
    write_case(project.root, dump_case(example_data))
    undated = dict(example_data, id="undated-case")
    undated.pop("period", None)
    undated["editor_added"] = [path for path in example_data.get("editor_added", []) if not path.startswith("period")]
    undated["sources"] = [{key: value for key, value in source.items() if key != "date"}
                          for source in example_data["sources"]]
    write_case(project.root, dump_case(undated), name="undated-case.yaml")
    catalog = read_catalog(project)
    facets = data(named(finder_files(catalog))["facets"])
    years = facets["values"]["year"]
    column = facets["facets"].index("year")
    shown = {case.id: years[doc[column]] for case, doc in zip(catalog.cases, facets["docs"], strict=True)}
    dated = next(case for case in catalog.cases if case.id == example_data["id"])
    assert dated.year and shown == {dated.id: str(dated.year), "undated-case": YEAR_UNKNOWN}
