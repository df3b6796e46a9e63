"""The kinds of generated pages (casebook.page_kinds): each makes pages of its own route, the
navigation holds those that say so, rendering again reuses unchanged pages; and the year pages,
the probe of a new kind, list exactly their year's cases and are reached from the finder."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from casebook.config import casebook_config
from casebook.model import Period
from casebook.page_kinds import KINDS, NAV_PAGES, PageKind, SiteData, render_site
from casebook.render import newest_first
from casebook.routes import ROUTES, keys_of, match, route
from casebook.search_contract import FACETS
from casebook_mkdocs.pages import file_links, nav_titles
from helpers import built_page, keys_at, mkdocs_config, page_address, read_page

LINKS = file_links(use_directory_urls=True)
HREF = re.compile(r'href="([^"#?]+)')


def linked(site: Path, uri: str, kind: str) -> list[dict[str, str]]:
    """The keys of every page of ``kind`` that the built page ``uri`` links to, in order."""
    return [keys for href in HREF.findall(read_page(site, uri))
            if (keys := keys_at(kind, urljoin("/" + page_address(uri), href)))]


def case_ids(html: str, uri: str) -> set[str]:
    """The cases the rendered page ``uri`` links to."""
    return {keys["id"] for href in HREF.findall(html)
            if (keys := keys_at("case", urljoin("/" + page_address(uri), href)))}


def test_every_kind_makes_pages_of_its_own_route(catalog):
    data = SiteData(catalog, {}, LINKS, "")
    for kind in KINDS:
        uris = [uri for uri, _ in kind.pages(data)]
        assert uris, kind.route
        # A tag's pages 2, 3 … are numbered below its first (casebook.routes.tag_route).
        assert all(match(kind.route, uri) is not None or (kind.route == "tag" and match("tag_page", uri))
                   for uri in uris), kind.route
    assert len({kind.route for kind in KINDS}) == len(KINDS)
    assert all(kind.route in ROUTES for kind in KINDS)


def test_the_generated_pages_in_the_navigation_are_those_their_kinds_declare():
    in_mkdocs_nav = set(nav_titles(mkdocs_config()["nav"]))
    generated_single_pages = {route(kind.route) for kind in KINDS if not keys_of(kind.route)}
    assert NAV_PAGES == in_mkdocs_nav & generated_single_pages
    assert route("years") not in NAV_PAGES  # reached from the finder's year filter and the case pages


def test_a_kind_of_many_pages_cannot_join_the_navigation():
    with pytest.raises(ValueError, match="case"):
        PageKind("case", "case.html.j2", lambda site: [], in_nav=True)


def test_rendering_again_renders_only_the_pages_whose_inputs_changed(catalog):
    memo: dict = {}
    first = render_site(catalog, None, LINKS, memo=memo)
    dated = next(case for case in catalog.cases if case.period)
    moved = dataclasses.replace(dated, period=Period(start=f"{dated.year - 3}-01"))
    changed = dataclasses.replace(catalog, cases=tuple(moved if case is dated else case for case in catalog.cases))
    second = render_site(changed, None, LINKS, memo=memo)
    assert set(second) == set(first) - {route("year", dated.year)} | {route("year", moved.year)}
    untouched = next(case for case in catalog.cases if case is not dated and not case.year)
    assert second[route("case", untouched.id)] is first[route("case", untouched.id)]
    assert second[route("case", dated.id)] is not first[route("case", dated.id)]
    assert second[route("submit")] is first[route("submit")]  # lists the case ids, not their years
    assert render_site(changed, None, LINKS) == second  # what a memo hands back is what rendering gives


# --- the year pages ---------------------------------------------------------------------------

def years_of(cases) -> dict[int, set[str]]:
    years: dict[int, set[str]] = {}
    for case in cases:
        if case.year:
            years.setdefault(case.year, set()).add(case.id)
    return years


def test_each_year_page_lists_exactly_the_cases_of_its_year(catalog, built_site):
    years = years_of(catalog.cases)
    assert years, "the fixture library dates some cases"
    for year, ids in years.items():
        assert {keys["id"] for keys in linked(built_site, route("year", year), "case")} == ids
    assert [int(keys["year"]) for keys in linked(built_site, route("years"), "year")] == sorted(years, reverse=True)


def test_year_pages_follow_the_cases_years_and_leave_the_rest_to_the_finder(catalog):
    """More cases in a year than a page lists (the limit of a tag's page): the newest, and a link
    to the finder filtered by the year."""
    # Every case moved into two years, so that a year holds several.
    cases = tuple(dataclasses.replace(case, period=Period(start=f"{2018 + number % 2}-05"))
                  for number, case in enumerate(catalog.cases))
    limited = casebook_config({"pages": {"cases_per_tag_page": 2}})
    pages = render_site(dataclasses.replace(catalog, cases=cases, config=limited), None, LINKS)
    for year, ids in years_of(cases).items():
        html = pages[route("year", year)].html
        listed = case_ids(html, route("year", year))
        assert listed == {case.id for case in newest_first([c for c in cases if c.id in ids])[:2]}
        assert f"{len(ids)} 个案例" in html
        finder = LINKS(route("year", year), route("finder"))
        assert f'href="{finder}?year={year}"' in html
    assert {uri for uri in pages if match("year", uri)} - {route("years")} == {route("year", 2018), route("year", 2019)}


def test_a_case_page_links_to_its_years_page(catalog, built_site):
    for case in catalog.cases:
        years = {int(keys["year"]) for keys in linked(built_site, route("case", case.id), "year")}
        assert years == ({case.year} if case.year else set()), case.id


def test_the_finders_year_filter_leads_to_the_list_of_years(built_site):
    """The finder draws its filters from the search contract (search.js): the year filter names
    the route of the list of years, which routes.js turns into an address the build wrote."""
    (year,) = [facet for facet in FACETS if facet.key == "year"]
    assert year.page == "years"
    scripts = built_site / "assets" / "javascripts"
    (contract,) = scripts.glob("search.*.js")
    assert '"page": "years"' in contract.read_text(encoding="utf-8")
    (routes_js,) = scripts.glob("routes.*.js")
    address = re.search(r'"years": "([^"]+)"', routes_js.read_text(encoding="utf-8")).group(1)
    assert keys_at("years", address) == {}
    assert (built_site / built_page(route("years"))).is_file()
